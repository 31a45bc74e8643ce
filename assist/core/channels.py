"""The official channels a borrower or consumer can turn to: one table for the knowledge check, the consumer's
answers, the lexical index's terms and the complaint-letter check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    key: str            # how texts write it: the number, or the channel's name
    label: str          # how an answer names it


# In the order a consumer answer lists them when several apply.
OFFICIAL_CHANNELS: tuple[Channel, ...] = (
    Channel("110", "110（报警）"),
    Channel("96110", "96110（反诈预警咨询）"),
    Channel("12378", "12378（银行保险消费投诉）"),
    Channel("12363", "12363（人民银行金融消费权益，含征信）"),
    Channel("12321", "12321（垃圾短信、骚扰电话举报）"),
    Channel("12377", "12377（违法和不良信息举报）"),
    Channel("12315", "12315（与服务公司的消费纠纷）"),
    Channel("国家反诈中心", "国家反诈中心APP"),
    Channel("金融消费者保护服务平台", "金融消费者保护服务平台（微信小程序）"),
    Channel("12381", "12381（涉诈预警劝阻短信）"),
    Channel("12345", "12345（政务服务便民热线，含退费纠纷）"),
    Channel("12305", "12305（邮政快递业用户申诉）"),
    Channel("12386", "12386（中国证监会服务热线，证券期货投资）"),
)

BY_KEY: dict[str, Channel] = {c.key: c for c in OFFICIAL_CHANNELS}

# The official numbers as the knowledge base writes them; any other 12xxx / 96xxx number is probably a typo.
HOTLINES: frozenset[str] = frozenset(c.key for c in OFFICIAL_CHANNELS if c.key.isdigit())
# Where a letter may say it will complain (hotlines and offices): complaining is a right, naming many at once is
# the escalation pattern.
COMPLAINT_HOTLINES: tuple[str, ...] = ("12378", "12363", "12315", "12345")
