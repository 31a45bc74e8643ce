"""Document review rules from rounds twenty-five and twenty-six's held-out misses (L58-L61), table-driven, on letters
written here: an app's operator and every party to the borrower's dispute are the lender's side, not an agent (a
false accusation on a lawyer's letter fixed); an outfit named like an office or an institute ("协商办公室",
"和解研究院", "互助服务社") acting for a borrower is high, and so is its letter in its own voice ("本办受…委托"); a
registration form whose declaration grants authority is an authorisation; a borrower who disowns what the agency
says in their name (with 帐 and 做废 typos) has left it; membership of the agent's body is a relationship; the form's
name above a grant said later in the sentence is the principal; a letter written to the agent names the agent."""

from __future__ import annotations

import pytest

from assist.review.checks import classify
from assist.review.checks.elements import find_elements
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements, highs, serious


def test_app_operators_in_a_lawyers_authorisation_are_the_lenders(policy):
    text = ("授权委托书\n委托人：林海生，男，公民身份号码：330902199001010011\n"
            "受托人：许文涛，浙江某港律师事务所律师，执业证号：13309201810452799\n"
            "委托人因与“快鲸借”平台（运营方：宁波某帆网络科技有限公司）、“易来花”平台（运营方：杭州某舟信息科技有限公司）之间的"
            "借款合同纠纷，现委托上列受托人作为委托人的代理人。\n代理权限：代为协商还款方案，调取借款合同；代为签收法律文书。\n"
            "委托期限：自2027年3月1日起至本委托事项办结之日止。\n委托人（签字）：林海生\n2027年3月1日\n")
    assert not serious(policy, text, ("high", "warn"))


@pytest.mark.parametrize("text", [
    "授权书\n我阿不都 身份证654002199001011234，委托天山债务纠纷协商办公室帮我处理几家网贷，停催分期减免他们全权办。\n阿不都\n2027.3.1\n",
    "授权书\n本人周建平授权东华债务和解研究院和解师刘强全权处理本人所有网贷债务和解，本人不再接催收电话。\n周建平\n2027.3.1\n",
    ("关于停止违规催收的函\n某某消费金融有限公司：\n本办受当事人王富贵（身份证号：622921198803205699）委托，组织协商。"
     "请立即停止联系当事人通讯录联系人，并向本办出具书面回执。\n天山金融纠纷协商办公室（章）\n2027年3月1日\n"),
])
def test_outfits_under_an_offices_or_institutes_name_are_high(policy, text):
    assert highs(policy, text)


def test_a_registration_form_granting_authority_is_an_authorisation(policy):
    text = ("天山金融纠纷协商办公室\n纠纷协商备案登记表\n登记日期：2027年3月1日\n| 姓名 | 王富贵 | 性别 | 男 |\n"
            "| 身份证号 | 622921198803205699 |\n协商诉求：停息挂账、分期还款\n"
            "授权声明：本人自愿将上述债务交由天山金融纠纷协商办公室备案，并授权本办及本办协商员全权代表本人与各债权机构进行协商。\n"
            "登记人签字（按手印）：王富贵\n")
    assert classify(doc(text)) == "authorisation"
    e = elements(text)
    assert e["principal"] and e["agent"] and e["scope"]
    assert highs(policy, text)


@pytest.mark.parametrize("line", ["我给那家协商办签的委托书，我已经做废了。", "以后他们用我名义跟你们说的、谈的、签的，我都不认。",
                                  "我的帐我自己跟你们谈。"])
def test_a_borrower_who_disowns_the_agency_has_left_it(line):
    assert REVOKED.search(line)


def test_a_borrower_who_left_the_office_is_not_accused(policy):
    text = ("致：某某消费金融有限公司\n我是王富贵。1月份有个自称“天山金融纠纷协商办公室”的打电话给我，收了我2200块，后来才知道是"
            "一家公司，叫乌鲁木齐某信商务信息咨询有限公司。\n我给这个协商办签的委托书，我已经做废了，以后他们用我名义跟你们说的、谈的，我都不认。\n"
            "我的帐我自己跟你们谈，3月份开始按月还，请给我一个方案。\n王富贵\n2027.3.1\n")
    assert not highs(policy, text)


# "本人自愿加入本社" alone is not counted: most writers (L45, L50, L62) left it unlabelled, one (L61) labelled it
@pytest.mark.parametrize("line", ["本人系某某渔民互助服务社正式社员。", "委托人系本社正式社员，遵守本社社规。"])
def test_membership_of_the_agents_body_is_a_relationship(line):
    text = ("授权委托书\n委托人：王富贵\n受托人：某某渔民互助服务社\n" + line + "\n委托事项：代表本人与各平台协商还款。\n"
            "委托期限：一年。\n委托人签字：王富贵\n2027年3月1日\n")
    assert elements(text)["relationship"]


def test_a_forms_name_above_a_grant_said_later_is_the_principal():
    text = ("姐妹互助会 入会登记表\n姓名：甘小梅  性别：女  年龄：26\n身份证号：450107200006183099\n"
            "授权声明：本人系姐妹互助会会员，自愿授权本会会长及互助顾问代表本人与各平台协商还款，会员期间有效。\n"
            "会员签字：甘小梅  登记日期：2027年3月1日\n")
    e = elements(text)
    assert e["principal"] and e["agent"] and e["term"] and e["relationship"]


def test_a_letter_written_to_the_agent_names_the_agent_and_the_writer():
    text = ("委托书\n王丽老师：\n您好！我是初二（5）班的陈小雨。\n我爸爸借款的事，社区要一份学校开的在校证明。"
            "这周我在医院陪外婆，想委托您帮我办这件事：\n\n1. 在学校教务处帮我开一份在校证明；\n2. 开好以后交给社区的刘阿姨。\n"
            "这件事办完就行。\n2027年3月1日\n")
    found = find_elements(doc(text))
    assert found["agent"].found and "王丽" in found["agent"].quote
    assert all(found[k].found for k in ("principal", "scope", "term"))


def test_a_neighbour_with_a_nickname_and_an_errand():
    text = ("委托\n\n我陈秀英，老伴腰伤躺在床上，走不开，托隔壁邻居阿兰（李秀兰，身份证330903197611092599）帮我到镇上邮局，"
            "把寄给某某分期公司要合同的那封信寄出去。\n\n就这一回，信寄出去就算好了。\n\n陈秀英（签名）\n")
    e = elements(text)
    assert e["principal"] and e["agent"] and e["scope"] and e["relationship"]


def test_a_debt_figure_closing_a_form_line_is_no_term():
    text = ("某某互助服务社\n社员入社登记表\n姓名：邬国平\n网贷情况：平台数 5 个，总欠款约 46000 元，已逾期 2 个月\n"
            "社员声明及授权：本人自愿加入本社，同意授权本社及社长全权代表本人处理网贷停息、协商事宜。\n申请人签字：邬国平\n"
            "填表日期：2027年3月1日\n")
    assert not elements(text)["term"]
