"""Scam check for consumer messages: names the scheme, quotes the red flags, says what to do now (urgent first when
money, codes or cards have already gone).

Each scheme has *core* patterns (the act that makes it that scheme: asking for a fee to negotiate debts, promising to
delete true credit records, a "customer service" call steering the consumer into a transfer…) and *support* patterns
(money, pressure, secrecy). A verdict needs a core flag and, for most schemes, one more distinct flag, so a question
about a word ("停息挂账是什么意思") is not a verdict. Official warnings quote the words they warn about and people ask
about what they read in the news: those contexts need more evidence, as do legitimate settings (a bank counter, the
lender's own app)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assist.core.text import PROHIBITION, negated, normalize

_MONEY = r"(交|付|转|打|给)了?.{0,4}\d{3,}|\d{3,}(块|元|的)|[一二三四五六七八九两几]?[千万]块?"


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    core: tuple[str, ...]
    support: tuple[str, ...]
    actions: tuple[str, ...]
    needed: int = 2            # distinct flags needed (at least one of them core)


SCHEMES: tuple[Scheme, ...] = (
    Scheme("paid_debt_relief", "收费“债务优化/停息挂账/代理协商”",
           (r"停息挂[账帐]", r"债务(优化|重组|规划)", r"上岸", r"反催收", r"代理协商|(帮|替)我?.{0,6}(跟|和|与|找).{0,10}(谈|协商)",
            r"协商还款.{0,6}(公司|团队|机构|中心)", r"(只|仅)还本金|减免.{0,4}(罚息|利息|违约金)", r"全权委托",
            r"(银行|平台|催收|网贷|贷款).{0,6}(电话|催收).{0,4}(都)?(别|不要|不用)接|代接.{0,4}(电话|催收)",
            r"(先别还|不要还|停止还款|停(了|掉)?.{0,6}还款|还款都停)"),
           (_MONEY, r"(服务|协商|会员|咨询|方案|会)费", r"包(过|成功)|不成功不收费|成功后再收费", r"内部(渠道|关系)",
            r"私信|评估|导师|团队|联盟", r"(逾期|欠款|网贷|信用卡|催收|债)"),
           ("不要再向对方付款，保留聊天记录、合同和付款凭证", "和贷款机构直接协商还款是免费的，不需要任何中介",
            "已付款的可向当地12345或12315反映退费，涉嫌诈骗请拨打110")),
    Scheme("fake_credit_repair", "假“征信修复/洗白”",
           (r"征信(修复|洗白|清除|修改|优化|修)", r"(删除|消除|抹掉|清除|撤销|洗掉|消掉|去掉|处理掉?|改好|修好|修掉)"
            r".{0,8}(逾期|不良|征信|记录|呆账|查询)|(逾期|不良|征信|记录|呆账|查询).{0,10}(删除|消除|抹掉|清除|撤销|洗掉|消掉|去掉|改好|看不到)",
            r"(修复|洗白).{0,4}(费|钱)", r"(内部|关系|渠道|认识人|银行的人).{0,8}(删|消|改|去掉|处理)"),
           (_MONEY, r"(征信|信用报告|逾期记录|黑名单|呆账)", r"按条收费|先付后做|一条.{0,4}(收|要)", r"内部|关系|认识人|银行的人"),
           ("真实的逾期记录任何人都删不掉，不良信息自不良行为结束起保存5年", "记录有错可以免费提出征信异议，征信问题可拨打12363")),
    Scheme("fake_customer_service", "冒充客服（注销校园贷、影响征信、退款）",
           (r"注销(校园贷|账户|账号|学生|会员)", r"(屏幕共享|共享屏幕|会议软件|远程(控制|协助))",
            r"(退款|理赔|降息|退息|提额|关闭|取消|清零|降额).{0,12}(操作|转账|借出|清空|配合|流程)",
            r"(利率|利息).{0,6}(超过|超出|不合规).{0,6}(国家|规定)", r"按.{0,3}(他|她|对方)说的.{0,6}(操作|点)",
            r"在(借呗|微粒贷|花呗|白条|网贷|贷款).{0,8}(借出|借钱|贷出)", r"额度.{0,4}清零"),
           (r"(影响|消除|上|关联).{0,4}征信", r"(自称|冒充|说是|他是).{0,8}(客服|工作人员|专员|会员中心)", r"(客服|专员|工作人员)",
            r"(支付宝|微信|网银|app).{0,8}(操作|转)", r"报出.{0,6}(名字|姓名|身份证)", _MONEY),
           ("立即挂断，不要共享屏幕、不要转账", "自己拨打贷款机构官方客服电话核实", "已转账的请马上拨打110报警，可拨打96110咨询")),
    Scheme("loan_fee", "贷款前收费（手续费、保证金、解冻费）",
           (r"(手续费|保证金|解冻费|验资|刷流水|包装资质|工本费|激活费|认证费|银行流水费)",
            r"先(交|付|转|存).{0,8}(才能|再)?(放款|下款|到账|解冻)", r"(存入|转入).{0,12}(证明|验证).{0,6}(还款能力|资质)",
            r"(放款|贷款|额度).{0,10}(冻结|解冻)"),
           (r"(放款|下款|贷款|借款|额度|到账|审批)", _MONEY, r"会员费|服务费"),
           ("正规持牌机构放款前不会收取任何费用", "不要再转钱，保留证据，拨打110报警或96110咨询")),
    Scheme("credentials_request", "索要验证码、手机卡、身份证或银行卡",
           (r"(验证码|短信码|动态码|校验码).{0,10}(发给|告诉|报给|念|给他|给她|给对方|截图|转发)|(要|索要|让我(提供|发|报|说|念)).{0,8}(验证码|短信码|动态码)",
            r"(接收|收|代收)验证码", r"(手机卡|电话卡|sim卡|银行卡|u盾).{0,8}(寄|给|交|邮|借|卖|租)|(收|买|租|借)(银行卡|电话卡|手机卡)",
            r"(身份证|银行卡).{0,6}(照片|原件|正反面).{0,6}(寄|发给|交给|拍给)", r"(让我|要求|配合|帮他|帮她).{0,8}(刷脸|人脸)",
            r"(填|输入|提供|输).{0,14}(验证码|密码)"),
           (r"验证码|密码|身份证|银行卡", _MONEY),
           ("任何人索要验证码都不要给；已经给出的，马上联系银行和贷款机构冻结、改密", "手机卡在别人手里的，尽快到营业厅挂失补卡，并报警"),
           needed=1),
    Scheme("safe_account", "“安全账户”转账",
           (r"安全账户", r"(转|打|存)(到|入|进).{0,6}(指定|安全|监管|核查|清查|验证)(的)?账户", r"资金(核查|清查|异常|监管)|异常资金",
            r"(指定|监管|核查|清查)账户"),
           (_MONEY, r"冻结|涉嫌|洗钱|公安|警察|检察"),
           ("公安、银行都没有“安全账户”，这是诈骗", "不要转账；已转账的马上拨打110"), needed=1),
    Scheme("proxy_surrender", "代理退保",
           (r"(代理|全额|代办)退保", r"退保.{0,6}(全额|代办|协助)", r"(帮|能).{0,8}全额退", r"退下来的钱",
            ),
           (r"(分|抽|给).{0,4}(一半|佣金|提成|\d+%|成)", r"理财|年化", _MONEY),
           ("代理退保可能让您失去保障、还要付高额佣金，退保请直接联系保险公司", "保险消费投诉可拨打12378"), needed=1),
)

URGENT = (r"(已经|刚才|刚刚|已|昨天|前天).{0,6}(交|付|转|给|发|报|寄)", r"(钱|款).{0,4}(转|打)(过去|出去)了",
          r"验证码.{0,8}(给|发|告诉|报).{0,3}了", r"(卡|身份证).{0,6}(寄|给)(出去|他|她|他们|对方)了", r"拉黑|联系不上|跑路")

# Official warnings and news quote the words of the scams they warn about; a bank counter or the lender's own app is
# where codes and face checks are legitimately used.
WARNING = re.compile(r"(温馨提示|谨防|提醒|切勿|请勿|不会要求|我行不会|不法分子|看新闻|新闻(上|里)?说|听说|正规(平台|机构)会)")
OFFICIAL_NOTICE = re.compile(r"(不法分子|我行不会|本行不会|不会要求您|谨防.{0,6}诈骗|切勿.{0,10}(转账|透露|告诉))")
LEGIT = re.compile(r"(柜台|网点|营业厅|官方app|官方客服|自己填|本人操作|自己的手机上|直接(打|联系|找).{0,6}(保险公司|银行|官方))",
                   re.IGNORECASE)
# Someone else acting on the consumer: a scam needs an actor. A question about one's own credit report has none.
ACTOR = re.compile(r"(有人|对方|他们?|她们?|中介|公司|客服|老师|导师|专员|自称|短信|电话里|来电|微信|群里|私信|广告|链接|主播|"
                   r"网上|朋友圈|平台说|app说|工作人员)", re.IGNORECASE)


@dataclass(frozen=True)
class ScamVerdict:
    schemes: tuple[dict[str, Any], ...]       # {id, name, red_flags: [quoted text]}
    urgent: bool
    actions: tuple[str, ...]


def flags(norm: str, patterns: tuple[str, ...], taken: list[tuple[int, int]]) -> list[str]:
    """Distinct, non-negated matches; a match overlapping one already counted for this scheme is not a new flag."""
    out = []
    for p in patterns:
        for m in re.finditer(p, norm):
            # "切勿把验证码告诉他人" forbids the act; on normalised text only 。 is left of the full-width stops
            if not m.group(0) or negated(norm, m.start(), PROHIBITION, lookback=8, gap=6, stops="，。！？；"):
                continue
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(m.group(0))
            break
    return out


def scam_check(message: str) -> ScamVerdict | None:
    """The schemes a message shows (with the red flags quoted), or None."""
    norm = normalize(message)
    # official notices quote every scheme's words at once; warnings and legitimate settings need more evidence
    extra = 3 if OFFICIAL_NOTICE.search(norm) else 2 if WARNING.search(norm) else 0
    extra += 1 if LEGIT.search(norm) else 0
    found = []
    for sc in SCHEMES:
        taken: list[tuple[int, int]] = []
        core = flags(norm, sc.core, taken)
        if not core:
            continue
        support = flags(norm, sc.support, taken)
        if len(core) + len(support) >= sc.needed + extra:
            found.append({"id": sc.id, "name": sc.name, "red_flags": core + support})
    return verdict(found, norm)


def verdict(found: list[dict[str, Any]], norm: str) -> ScamVerdict | None:
    """The verdict for the schemes found (in SCHEMES order), their actions once each, urgent when the normalised
    message says money, codes or cards have already gone; None when nothing was found."""
    if not found:
        return None
    order = [sc.id for sc in SCHEMES]
    schemes = tuple(sorted(found, key=lambda s: order.index(s["id"])))
    actions = [a for s in schemes for a in next(sc.actions for sc in SCHEMES if sc.id == s["id"])]
    urgent = any(re.search(p, norm) for p in URGENT)
    return ScamVerdict(schemes, urgent, tuple(dict.fromkeys(actions)))
