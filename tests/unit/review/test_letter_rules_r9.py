"""Document review rules from round nine's held-out misses (L26, L27), table-driven, on letters written here: a
mandate the letter denies ("未委托任何咨询公司"), a kind of company named without a name ("贷款公司", "任何咨询公司"), a
bankruptcy 管理人, who the agent is said in a sentence of its own, a relative in the story who died, the date of a
letter dictated in one run-on line, a list of debts, and an agency's fee slip for "建档"."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from tests.unit.review.conftest import doc, elements

ADMINISTRATOR = ("债权申报通知书\n前海某某小额贷款有限公司：\n法院裁定受理债务人王某的个人破产清算申请，并指定本所担任管理人。"
                 "请贵司于2027年1月10日前向管理人申报债权，并停止对债务人的催收。\n"
                 "管理人不收取任何费用，{denial}贵司如有疑问，可与管理人团队联系。\n某某会计师事务所（管理人印章）\n2026年11月20日\n")


@pytest.mark.parametrize("denial", ["也未委托任何咨询公司、中介机构代为办理债权申报或者清偿事宜。",
                                    "没有委托任何中介代为办理申报。", "从未授权其他公司代为处理清偿事宜。"])
def test_a_mandate_the_letter_denies_is_not_one(denial, policy):
    text = ADMINISTRATOR.format(denial=denial)
    kind, found = run_checks(doc(text), policy)
    assert classify(doc(text)) != "authorisation" and kind != "authorisation"
    assert not [f for f in found if f.severity in ("high", "warn")]


@pytest.mark.parametrize("act, kind", [
    ("现委托我弟弟李强代为处理", "authorisation"),
    ("从未委托任何人代为处理", "other"),
    ("没有委托任何公司代为处理", "other"),
])
def test_the_denial_is_what_matters(act, kind):
    """The same short paper is an authorisation when it hands the matter over, not when it says it never did."""
    assert classify(doc(f"说明\n本人王建国，身份证号411625197911236032，{act}我在贵司的借款事宜。\n王建国\n2026年12月1日\n")) == kind


@pytest.mark.parametrize("scope, high", [
    ("代我查询陈国栋生前在银行、贷款公司借款的余额和还款记录", False),   # kinds of lender, named as what is owed
    ("代我向这些借款机构说明继承人的情况", False),
    ("代我处理借款，具体事项由恒信债务咨询有限公司代为协商", True),        # a named agency doing the work: still high
])
def test_a_kind_of_company_without_a_name_is_no_one_to_suspect(scope, high, policy):
    text = ("委托书\n本人黄丽芬，身份证号440304196711052840。现委托我女儿陈嘉欣（身份证号440304199203164427）"
            f"{scope}。\n委托期限：至事情处理完为止。\n委托人：黄丽芬（签字并按手印）\n二〇二六年十一月十八日\n")
    _, found = run_checks(doc(text), policy)
    assert any(f.severity == "high" for f in found) == high


def test_who_the_agent_is_in_a_sentence_of_its_own_is_the_relationship():
    text = ("委托书\n委托人：郭振江，身份证号411625197911236032。\n受托人：刘文军，身份证号411625198207155419。\n"
            "受托人刘文军是本村村委会文书，受我委托，以他个人身份替我办事。\n委托事项：代我签收银行的信件，商量分期还款。\n"
            "委托时间：从2026年12月1号到2027年6月30号。\n委托人签字（按手印）：郭振江\n2026年12月1号\n")
    assert elements(text)["relationship"]


@pytest.mark.parametrize("line, present", [
    ("委托人之父陈国栋已于2026年9月14日去世，委托人为其继承人。", False),   # the relative who died is not the agent
    ("受托人系委托人之兄，代为处理其父遗留借款事宜。", True),
])
def test_a_relative_in_the_story_who_died_is_not_the_agents_relationship(line, present):
    text = ("授权委托书\n委托人：陈嘉豪，身份证号440304199005123314\n受托人：梁志远\n" + line +
            "\n代理权限：一般代理\n代理期限：至事项办结之日止\n委托人（签名）：陈嘉豪\n2026年11月16日\n")
    assert bool(elements(text)["relationship"]) == present


def test_the_date_after_the_signature_in_a_run_on_letter_is_its_date():
    text = ("委托书 那个我是张桂兰 身份证号411625199104186827 俺对象刘二强是俺丈夫 俺委托他替俺跟恁商量还款的事 委托时间"
            "就是从今天开始到这个账还完为止 委托人签名张桂兰 手印按了 2026年12月1号")
    assert elements(text)["date"]
    story = ("委托书 我是张桂兰 身份证号411625199104186827 俺丈夫刘二强替俺跟恁商量还款 2026年12月1号借的钱 委托人签名张桂兰")
    assert not elements(story)["date"]                       # a date in the story, not after the signature


def test_a_list_of_debts_is_other():
    text = ("各家欠账（俺爷手写的单子，我照着打出来的）\n一、老大家\n  乐享分期 借3万6 每月还3千2 逾期5个月了\n"
            "  （他说叫他表哥帮着去谈）\n二、老二家\n  随心借 两万 每月1千8\n合计：约5万6\n")
    assert classify(doc(text)) == "other"


def test_an_agencys_fee_slip_for_setting_up_a_file_is_high(policy):
    text = ("豫禾乡村振兴债务协商服务中心\n收款收据\n今收到：陈玉霞\n交来：债务协商建档费（含专员一对一协商服务）\n"
            "金额：贰仟捌佰元整 ￥2800.00\n备注：建档后本中心全程代为协商，协商成功可减免债务60%-90%。\n"
            "收款单位（盖章）：周口豫禾企业管理咨询有限公司\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "other" and any(f.severity == "high" for f in found)
