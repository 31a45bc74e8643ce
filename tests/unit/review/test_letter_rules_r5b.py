"""Document review rules from the held-out misses of rounds five and six (L17, L18, L20, L21), table-driven, on letters written here: an
agency whose authority the letter revokes, the lender's own department in the address, a relative complaining for
family, a pair of similar letters, a certificate's printed number, what a 《document》 or a 申请 mentions, chat logs
and plans, an agency's fee slip and "certificate", a blank relationship on a form, 签署 as a signature."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from tests.unit.review.conftest import doc, elements

LAWFUL_FIRM = ("授权委托书\n委托人：何家辉，身份证号码441900197904183156\n受托人：广东卓衡律师事务所 黄志远律师\n"
               "执业证号：14401201510287364\n委托事项：与贵司协商个性化分期还款。\n委托期限：至事项办结之日止。\n"
               "{extra}\n委托人（签名）：何家辉\n2026年12月7日\n")


def _high(text, policy):
    _, found = run_checks(doc(text), policy)
    return [f for f in found if f.severity == "high"]


@pytest.mark.parametrize("extra, high", [
    ("委托人曾于2026年10月21日向环亚恒信债务重组顾问有限公司出具授权委托书，该授权已于11月28日书面撤销，与本委托无关。", False),
    ("本人现撤销对安心债务优化咨询有限公司的全部授权。", False),
    ("另委托安心债务优化咨询有限公司协助办理。", True),             # an agency acting beside the firm: still high
])
def test_an_agency_the_letter_revokes_is_a_note_not_the_agent(extra, high, policy):
    _, found = run_checks(doc(LAWFUL_FIRM.format(extra=extra)), policy)
    assert any(f.severity == "high" for f in found) == high
    if "撤销对" in extra:
        assert any(f.check == "auth.revoked_agency" and f.severity == "info" for f in found)


def test_the_lenders_own_department_in_the_address_is_not_an_agency(policy):
    text = ("授权书\nTo：安诚消费金融有限公司 客户服务中心\n本人何家辉（内地身份证号码：441900197904183156）授权我太太陈美玲"
            "代我处理这笔贷款的还款协商。\n美玲系我合法配偶。\n授权期：半年。\n授权人签名：何家辉\n2026年12月9日\n")
    assert not _high(text, policy) and elements(text)["principal"]


@pytest.mark.parametrize("writer, severity", [
    ("我叫何嘉欣，是你们客户何家辉的妹妹，我哥已经写了授权书给我。", "info"),       # family: verify, never accuse
    ("我是何家辉的朋友，他的事以后跟我谈。", "warn"),                              # agencies pose as friends
    ("我们是何家辉委托的债务协商公司，他的事以后跟我谈。", "high"),
])
def test_someone_else_writing_for_the_borrower_by_who_they_are(writer, severity, policy):
    text = f"投诉\n粤信消费金融投诉部门：\n{writer}要求承认授权以后跟我谈，晚上九点以后不要再打电话。\n2026年11月24日\n"
    kind, found = run_checks(doc(text), policy)
    s1 = [f.severity for f in found if f.signal == "S1"]
    assert kind == "complaint" and s1 and min(s1, key=["high", "warn", "info"].index) == severity


def test_a_certificate_s_printed_number_is_advice_not_a_warning(policy):
    text = "收入证明\n兹证明陈美玲系我公司员工，月收入四千元。\n联系电话：0769-22831234\n东莞市宏晟五金制品有限公司（盖章）\n2026年11月3日\n"
    kind, found = run_checks(doc(text), policy)
    assert kind == "certificate" and all(f.severity == "info" for f in found)


@pytest.mark.parametrize("title, body, kind", [
    ("减免罚息及分期还款申请书", "申请人：梁惠芳\n代为提交人：何家辉（申请人之子，持申请人出具的委托书）\n请求贵司减免罚息，"
     "目前由申请人之子代为筹措资金，每月还款四百五十元。", "complaint"),                       # 请 inside 申请
    ("停止催收告知函", "我中心已受理王小燕的金融纠纷调解申请，并已与其签订《委托代理授权书》。请贵司暂停催收。",
     "complaint"),                                                                         # a 《document》 is mentioned
    ("“何家大细”的聊天记录", "阿辉：这个月的钱我转给细妹了\n嘉欣：收到 分期申请交了吗", "other"),
    ("家里还款计划（2026年12月至2027年5月）", "12月 还三千\n1月 还三千\n每月15号前转账", "other"),
])
def test_what_a_paper_is_from_its_title_and_what_it_only_mentions(title, body, kind):
    assert classify(doc(f"{title}\n{body}\n2026年11月28日\n")) == kind


def test_an_authorisation_passed_on_under_a_cover_letter_is_an_authorisation():
    text = ("致：粤信消费金融有限公司 贷后管理部\n转交函\n兹有本公司签约客户何家辉先生，已全权委托本公司处理其债务，"
            "请查收。\n\n授权委托书\n委托人：何家辉\n受托方：环亚恒信债务重组顾问有限公司\n委托人系本公司签约客户，"
            "兹全权委托受托方处理全部事宜。\n委托人签署：何家辉\n2026年10月21日\n")
    assert classify(doc(text)) == "authorisation"
    found = elements(text)
    assert found["relationship"] and found["signature"]


@pytest.mark.parametrize("text, high", [
    ("收据\n今收到：王小燕\n交来：债务协商调解服务费（首期）贰仟肆佰元整\n"
     "收款单位（盖章）：郑州豫安企业管理咨询有限公司\n2026年11月8日\n", True),                  # an agency's fee slip
    ("证明\n兹证明孙建军已于2026年11月20日与本中心签订《委托代理授权书》，将其债务纠纷委托本中心调解处理。\n"
     "特此证明。\n豫安金融纠纷调解中心（盖章）\n2026年11月21日\n", True),                      # an agency's "certificate"
    ("在职证明\n兹证明李强系我公司员工。如有疑问请联系本公司人事部。\n特此证明。\n"
     "广州恒远信息科技有限公司（盖章）\n2026年11月21日\n", False),                            # an employer, lawful
])
def test_an_agency_shows_itself_on_a_receipt_or_a_certificate(text, high, policy):
    assert bool(_high(text, policy)) == high


def test_a_blank_relationship_on_a_form_is_missing():
    form = ("授权委托书\n委托人（甲方）：__孙建军__\n受托方（乙方）：__李明__\n与委托人关系：__________\n"
            "委托事项：代为协商还款\n委托期限：一年\n甲方（签字）：__孙建军__\n2026年11月20日\n")
    assert not elements(form)["relationship"]
    assert elements(form.replace("__________", "__父子__"))["relationship"]


# -- round six's held-out misses (L20, L21) ------------------------------------------------------------------------

@pytest.mark.parametrize("title, body, kind", [
    ("委  托  函", "委托人：吴梦琪\n受托方：某某权益保护中心\n现委托人全权委托我中心处理其借款事宜。", "authorisation"),
    ("授权声明", "本人何雨桐现声明由该中心全权代表本人与贵平台协商还款。\n声明人：何雨桐", "authorisation"),
    ("撤销委托声明", "本人声明撤销此前对某某咨询公司的委托，欠款由本人自己处理。", "other"),
    ("告各位亲戚的一封信（也发到家族群里了）", "大家不要再借钱给三叔了，他借的网贷我们也在慢慢还。", "other"),
    ("【信工2202班 班级通知】（转自年级群）", "近期有人冒充协商机构收取协商费，请同学们不要相信。", "other"),
    ("委托书", "小橙分期公司的领导：\n我叫王桂芳，借了八千块还不上。我现在委托我男人李德明去跟你们谈，他说的就算我说的。",
     "authorisation"),
    ("关于调取借款合同及费用明细的函", "本诊所受理了学生刘佳的法律援助申请，刘佳已委托本诊所指导律师代理其借款协商事宜。"
     "请贵公司提供借款合同。\n附件：1.授权委托书复印件  2.刘佳身份证复印件", "complaint"),
])
def test_round_six_kinds(title, body, kind):
    assert classify(doc(f"{title}\n{body}\n2025年6月13日\n")) == kind


def test_a_family_letter_telling_of_the_agency_that_cheated_them_is_not_accused(policy):
    text = ("和瑞消费金融客服你们好\n我是周桂兰的孙女陈思雨 帮我奶奶写的\n有个人加我奶奶微信 说他们是律师团队 可以帮忙谈停息挂账 "
            "还收了三千块法务服务费 结果啥子都没办\n所以我们不找中间公司了 直接跟你们谈 以后有事打我电话\n"
            "我奶奶愿意还 想问能不能分成二十四期\n陈思雨（代周桂兰写）\n2025年4月22日\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint" and all(f.severity == "info" for f in found)


def test_a_law_firm_letter_whose_payee_is_a_consulting_company_is_high(policy):
    text = ("律师函\n致：和瑞消费金融有限公司\n本所接受赵建华的委托，请贵司停止催收。还款由本所指定账户统一代收代付。\n"
            "北京衡正律师事务所\n指定代收代付账户 户名：成都汇诚信达企业管理咨询有限公司\n2025年4月18日\n")
    assert _high(text, policy)


@pytest.mark.parametrize("line, part, present", [
    ("时间就定一年", "term", True),
    ("到这笔钱还清之前都由她帮我处理", "term", True),
    ("本人委托我们年级辅导员刘畅老师代表我与贵公司沟通", "relationship", True),
    ("自本函送达之日起，贵司不得再以电话、短信、上门等任何方式联系委托人本人及其家属、同事", "relationship", False),
])
def test_round_six_elements(line, part, present):
    text = f"授权委托书\n委托人：郑凯\n受托人：刘畅\n{line}\n委托事项：代为沟通还款\n委托人签名：郑凯\n2025年6月8日\n"
    assert elements(text)[part] == present


# -- round eight's held-out misses (L24, L25) -----------------------------------------------------------------------

@pytest.mark.parametrize("text, high", [
    ("授权书\n本人徐建军委托我朋友韩志鹏全权帮我跟平台协商还款 他是专业做上岸的 平台有事直接打他电话\n本人签字：徐建军\n"
     "2026.11.8\n", True),
    ("【上岸互助群】会员费收款明细\n收款人：韩志鹏\n| 1 | 10.16 | 杨帆 | 年卡 | 1980 |\n", True),
    ("致恒祥消费金融：\n我是“上岸互助群”群主韩志鹏，专业做债务协商六年，今天代表群里两位会员跟贵司打招呼，请直接对接我本人。\n", True),
    ("授权书\n本人王芳委托我弟弟王强代我跟贵司协商还款，他在银行上班，比我懂。\n委托人签名：王芳\n2026年11月8日\n", False),
])
def test_someone_who_settles_debts_for_a_living_is_the_agency(text, high, policy):
    assert bool(_high(text, policy)) == high


def test_a_letter_someone_directs_how_to_fill_in_is_not_capped(policy):
    text = ("停止催收及协商还款申请书\n致：来钱宝（此处填平台全称）\n申请人：李春燕\n每月还款（刘老师说等平台回了再填）元；\n"
            "本人已委托专业上岸导师刘老师全权处理。\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint" and any(f.severity == "high" for f in found)
    base = "投诉\n粤信消费金融投诉部门：\n我是何家辉的朋友，他的事以后跟我谈。{}\n2026年11月24日\n"
    for extra, severity in (("", "warn"), ("韩老师说这样写就行。", "high")):      # a 老师 directing the letter: not capped
        _, found = run_checks(doc(base.format(extra)), policy)
        assert [f.severity for f in found if f.signal == "S1"] == [severity]


@pytest.mark.parametrize("text, kind", [
    ("陕西汇鼎财税咨询有限公司\n债务协商代理授权书（客户填写联）   编号：HD-2026-1103-027\n授权人姓名：高永利\n"
     "被授权人：陕西汇鼎财税咨询有限公司 首席财务顾问 赵启明\n", "authorisation"),
    ("你好 我是杨春来 在你们汇裕借了3万 这几天我妈住院 还款的事你们直接跟田娟说 她替我跟你们商量延期的事\n杨春来 11月14号\n",
     "authorisation"),
])
def test_round_eight_kinds(text, kind):
    assert classify(doc(text)) == kind


@pytest.mark.parametrize("text, part, present", [
    ("委托人：陈国松\n受托人：陈国柏\n厂是我跟阿弟陈国柏两个人一起开的\n", "relationship", True),
    ("委托人：杨春来\n受托人：田娟\n这几天我妈住院我在医院陪床\n", "relationship", False),
    ("委托人：邓丽华\n受托人：冰城上岸企业管理咨询有限公司\n执业证号：BCSA-FW-20260088\n", "licence", True),
])
def test_round_eight_elements(text, part, present):
    assert elements("授权委托书\n" + text + "委托事项：代为协商还款\n委托人签名：张三\n2026年11月8日\n")[part] == present
