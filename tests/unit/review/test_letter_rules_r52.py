"""Document review rules from round fifty-two's misses (L160-L163; scored once on 2f887c2, then tuned on),
table-driven, on letters written here. Safety: the lender by a short name in a lawyer's matters ("跟禾汇公司核对欠款")
is a party; a borrower asking to be the only one called ("以后得不得只打我一个人的电话") is not asking for a new number.
An agency staffer's employer named as where he works ("现在在某某乡村振兴金融服务站做帮扶员") is an agency, not a
township's unit (乡村振兴 is no 乡), while a borrower's own employer stays a place. Reading: a date in the sixty-year
cycle ("丁未年四月初八")."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import elements, highs, serious


def test_the_lender_by_a_short_name_in_a_lawyers_matters_is_a_party(policy):
    text = ("委托书\n我叫郭小堂，身份证号140121197403152817。我在禾汇消费金融有限公司有一笔借款，现在逾期了。\n"
            "我委托山西某某律师事务所的乔小敏律师（律师执业证号No.14012201810658739）替我处理这笔借款的事：跟禾汇公司核对欠款和罚息，"
            "替我谈还款办法。\n委托期限：到这件事办完为止。\n委托人（签字）：郭小堂\n2027年11月2日\n")
    assert highs(policy, text) == []


def test_asking_to_be_the_only_one_called_is_not_a_new_number(policy):
    text = ("某某花客服：\n我是赵小莲。你们的人打电话给村委会，打给我娘家哥。\n三、以后得不得只打我一个人的电话？\n赵小莲\n2027年6月1日\n")
    assert "complaint.S3" not in serious(policy, text)
    assert "complaint.S3" in serious(policy, "某某花客服：\n我是赵小莲。以后只打这个新号码，原来的号别打了。\n赵小莲\n2027年6月1日\n")


def test_an_agency_named_as_where_the_agent_works_is_high(policy):
    text = ("委托书\n我冯小才，身份证号451324196503127419。我自愿委托苏小杰帮我处理这笔借款的事。苏小杰系我表侄，"
            "现在在大瑶山乡村振兴金融服务站做帮扶员。\n委托他代我跟平台谈停息挂账。\n委托人：冯小才（按手印）\n2027年11月24日\n")
    assert highs(policy, text)


def test_a_borrowers_own_employer_stays_a_place(policy):
    text = ("委托书\n本人王小明，身份证号451324196503127419，在某某信息科技有限公司上班。我委托我老婆李小红帮我跟平台谈分期。\n"
            "委托期限：到还清为止。\n委托人（签字）：王小明\n2027年5月1日\n")
    assert highs(policy, text) == []


@pytest.mark.parametrize("text,part,present", [
    ("这笔卡我交给我老婆的阿弟陈小生处理。\n\n丁未年四月初八 在医院\n", "date", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present
