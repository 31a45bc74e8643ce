"""Document review rules from the fifth round of issue 23, table-driven, on letters written here (not copied from the
labelled set): the reading form (繁體, Cantonese, full-width digits) with offsets kept and quotes as written, Western
dates, spoken terms, relationships, an agency's pitch retold by its victim, private 调解中心 posing as mediators beside
public mediators and legal aid, which are lawful."""

from __future__ import annotations

import datetime as dt

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.evidence import dates
from assist.review.checks.reading import reading_text
from tests.unit.review.conftest import doc, elements


@pytest.mark.parametrize("written, read", [
    ("授權委託書：委託人陳大文", "授权委托书:委托人陈大文"),
    ("我係陳大文，佢係我個仔", "我是陈大文,他是我儿子"),
    ("畀佢同你哋傾還款嘅事", "给他同你们谈还款的事"),
    ("與委託人關係：父子", "与委托人关系:父子"),  # 關係 stays 关系
    ("身份證號碼４４０１０６", "身份证号码440106"),
    ("我系梁伟文 呢件事交畀佢办", "我是梁伟文 这件事交给他办"),
    ("衞生院", "卫生院"),
])
def test_the_reading_form_is_simplified_mandarin_with_every_offset_kept(written, read):
    assert reading_text(written) == read and len(read) == len(written)


def test_findings_quote_the_letter_as_written_not_its_reading_form(policy):
    text = "授權委託書\n委託人：陳大文\n受託人：香港匯通債務顧問有限公司\n委託事項：代為協商還款\n委託人簽名：\n2026年12月7日\n"
    _, found = run_checks(doc(text), policy)
    company = [f for f in found if f.check == "auth.trustee_company"]
    assert company and "匯通債務顧問" in company[0].quote


@pytest.mark.parametrize("written, day", [
    ("7/12/2026", dt.date(2026, 12, 7)), ("12/31/2026", dt.date(2026, 12, 31)), ("7 Dec 2026", dt.date(2026, 12, 7)),
    ("Dec 7, 2026", dt.date(2026, 12, 7)), ("6 December 2026", dt.date(2026, 12, 6)),
])
def test_western_dates_are_read_day_first_unless_the_day_cannot_be_a_month(written, day):
    assert [d for d, _, _ in dates(f"日期：{written}")] == [day]
    letter = f"委托人：王芳\n受托人：李强，是我丈夫\n委托事项：代为协商还款\n委托期限：一年\n委托人签名：王芳\n{written}\n"
    assert elements(letter)["date"]


@pytest.mark.parametrize("term", ["期间就三个月", "先半年吧", "就这段时间 等我出院了我自己来", "等我好了我自己来办"])
def test_a_term_said_in_spoken_words_is_a_term(term):
    text = f"你好 我是马金山 身份证410102195311251234\n我让我儿子马立新替我跟你们商量还款的事\n{term}\n马金山 签字\n2025年5月6号\n"
    assert elements(text)["term"]


@pytest.mark.parametrize("line, present", [
    ("受托人系委托人聘请的债务协商顾问。", True),
    ("受托人系本村村民委员会人民调解员。", True),
    ("冯家强是我们镇司法所的人民调解员。", True),
    ("委托期间，各机构不得再直接联系委托人本人及其家属、同事。", False),  # people not to call are not the agent
])
def test_a_relationship_is_what_links_the_agent_to_the_principal(line, present):
    text = f"委托书\n委托人：蔡文静\n受托人：冯家强\n{line}\n委托事项：代为协商分期还款\n委托期限：一年\n委托人签字：\n2025年6月10日\n"
    assert elements(text)["relationship"] is present


def test_an_agencys_pitch_retold_by_its_victim_is_not_the_borrowers_demand(policy):
    head = "鑫诚消费金融 客服你好\n我叫蒋国华 借了你们两万块 现在逾期了\n"
    retold = head + "之前抖音上一个叫金盾债务优化的 说能帮我跟你们协商 只还本金 我交了两千块 人跑了\n现在想自己跟你们商量分期\n蒋国华\n"
    own = head + "我要求只还本金 不然我就天天打电话投诉\n蒋国华\n"
    assert classify(doc(retold)) == "complaint"
    assert all(f.severity == "info" for f in run_checks(doc(retold), policy)[1])
    assert any(f.severity != "info" for f in run_checks(doc(own), policy)[1])


