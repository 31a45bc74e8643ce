"""Document review rules from round forty-one's misses (L116-L119; held out when the last stop's code was measured,
then tuned on), table-driven, on letters written here: markdown marks ("**受托人**：", "## 期限") blanked in the reading
form; a Tibetan or Mongolian name of four characters as the agent; 丫头 (north-western "daughter") as a tie and in a
message handing the loan over; "与借款人关系" on a form whose principal is the borrower; "替我做这些事情：" opening a list
of matters; "在…之前都有效" as a term; an outfit's notice whose header says it goes to all its customers, with quotation
marks in its salutation and "请勿自行…还款", is high and does not read as a revocation; an agent asking for passwords
or codes is high, while a warning never to give them away is not; and the element model reading dates by their shape."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.reading import reading_text, reading_view
from assist.review.element_model import sentence_form
from tests.unit.review.conftest import doc, elements, highs, serious


@pytest.mark.parametrize("written,read", [
    ("**受托人**：李小航", "  受托人  :李小航"),
    ("## 期限", "   期限"),
    ("> 以上为本人口述", "  以上为本人口述"),
    ("委托人：__张小芳__", "委托人:__张小芳__"),          # a form's blanks are not markdown
    ("共3#楼", "共3#楼"),
])
def test_markdown_marks_are_blanked_in_the_reading_form(written, read):
    assert reading_text(written) == read
    assert len(reading_text(written)) == len(written)


MARKDOWN = ("# 授权委托书\n\n**委托人**：沈小言，身份证号 330106199603124517\n**受托人**：吕小航\n**关系**：他是我原来部门的组长。\n\n"
            "## 授权范围\n\n- 代我向某某分期提交离职证明；\n- 代我就延期申请与客户经理沟通。\n\n## 期限\n\n2027-08-09 至 2027-08-23\n\n"
            "委托人签字：沈小言\n日期：2027-08-08\n")


def test_a_markdown_authorisation_has_every_part():
    got = elements(MARKDOWN)
    assert all(got[p] for p in ("principal", "agent", "relationship", "scope", "term", "signature", "date")), got


@pytest.mark.parametrize("text,part,present", [
    ("委托\n某某银行：\n这三个月每个月的钱，我委托达瓦卓玛替我到你们柜台去还，她是我们村的。\n", "agent", True),
    ("委托\n某某银行：\n我委托巴图孟和替我去网点办延期，他是我一起拉货的伙计。\n", "agent", True),
    ("某某借客户授权委托书\n借款人（委托人）姓名：王小军\n被委托人姓名：刘小梅\n与借款人关系：我媳妇，一起在厂里上班\n", "relationship", True),
    ("授权委托书\n委托人：赵小红\n工亡人员姓名：郭小军 与借款人关系：夫妻\n受托人：某某律师事务所王律师\n", "relationship", False),
    ("委托书\n我叫许小良。我想叫我女儿许小晴帮我来弄。她可以替我做这些事情：\n- 同你们打电话，商量分期慢慢还；\n- 问你们要合同。\n",
     "scope", True),
    ("你好，我让我老公顾小言帮我跟你们对接，包括协商分期。这个授权在分期方案定下来之前都有效。\n", "term", True),
    ("你好，我让我老公顾小言帮我跟你们对接，包括协商分期。我在分期方案定下来之前都在外地。\n", "term", False),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


def test_a_message_handing_the_loan_to_a_daughter_said_as_yatou_is_an_authorisation():
    text = ("【某某借APP 在线客服 · 用户留言】\n你好 我是借款人马小福 身份证尾号2317 我住院了 大夫不让多耍手机\n"
            "我的账从这个月开始让我丫头马小燕替我弄 她是我亲丫头 还款 查账 商量晚几天的事 都行\n就到我出院为止\n马小福\n")
    assert classify(reading_view(doc(text))) == "authorisation"
    got = elements(text)
    assert got["agent"] and got["relationship"] and got["scope"] and got["term"]


NOTICE = ("【某某从业者债务规划工作室 · 服务包客户通知】\n发布时间：2027年9月20日\n发布范围：全体服务期内客户\n\n各位“上岸”路上的伙伴：\n\n"
          "一、服务期内请勿自行向任何平台还款，自行还款视为放弃服务，费用不予退还。\n"
          "二、近期有个别客户自行撤销了对本工作室的授权，撤销后产生的一切后果由客户本人承担。\n")


def test_a_notice_to_all_its_customers_telling_them_not_to_repay_is_high_and_no_revocation(policy):
    kind, found = run_checks(doc(NOTICE), policy)
    assert kind == "other"
    checks = [f.check for f in found]
    assert "agency.coaching_notice" in checks
    assert "auth.revoked_agency" not in checks


@pytest.mark.parametrize("text", [
    ("某某债务优化工作室 客户须知\n各位客户：\n如您修改了任何平台App的登录密码或支付密码，请在24小时内同步给您的优化师，否则方案无法推进。\n"),
    ("服务确认单\n客户：王小军\n为便于代为协商，客户须提供各平台的登录账号及登录密码，并将短信验证码转给专员。\n服务费：3980元\n"),
])
def test_an_agent_asking_for_passwords_or_codes_is_high(policy, text):
    assert set(highs(policy, text)) & {"agency.takes_credentials", "agency.coaching_notice"}


def test_a_lenders_warning_never_to_give_codes_away_is_not(policy):
    text = ("某某消费金融 温馨提示\n尊敬的客户：\n本公司工作人员不会向您索要密码。请勿将登录密码、验证码告诉任何人，包括自称客服、顾问的人。\n"
            "如有疑问请拨打官方客服电话。\n")
    assert not serious(policy, text)


@pytest.mark.parametrize("a,b", [
    ("2027-08-09 至 2027-08-23", "2027年8月9日 至 2027年8月23日"),
    ("2027.8.9至2027.8.23", "2027年08月09日至2027年08月23日"),
])
def test_the_element_model_reads_dates_by_their_shape(a, b):
    assert sentence_form(a) == sentence_form(b)
    assert "2027" not in sentence_form(a)
