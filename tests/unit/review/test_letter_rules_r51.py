"""Document review rules from round fifty-one's misses (L156-L159; scored once on 585c125 and held out for a part of
this stop, then tuned on), table-driven, on letters written here. Safety: a law firm entrusted in prose to handle the
dispute with an agency the borrower entrusted before ("代我处理之前委托X期间产生的纠纷，包括要求其退还已收费用") does not
make that agency the agent; a harassed borrower saying they will complain everywhere (S7), a daughter who wrote the
letter asking that calls go to her (S3, "代书人：某某（借款人之女）") and a card holder applying for 个性化分期 under the
card rules (S6) are lawful; a fake 信用修复合作社 is an agency. Reading: "9.23 船上发的" closing a message."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs, serious

FIRM = ("委托书\n本人甘小勇（身份证号440402199205114239），现委托广东某某律师事务所郑小安律师（律师执业证号 1440 4201 7105 2219 8）"
        "作为我的代理人，代我与某某小额贷款有限公司协商还款事宜，并代我处理之前委托珠海某某商务顾问有限公司期间产生的纠纷，"
        "包括要求其退还已收费用。委托期限自2027年7月2日起至2027年12月31日止。\n委托人签字：甘小勇\n2027年7月2日\n")


def test_a_firm_handling_the_dispute_with_an_earlier_agency_is_not_flagged(policy):
    assert highs(policy, FIRM) == []


@pytest.mark.parametrize("text,signal", [
    ("投诉\n钱我今天已经还了，截图附后。你们催收骂我是老赖。要是再有人打我姐电话，我直接报警，该投诉的地方我一个一个去投，说到做到。\n"
     "程小磊\n2027年5月14号\n", "complaint.S7"),
    ("申请\n致：某某花客户服务中心\n借款人：王小英\n代书人：程小静（借款人之女），电话13856021947\n"
     "借款人住院，无法接听电话。请立即停止拨打借款人本人电话，所有联系改为联系本人。\n", "complaint.S3"),
    ("个性化分期还款申请书\n某某银行信用卡中心：\n本人梁小华，系贵行信用卡持卡人。本人自2026年11月起未能按期足额还款，"
     "现依照信用卡相关监管规定，向贵行申请停息挂账、个性化分期还款。\n梁小华\n2027年3月1日\n", "complaint.S6"),
])
def test_lawful_complaints_are_not_warned(policy, text, signal):
    assert signal not in serious(policy, text)


def test_the_taxonomy_still_warns_what_it_is_for(policy):
    assert "complaint.S7" in serious(policy, "投诉\n不给我减免，12378、12363、信访我一个一个去投。\n王小明\n2027年5月1日\n")


def test_a_fake_credit_repair_cooperative_is_an_agency(policy):
    text = ("委托书\n本人蓝小兴，已经加入浙南某某茶农信用修复合作社，是合作社的社员。本人自愿委托合作社修复员钟小平同志代我跟平台谈停息挂账。\n"
            "委托时间从2027年2月22日到2027年8月22日。\n委托人：蓝小兴（签字按手印）\n受托人：钟小平（浙南某某茶农信用修复合作社修复员）\n2027年2月22日\n")
    assert highs(policy, text)


def test_a_month_and_day_opening_the_last_line_is_the_date():
    assert elements("这笔钱的事我交给我老婆宋小丽跟你们谈。\n9.23 船上发的 出了岛子就没信号了\n")["date"] is True
