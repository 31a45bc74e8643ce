"""Document review rules from round twenty-nine's held-out misses (L70-L73), table-driven, on letters written here:
the lenders in a long list before "等…之间的借款合同纠纷" and after "代为向", and an app's operator in a salutation
under the title, are the lender's side (two lawyers' authorisations and a borrower's complaint no longer accused); a
lawyer's letter saying the service contract was ended and the company "无权代表" the client is a withdrawal; naming one
regulator three ways is not the many-channels pressure pattern; a note to a friend ("就算是我委托你的") is an
authorisation and names its agent; "委托代理律师" is no relationship, "系本基金…受助会员" is; "俺是" names the writer;
"委托调解员孙浩", "授权…互助基金帮我" name agents; "把…流水打出来" is a scope; "到…就算完了" is a term."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.evidence import REVOKED
from tests.unit.review.conftest import doc, elements, serious

LAWYER = ("授权委托书\n委托人：周小芳，身份证号420106197001010099\n受托人：陈立华，湖北某衡律师事务所律师，执业证号：14201201510234599\n"
          "{body}\n委托期限：自2027年4月8日起至2027年10月7日止。\n委托人（签字）：周小芳\n2027年4月8日\n")


@pytest.mark.parametrize("body", [
    "委托人因与深圳某粒数字科技有限公司（“某粒分期”）、武汉某盈网络科技有限公司（“某借花”）、上海某易信息服务有限公司（“某易借”）"
    "等借款机构之间的借款合同纠纷及催收问题，特委托上述受托人作为非诉讼代理人。\n代理权限：代为协商还款方案，代为签收文书。",
    "代理权限：一、代为查询委托人的个人信用报告，代为向某申银行股份有限公司信用卡中心、重庆某易小额贷款有限公司、"
    "深圳某粒数字科技有限公司了解委托人名下的欠款余额及还款记录；二、代为协商还款方案。",
])
def test_lenders_in_a_lawyers_list_are_not_agents(policy, body):
    assert serious(policy, LAWYER.format(body=body)) == []


def test_an_apps_operator_in_the_salutation_under_the_title_is_the_lender(policy):
    text = ("投诉函\n\n某借花平台（武汉某盈网络科技有限公司）、湖北某诚小额贷款有限公司：\n我是周小芳。你们的催收员连续三天晚上十一点以后打电话，"
            "还打到我弟弟单位，请立即停止，并给我一份费用明细。\n周小芳\n2027年4月9日\n")
    assert not [f for f in run_checks(doc(text), policy)[1] if f.severity == "high"]


@pytest.mark.parametrize("line", ["该服务协议已由葛先生于2027年4月9日书面解除。", "该公司及其人员无权代表葛先生处理任何事务。"])
def test_a_lawyer_saying_the_agency_was_dismissed_is_a_withdrawal(line):
    assert REVOKED.search(line)


def test_one_regulator_named_three_ways_is_not_pressure(policy):
    text = ("投诉函\n致：某某分期客户投诉部\n我是葛小玲，护士。你们的催收电话打到我们科室，影响工作。请立即停止联系我的同事。"
            "如果再有一个电话打到科室，我会直接向国家金融监督管理总局安徽监管局和深圳监管局投诉，并拨打12378，同时保留报警和起诉的权利。\n"
            "投诉人：葛小玲\n2027年4月9日\n")
    assert serious(policy, text) == []


def test_a_note_to_the_friend_who_acts_is_an_authorisation():
    text = ("红梅\n\n我后天要住院了 我把这个条子写给你 就算是我委托你的 你是我隔壁摊的 我信得过你\n"
            "那几个平台打电话来 某借花 某粒 你帮我接一下 就说我住院了 出院了我自己跟他们讲\n钱的事你莫帮我答应 也莫帮我还\n"
            "就我住院咯几天 出院了就不用了\n\n4月15号\n")
    assert classify(doc(text)) == "authorisation"
    e = elements(text)
    assert e["agent"] and e["relationship"] and e["scope"] and e["term"] and e["date"]


@pytest.mark.parametrize("text,part,present", [
    ("授权委托书\n委托人：罗小刚\n受托人：高小远\n与委托人关系：委托代理律师\n", "relationship", False),
    ("授权委托书\n委托人：李小萍\n受托人：刘小邦\n委托人系本基金登记在册的受助会员。\n", "relationship", True),
    ("委托书\n俺是葛长明，身份证340102198001010099，在上海港上班，所以托俺工友鲁大明替俺跑一趟交材料。\n", "principal", True),
    ("授权书\n本人王小涛（身份证110101199001010099）委托调解员孙小浩全权处理我在各网贷平台的借款协商事宜。\n", "agent", True),
    ("授权书\n本人古小东（身份证110101199001010099）授权某某侨乡互助基金帮我全权处理我名下所有网贷。\n", "agent", True),
    ("委托书\n本人周德明，委托刘建华替我到某某农商银行城关支行，把我那本存折（尾号3306）从去年四月到现在的流水打出来。\n", "scope", True),
    ("委托\n俺叫孙桂芳，就托韩医生替俺把这封信拿到镇邮政所寄挂号信。这个托付到信寄出去、回执拿回来就算完了。\n", "term", True),
    ("委托书\n本人周小航，委托方小明代为提交离职证明、收入证明、妻子孕检证明等材料。\n", "relationship", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_a_company_a_law_firms_authorisation_names_outside_its_agent_block_is_a_party(policy):
    body = ("委托人在某花分期（运营主体为杭州某舟信息科技有限公司）有借款逾期，现委托上列受托人协商还款。\n"
            "代理权限：代为与杭州某舟信息科技有限公司及其委托的催收机构沟通；代为调取合同。")
    assert serious(policy, LAWYER.format(body=body.replace("运营主体为", "现由"))) == []
