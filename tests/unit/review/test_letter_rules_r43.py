"""Document review rules from round forty-three's safety misses (L124-L127), fixed after that round was scored once
on 796ea38 (so round forty-three is no longer untouched for these three rules; README says so), on letters written
here: a lawful authorisation whose agent is to act against an agency ("向某某援助中心要回…", "就某某公司以本人名义发出的
函件作出说明") is not read as entrusting that agency; a complaint about the lender's own collector ("说是你们委托的催收")
is no paid agent's; an outfit's notice to "各位援助对象、牧民朋友们" telling them not to repay is high. The agency
entrusted to get something back ("委托某某中心要回…") is still high."""

from __future__ import annotations

import pytest

from tests.unit.review.conftest import highs, serious

FIRM_AGAINST = [
    ("授权委托书\n某某借：\n我委托某某律师事务所的韩小梅律师（律师执业证号11525201821037591）替我办两件事：一是和你们商量我欠的借款怎么还；"
     "二是向某某牧民金融援助中心要回我家货车的登记证书和我交的4700块钱。委托时间从2027年9月1日到2027年12月31日。她是我请的律师。\n"
     "委托人：巴小尔（按手印）\n2027年9月1日\n"),
    ("授权委托书\n本人郑小东（身份证号330381198306270917）委托某某律师事务所徐小怡律师（执业证号：13303202010956327）为本人的代理人，"
     "代本人与某某消费金融有限公司协商还款方案，并就此前某某法律咨询有限公司以本人名义发出的函件向贵司作出说明。委托期限至2027年12月31日。\n"
     "委托人（签字）：郑小东\n2027年9月2日\n"),
]


@pytest.mark.parametrize("text", FIRM_AGAINST)
def test_a_lawyer_sent_against_an_agency_is_not_that_agency(policy, text):
    assert not highs(policy, text)


def test_an_agency_entrusted_to_get_something_back_is_still_high(policy):
    text = ("授权委托书\n委托人：王小军\n本人委托某某债务协商服务中心要回被扣的货车，并全权代为与各平台协商停息挂账。\n服务费3980元。\n"
            "委托人签字：王小军\n2027年9月1日\n")
    assert "auth.trustee_company" in highs(policy, text)


def test_a_complaint_about_the_lenders_own_collector_is_not_warned(policy):
    text = ("某某消费金融公司：\n我是借款人朝小鲁。五月我受伤以后你们同意我每月还两千，六七八月我都按时还了。八月开始有一个叫某某信息咨询公司的"
            "给我打电话，说是你们委托的催收，说要来拖我的车。请核实，让那个催收公司不要再给我亲戚打电话。\n朝小鲁\n2027年9月10日\n")
    assert not serious(policy, text)


def test_a_notice_to_its_aided_herders_telling_them_not_to_repay_is_high(policy):
    text = ("某某牧民金融援助中心\n致援助对象的告知书\n\n各位援助对象、牧民朋友们：\n一、进入援助程序以后，出借方、催收方的电话一律不要接。\n"
            "二、援助期间不要自己向出借方还款，自己还了款会影响停息挂账。\n")
    assert "agency.coaching_notice" in highs(policy, text)


def test_a_letter_greeting_all_its_lenders_is_not_a_notice_to_members():
    from assist.review.checks.authorisation import to_own_members
    from tests.unit.review.conftest import doc

    text = ("致各位借款平台、银行：\n我叫蒙小娟。现在我授权蓝小燕全权代表我处理我在你们各家的所有欠款，她跟你们谈好的我都认。\n")
    assert not to_own_members(doc(text))


# Round forty-three was then tuned on like the rounds before it (its other misses, fixed by meaning):

def test_naming_the_agent_as_the_one_contact_is_an_authorisation():
    from assist.review.checks import classify
    from assist.review.checks.reading import reading_view
    from tests.unit.review.conftest import doc

    text = ("授权声明书\n\n某某借平台负责人、贷后管理部及各合作催收公司：\n\n本人黄小丽，身份证号500105199101284427，系贵平台借款用户。"
            "本人去年失业，目前确实没有能力按原合同还款，绝非恶意拖欠。\n\n本人授权某某工作室优化师杨小帆（工号YX-017）为本人在该笔借款上的唯一"
            "对接人。\n\n请贵平台不要再直接联系本人。\n\n授权人（签字）：黄小丽\n2027年3月11日\n")
    assert classify(reading_view(doc(text))) == "authorisation"


@pytest.mark.parametrize("text,part,present", [
    ("李经理你好，我潘小国。明天要放支架，在我出院之前都由我儿子潘小鸣跟你对接，他交的材料我都认。\n", "principal", True),
    ("李经理你好，我想问。这个月的利息什么时候扣？\n", "principal", False),
    ("李经理你好，我潘小国。明天要放支架，在我出院之前都由我儿子潘小鸣跟你对接，他交的材料我都认。\n", "relationship", True),
    ("李经理你好，我潘小国。明天要放支架，在我出院之前都由我儿子潘小鸣跟你对接，他交的材料我都认。\n", "term", True),
    ("委托书\n我叫巴小尔，让我侄子巴小图替我去你们公司说还款的事。\n说话人：巴小尔（按手印）\n2027年5月4号 在某某苏木卫生院\n", "date", True),
    ("委托书\n我叫巴小尔，让我侄子巴小图替我去你们公司说还款的事。\n出生日期：1983年7月21日\n", "date", False),
])
def test_parts_said_in_new_ways(text, part, present):
    from tests.unit.review.conftest import elements

    assert elements(text)[part] is present
