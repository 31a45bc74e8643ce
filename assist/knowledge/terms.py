"""Domain terms the word segmenter must keep whole (停息挂账, 个性化分期, the official hotlines, …): the lexical index
and the keyword rules see one word where a general-purpose segmenter would cut it apart."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assist.core.channels import HOTLINES
from assist.core.text import normalize

BASE_TERMS: tuple[str, ...] = (
    "停息挂账", "个性化分期", "反催收", "征信修复", "征信洗白", "代理维权", "债务优化", "代理退保", "全额退保",
    "非恶意逾期", "不可抗力", "授权委托书", "执业证号", "律师执业证", "疑似代理", "协商还款", "停催停诉", "上岸",
    "安全账户", "验证码", "帮信罪", "高利贷", "暴力催收", "砍头息", "金融消费者保护服务平台", "国家反诈中心",
    "反诈中心", "预留手机号", "逾期记录", "征信异议", "精神损失费", "名誉损失费", "法务咨询公司", "律师助理",
    "债务规划师", "内部渠道", "服务费", "协商费", "校园贷", "注销校园贷", "手续费", "保证金", "解冻费",
    "电话卡", "身份证", "银行卡", "敲诈勒索", "寻衅滋事", "催收非法债务", "侵犯公民个人信息", "个人信息",
    "单独同意", "委托代理", "无权代理", "表见代理", "借款合同", "委托合同", "信用卡", "分期还款", "减免利息",
    "罚息", "违约金",
    # the five-digit hotlines (110 is short enough for the segmenter already)
    *sorted(h for h in HOTLINES if len(h) == 5),
)

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


def domain_terms(tags: Iterable[str]) -> list[str]:
    """Terms for the segmenter's user dictionary: base terms plus knowledge-base tags that look like terms."""
    terms = set(BASE_TERMS)
    for t in tags:
        t = normalize(t)
        if 2 <= len(t) <= 12 and not _PUNCT.match(t) and " " not in t:
            terms.add(t)
    return sorted(terms)
