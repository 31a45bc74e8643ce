"""Document review rules from round fifteen's held-out misses (L38, L39), table-driven, on letters written here: a
township's public service centre named in a farmer's run-on letter and a company's own legal representative are no
agencies (both were false accusations); an unnamed paid team or "mentor" the lender is sent to, and a consulting
company's receipt for a 上岸 course, are the paid-agent sign; a withdrawal typed by voice (取消委拖) and said as "他们发的
东西都不代表我"; a chat in which the borrower grants authority; a principal signed as name + ID, or as 甲方（学员）; an
agent named with a title (导师林悦, 林悦导师)."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.elements import find_elements
from tests.unit.review.conftest import doc, serious


def quotes(text: str) -> dict[str, str | None]:
    return {k: v.quote if v.found else None for k, v in find_elements(doc(text)).items()}



RUN_ON = ("委托书 我叫岩保 身份证530821198203150011 我在农商行贷了八万块钱买茶叶机器 现在逾期三个月了 所以委托我亲哥哥岩温 "
          "身份证530821197808210012 代我去分行跟银行商量还款延期的事情 帮我把村委会的证明和镇上农业服务中心的受灾登记表交给银行 "
          "借新的钱他不能帮我答应 这个委托从今天开始到2027年1月31号为止 本人签字岩保 按手印 2026/12/12")


def test_a_townships_service_centre_in_a_run_on_letter_is_no_agency(policy):
    assert serious(policy, RUN_ON) == []


def test_a_consulting_centre_in_the_same_place_still_is(policy):
    assert "auth.trustee_company" in serious(policy, RUN_ON.replace("所以委托我亲哥哥岩温 身份证530821197808210012",
                                                                    "所以委托云岭债务协商服务中心"))


STAFF = ("授权委托书\n委托单位：义乌市拓岚贸易有限公司\n统一社会信用代码：91330782MA2K000001\n法定代表人：楼晓岚\n"
         "受托人：吴丽萍\n身份证号：330783199101080011\n受托人与委托单位关系：本公司财务人员，我是公司法定代表人楼晓岚。\n"
         "现授权吴丽萍办理以下事项：1. 按月向贵行报送本公司银行流水；2. 代本公司签收对账单。\n"
         "授权期限：2026年12月1日起至2027年5月31日止。\n委托单位（公章）：义乌市拓岚贸易有限公司（盖章）\n日期：2026年12月1日\n")


def test_a_company_whose_legal_representative_writes_is_not_an_agency(policy):
    assert serious(policy, STAFF) == []
    assert quotes(STAFF)["agent"] == "受托人：吴丽萍"


COMPLAINT = ("关于申请停息挂账的协商函\n致：某某平台贷后管理部门：\n本人王志强，身份证号：412726199005210011，于2025年6月在贵平台借款"
             "30000元，现无力还款。请贵司停止计收罚息，剩余本金分60期偿还。\n{line}\n申请人：王志强\n2026年11月28日\n")


@pytest.mark.parametrize("line", ["本人已委托专业团队全程跟进，后续事宜请直接联系本人委托的导师。",
                                  "后续请对接我聘请的顾问。"])
def test_sending_the_lender_to_an_unnamed_paid_team_is_high(policy, line):
    assert "auth.trustee_agency" in serious(policy, COMPLAINT.format(line=line))


@pytest.mark.parametrize("line", ["后续事宜请直接联系本人。", "本人已委托律师处理，请联系律师。"])
def test_the_borrower_or_a_lawyer_is_not(policy, line):
    assert "auth.trustee_agency" not in serious(policy, COMPLAINT.format(line=line))


RECEIPT = ("收款收据\n深圳某航信息咨询有限公司\n（抖音号：稳稳上岸学堂）\n今收到：李成发\n款项名称：上岸陪跑营课程服务费\n"
           "金额：人民币叁仟玖佰捌拾元整\n服务内容：导师全程协商｜停息挂账60期方案定制\n收款单位（盖章）：深圳某航信息咨询有限公司\n"
           "日期：2026年10月15日\n")


def test_a_consulting_companys_receipt_for_a_course_on_getting_debts_stopped_is_high(policy):
    kind, found = run_checks(doc(RECEIPT), policy)
    assert kind == "other" and any(f.severity == "high" for f in found)


def test_a_consulting_companys_receipt_for_other_work_is_not(policy):
    text = RECEIPT.replace("上岸陪跑营课程服务费", "市场调研服务费").replace("导师全程协商｜停息挂账60期方案定制", "消费者问卷调研") \
        .replace("（抖音号：稳稳上岸学堂）\n", "")
    assert serious(policy, text) == []


LEFT = ("农商行信贷部：\n我是李成发。十月份有个叫深圳某航信息咨询有限公司的给你们寄过一个“法务函”，说他们法务团队代表我。我交了3980块进了"
        "他们的“上岸陪跑营”，还签了个全权委托给他们的导师。\n{withdrawal}\n春茶下来以前每个月先还1000，还是想请你们考虑一下。\n"
        "李成发\n2026年12月11日\n")


@pytest.mark.parametrize("withdrawal", ["12月初我跟他们说我取消委拖了。", "以后他们发给你们的任何东西都不代表我。",
                                        "我的贷款我自己跟你们谈。"])
def test_a_borrower_who_left_is_not_warned_however_they_say_it(policy, withdrawal):
    kind, found = run_checks(doc(LEFT.format(withdrawal=withdrawal)), policy)
    assert kind == "complaint"
    assert not [f for f in found if f.severity in ("high", "warn")]


CHAT = ("【微信聊天记录】 某某借-贷后 陈专员\n2026年11月5日 10:17\n周海波：\n你好 我是周海波 欠你们那笔的\n"
        "我已经正式委托信和法务部（债务处置中心）全权处理我名下所有的债务了\n以后你们有事都找我们法务部\n")


def test_a_chat_in_which_the_borrower_grants_authority_is_an_authorisation(policy):
    assert classify(doc(CHAT)) == "authorisation"
    assert any(f.severity == "high" for f in run_checks(doc(CHAT), policy)[1])


def test_a_chat_without_a_grant_is_a_record():
    assert classify(doc(CHAT.replace("我已经正式委托信和法务部（债务处置中心）全权处理我名下所有的债务了", "我这个月工资还没发"))) \
        == "other"


@pytest.mark.parametrize(("text", "part", "expected"), [
    ("我授权导师林悦全权代我处理速融花的协商，导师说的就是我说的。王志强 412726199005210011\n", "principal", "王志强"),
    ("我授权导师林悦全权代我处理速融花的协商，导师说的就是我说的。王志强 412726199005210011\n", "agent", "林悦"),
    ("本人赵丽娟（身份证号：510623198711080011），本人委托林悦导师全权代表本人与平台协商。\n委托人：赵丽娟（签名）\n2026年11月2日\n",
     "agent", "林悦导师"),
    ("服务协议（节选）\n甲方（学员）：何春燕　身份证号：522401199203150011\n乙方：深圳某航信息咨询有限公司\n", "principal", "何春燕"),
])
def test_names_with_titles_and_ids(text, part, expected):
    q = quotes(text)[part]
    assert q is not None and expected in q


def test_a_title_line_is_not_the_agent():
    text = "法律顾问委托书\n本人赵丽娟，委托林悦导师全权代表本人与平台协商。\n法律顾问：林悦\n"
    assert quotes(text)["agent"] != "法律顾问委托书"