MEDIATOR_NOTICE = ("调解通知书\n致：恒昌消费金融有限公司\n借款人林志强已向我中心申请调解，我中心已受理。调解期间请贵司停止一切催收，"
                   "今后一切事宜请与我中心调解员对接，不得直接联系借款人。\n{org}\n2026年12月2日\n")
POSING = [
    MEDIATOR_NOTICE.format(org="广东粤信消费者权益调解服务中心（盖章）"),
    MEDIATOR_NOTICE.format(org="华安金融纠纷调解中心"),
    "調解通知書\n致：安信小額貸款有限公司\n借款人馮志偉已委託本調解中心就其借款糾紛進行調解。請貴司即日起停止催收，並與本中心聯繫。\n"
    "香港華信金融調解中心\n2026年12月8日\n",
    "致各金融机构：\n本人邱家乐已与鼎和消费者权益调解服务中心签订调解服务协议，由该中心全权处理本人所有欠款。请停止催收，一切事宜与该中心联系。\n"
    "邱家乐\n2026/12/08\n",
    "停止催收告知函\n致：汇通消费金融有限公司\n借款人何美芳与贵司借款纠纷一案，已由本调解室受理。调解期间贵司应停止催收，有关事宜请与本调解室"
    "联系。\n南粤消费者权益保护调解室\n2026年12月4日\n",
    "调解委托书\n委托人：张伟强\n受托单位：深圳市恒安调解服务中心\n首席调解员：刘国辉\n委托事项：代本人与各机构协商停息挂账\n"
    "委托期限：一年\n委托人（签字）：\n2026年12月5日\n",
]
LAWFUL = [
    "关于邀请参加人民调解的函\n安和银行信用卡中心：\n我镇居民吴桂兰因信用卡欠款与贵行发生纠纷，向我镇人民调解委员会申请调解。"
    "现函请贵行派员到青石镇司法所调解室参加调解，协商分期还款方案。\n青石镇人民调解委员会\n2026年12月3日\n",
    "授权委托书\n委托人：赵春梅，身份证号：430521197503084426\n受托人：龙德顺，身份证号：430521196807120017\n"
    "受托人系本村村民委员会人民调解员。\n委托龙德顺代为向瑞丰小额贷款有限公司说明本人困难，协商分期还款。\n"
    "委托期限：至本次协商结束止。\n委托人（按手印）：赵春梅\n2026年12月1日\n",
    "委托书\n委托人：孙建军，身份证号：320102196911053318\n受托人：钱玉珍，南京市玄武区法律援助中心律师，执业证号：13201200821167093\n"
    "现委托钱玉珍律师代本人与安和银行信用卡中心协商分期还款。\n委托期限：至2027年3月3日。\n委托人签字：孙建军\n二〇二六年十二月四日\n",
    "授权委托书\n委托人：苗翠兰，身份证号：610102196210203328\n受托人：蔺建军，西安市长安区韦曲法律服务所法律服务工作者，"
    "执业证号：36101182019012\n本人经长安区法律援助中心审查符合法律援助条件，由该中心指派蔺建军为本人提供法律援助。\n"
    "委托事项：代为与恒通银行信用卡中心协商分期还款。\n委托期限：至本事项办结之日止。\n委托人签字：苗翠兰\n2026年12月1日\n",
]


@pytest.mark.parametrize("text", POSING)
def test_a_company_posing_as_a_mediator_is_high(text, policy):
    assert any(f.severity == "high" for f in run_checks(doc(text), policy)[1])


@pytest.mark.parametrize("text", LAWFUL)
def test_public_mediators_and_legal_aid_are_lawful(text, policy):
    kind, found = run_checks(doc(text), policy)
    assert kind in ("authorisation", "complaint")
    assert all(f.severity == "info" for f in found), [(f.check, f.severity) for f in found]


def test_a_cantonese_hand_over_with_the_agents_id_in_brackets_is_a_complete_authorisation(policy):
    text = ("致：安信銀行信用卡中心\n本人周永康，身份證號碼４４０１０４１９６５０８０８１２１５。我中咗風，行動唔方便，而家由我嘅女周嘉欣"
            "（身份證號碼４４０１０４１９９００２０２１２２８）代我處理張信用卡嘅還款同分期申請，佢可以代我簽名。\n"
            "有效期至２０２７年６月３０日。\n委託人：周永康（打手指模）\n日期：5/12/2026\n")
    kind, found = run_checks(doc(text), policy)
    assert kind == "authorisation" and all(f.severity == "info" for f in found)
    assert all(v for k, v in elements(text).items() if k != "licence")
