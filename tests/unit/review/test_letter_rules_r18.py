"""Document review rules from round eighteen's held-out misses (L44, L45), table-driven, on letters written here: a
host's own MCN company and its legal officer are the employer case, and "非执业律师" claims no lawyer (a false
accusation); a public body's 情况说明 telling of a fake 协会 is a certificate with no agency finding (a false
accusation); an "association" or "法务中心" that negotiates debts is an agency, a registered traders' association is
not; withdrawals said as "委托我不要了，收回来了" and "我的事情我自己跟你们讲"; an emergency contact is not the agent;
a principal named with an age, or on a form's 姓名 line above the grant."""

from __future__ import annotations

import pytest

from assist.review.checks import run_checks
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements, serious

MCN = ("杭州某屿网络科技有限公司\n授权委托书（单项事务）\n委托人（签约主播）：林朵，身份证号：330182199908210011\n受托人：陈雅婷\n"
       "所在部门/职务：法务部 法务专员（公司员工，非执业律师）\n委托人与受托人的关系：我是该公司签约主播，她是公司法务部员工\n"
       "委托事项：代我跟米多分期客服沟通，让他们别再联系公司和同事。\n委托期限：2026.12.20 至 2027.1.20\n委托人签字（并按手印）：林朵\n"
       "日期：2026.12.20\n")


def test_a_hosts_own_company_and_its_legal_officer_are_the_employer_case(policy):
    assert serious(policy, MCN) == []
    assert all(v for k, v in elements(MCN).items() if k != "licence")


def test_a_debt_studio_named_as_the_agents_company_is_still_high(policy):
    text = MCN.replace("杭州某屿网络科技有限公司\n", "").replace("法务部 法务专员（公司员工，非执业律师）", "星火债务重组工作室 重组顾问")
    assert any(c.startswith("auth.trustee") for c in serious(policy, text))


CERT = ("情况说明\n2026年12月16日，村民韦德昌由村委干部陪同来我所，反映其被人诱导借款一事。现将情况说明如下：\n一名自称“桂西老年人权益保护协会”"
        "维权专员的男子，以“协会可以帮老人免除网贷”为由，向韦德昌收取会员费300元、维权服务费900元。收据上加盖的是“南宁某康健康咨询服务有限公司"
        "财务专用章”。\n特此说明。\n田东县那兰乡司法所（盖章）\n2026年12月24日\n")


def test_a_public_bodys_account_of_a_fake_association_is_a_certificate_without_agency_findings(policy):
    kind, found = run_checks(doc(CERT), policy)
    assert kind == "certificate"
    assert not [f for f in found if f.severity == "high"]


LETTER = ("{org}\n关于要求停止催收的函\n禾融贷：\n我会会员韦德昌现年71岁，无力偿还。今后有关该会员的一切事宜，请直接与我会维权专员联系，"
          "不得再联系会员本人。\n{org}（盖章）\n二〇二六年十一月二十日\n")


@pytest.mark.parametrize(("org", "high"), [("桂西老年人权益保护协会", True), ("星火法务中心", True)])
def test_an_association_or_a_legal_centre_speaking_for_a_borrower_is_high(policy, org, high):
    assert any(c.startswith("auth.trustee") for c in serious(policy, LETTER.format(org=org))) is high


def test_a_registered_traders_association_helping_is_not(policy):
    text = ("某某农商行：\n我是城关区个体劳动者协会的工作人员，马家牛肉面馆的马师傅请我帮忙写这封信。他家第二家店已经关了，想请贵行把经营贷"
            "的期限延长一些。\n城关区个体劳动者协会\n2026年12月21日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity == "high"]


@pytest.mark.parametrize("sentence", ["我给他们签的委托，我不要了，收回来了。", "现在我的事情，我自己跟你们讲。",
                                      "他们用协会的名字写给你们的信，不是我的意思，不算数。"])
def test_withdrawals_in_plain_words(sentence):
    assert REVOKED.search(sentence) is not None


def test_an_emergency_contact_is_not_the_agents_relationship():
    text = ("会员入会登记表\n姓名：韦德昌 性别：男 年龄：71\n紧急联系人：覃美英（老伴） 电话：同上\n"
            "本人授权协会及协会指派的维权专员全权代表本人与网贷平台协商。授权期限一年。\n本人签字（按手印）：韦德昌\n2026年11月6日\n")
    e = elements(text)
    assert e["principal"] and not e["relationship"]


def test_a_principal_named_with_an_age():
    text = "电话委托记录（代录）\n本人蒙爱莲，七十六岁，那兰乡六凤村人。电话里同意委托协会黄专员帮我处理在网贷的欠款。\n代录人：黄志明\n2026.11.20\n"
    assert elements(text)["principal"]
