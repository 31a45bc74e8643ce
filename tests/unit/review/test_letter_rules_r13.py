"""Document review rules from round thirteen's held-out misses (L34, L35), table-driven, on letters written here: an
auto-finance lender and a car dealer in a fee dispute are not agencies, a lawyer's letter about them is lawful, a
"权益服务平台" is an organisation, "不可撤销地授权" is no revocation, acting in the client's name, words typed with
spaces between them (sign-language order), the principal named where they sign, agency forms' relationship lines, a
fleet's captain, a term that lasts until revoked, 甲方 on an agreement."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from tests.unit.review.conftest import doc, elements

LAWYER = ("授权委托书\n委托人：赵红卫，身份证号371302198506112233\n受托人：吕文涛，山东沂蒙正衡律师事务所律师，执业证号：13713201610234567\n"
          "委托事项：就委托人与华畅汽车金融有限公司、临沂畅捷汽车销售服务有限公司之间的GPS安装费纠纷，代为与华畅汽车金融有限公司协商。\n"
          "代理权限：一般代理\n委托期限：自本委托书签署之日起至本事项办结之日止。\n委托人（签名）：赵红卫\n2026年12月6日\n")


def test_the_lender_and_a_car_dealer_in_a_dispute_are_not_agencies(policy):
    _, found = run_checks(doc(LAWYER), policy)
    assert not [f for f in found if f.severity in ("high", "warn")]
    assert {"auth.law_firm_verify", "auth.licence_verify"} <= {f.check for f in found}


def test_an_agency_named_as_agent_is_still_high_among_them(policy):
    text = LAWYER.replace("受托人：吕文涛，山东沂蒙正衡律师事务所律师，执业证号：13713201610234567",
                          "受托人：鲁通货车司机权益服务平台 车主顾问马士杰")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" and "权益服务平台" in f.message for f in found)


def test_an_irrevocable_grant_is_no_revocation(policy):
    from assist.review.checks.evidence import REVOKED

    clause = "甲方签署本协议即视为不可撤销地授权乙方以甲方名义与甲方全部债权机构进行协商。"
    assert REVOKED.search(clause) is None and REVOKED.search("甲方已书面撤销对乙方的授权。") is not None
    text = ("会员服务协议（节选）\n甲方：刘志鹏\n乙方：济南鲁通汇信息技术有限公司（鲁通货车司机权益服务平台）\n"
            f"第五条 授权条款\n{clause}\n第六条 甲方缴纳会员年费2680元。\n")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found)
    assert not any(f.check == "auth.revoked_agency" for f in found)


def test_words_typed_with_spaces_between_them():
    text = ("委托书\n我 赵晓梅。耳朵 听不见。身份证 130102199403152628。\n所以 我 委托 孙丽娟。\n她 手语翻译，也是我的朋友。\n"
            "她 可以 做：帮 我 打电话 你们，商量 还钱 怎么 还。\n时间：从 今天 开始，半年。\n委托人 签字：赵晓梅（手写）\n2026年12月5日\n")
    e = elements(text)
    assert e["agent"] and e["principal"] and e["relationship"] and e["scope"]


@pytest.mark.parametrize("line", ["甲方系乙方登记在册的帮扶对象。", "乙方系甲方购买会员服务的签约服务机构。",
                                  "甲方自愿加入乙方平台，成为乙方年费会员。", "受托人周德华是我们车队的队长，我是车队司机。"])
def test_relationship_lines_of_agency_forms_and_fleets(line):
    text = ("授权委托书\n甲方：刘志鹏，身份证号371321199003257019\n受托人：周德华\n" + line +
            "\n委托事项：协商还款。\n委托期限：一年。\n委托人签字：刘志鹏\n2026年12月3日\n")
    assert elements(text)["relationship"] and elements(text)["principal"]


def test_a_term_that_lasts_until_revoked():
    text = ("委托声明\n本人孟凡东，身份证号371522198012096610。俺名下贷款的事全权交给马士杰处理。\n这个委托一直有效，俺不撤就不算完。\n"
            "委托人：孟凡东（按手印）\n2026.12.12\n")
    assert elements(text)["term"]
