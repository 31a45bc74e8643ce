"""Document review rules from round forty's misses (L112-L115; held out when this stop's third commit was measured,
then tuned on), table-driven, on letters written here: Wu speech (阿拉 "my/we", 伊 "he/she", 囡 "daughter"), Hakka
心舅, 老弟 and the principal's employer as ties; a name with a middle dot; "我是贵司借款人某某（身份证…）"; a line that opens
with the agent's name and what they do; words typed with spaces between them; "自签署之日起壹年"; a message signed off
"——某某"; a bracketed line on who typed the letter is not a tie; a message handing the loan over ("我让阿迪力跟你们说",
"由我老弟某某代我跟你们联系") is an authorisation; an outfit's notice to a group it names itself ("各位船老大", "各位聋友")
telling them not to repay is high, while a complaint addressed "各位领导" is not such a notice."""

from __future__ import annotations

import pytest

from assist.review.checks import classify, run_checks
from assist.review.checks.reading import reading_text, reading_view
from tests.unit.review.conftest import doc, elements, highs


@pytest.mark.parametrize("written,read", [
    ("以后这笔账就交给阿拉囡晓蕾，你们有啥事体打伊电话，伊讲了就算我讲的。", "以后这笔账就交给我的囡晓蕾,你们有啥事体打他电话,他讲了就算我讲的。"),
    ("我在阿拉善盟放羊，伊犁的亲戚也借过钱。", "我在阿拉善盟放羊,伊犁的亲戚也借过钱。"),
])
def test_wu_pronouns_read_as_mandarin_and_place_names_stay(written, read):
    assert reading_text(written) == read


@pytest.mark.parametrize("text,part,present", [
    ("蓝湾花客服你们好\n我是林海生，身份证330903197703152419。以后这笔账就交给阿拉囡晓蕾，林晓蕾，伊在宁波上班，你们有啥事体打伊电话。\n",
     "relationship", True),
    ("委托书\n我委托我屋下心舅钟小敏替我去银行办延期。\n", "relationship", True),
    ("委托书\n我委托何小芳替我去营业厅交材料，她是我上班的药房的老板娘。\n", "relationship", True),
    ("授权委托书\n委托人：张三\n受托人：李律师，某某律师事务所\n执业证号：14403201910275543\n（这封是我女儿照妈妈的手语意思写的）\n",
     "relationship", False),
    ("胡杨分期客服你好\n我是阿不都热合曼·买买提 身份证650104198408202246 以后这个分期的事情我让我弟弟替我跟你们说。\n", "principal", True),
    ("您好，我是贵司借款人钟小敏（身份证后四位4226）。这半个月我这笔借款的还款协商，由我老弟钟小明代我跟你们联系。\n", "principal", True),
    ("授 权 书\n我 曹小敏，身份证 430102198309204023。\n唐小英 替 我 去 问 你们：还 多少，能 不 能 分 开 还。\n时间 两 个 月。\n", "agent", True),
    ("授 权 书\n我 曹小敏，身份证 430102198309204023。\n唐小英 替 我 去 问 你们：还 多少，能 不 能 分 开 还。\n时间 两 个 月。\n", "term", True),
    ("会员授权书\n委托人：黄某\n受托方：某某互助会\n委托期限：自签署之日起壹年，期满自动续期壹年。\n", "term", True),
    ("【短信】发送至：某某贷客服\n我林海生，这笔账交给我侄子林阿波替我打理，还款、协商都找他。\n——林海生\n", "signature", True),
    ("授权委托书\n现委托吐尔逊·阿不都代我办理延期。\n委托人：吐尔洪·艾买提\n2027年6月3日\n", "signature", True),
])
def test_parts_said_in_new_ways(text, part, present):
    assert elements(text)[part] is present


GRANTS = [
    "某某分期客服你好\n我是古丽·吐尔逊 身份证650104198408202246 还有五期没有还\n我汉语不好。以后这个分期的事情，我让阿迪力跟你们说，阿迪力是我的"
    "小弟弟。还钱多少 什么时候还，他跟你们说好了就是我说好了。\n——古丽\n",
    "[短信] 发送至：某某消费金融\n您好，我是贵司借款人钟小敏（身份证后四位4226）。这半个月里，我这笔借款的还款提醒和还款协商，"
    "由我老弟钟小明代我跟你们联系，有事直接找他就行。他只负责沟通，不替我签任何新协议。\n—— 钟小敏\n",
]


@pytest.mark.parametrize("text", GRANTS)
def test_a_message_handing_the_loan_to_a_brother_is_an_authorisation(text):
    assert classify(reading_view(doc(text))) == "authorisation"


NOTICE = ("某某渔民债务调处工作站\n致各位签约船老大的通知\n\n各位船老大：\n开渔出海后，各银行、平台和催收的电话一律不要接。不要自己去银行、平台还款，"
          "自己还了钱前面的调处全部白做。尚未付清调处服务费尾款的，请在开渔前交到工作站。\n")
SPACED = ("【群公告】某某聋人互助会·会员1群\n\n各位 聋 友 好！\n\n一、入会 以后，平台 电话、短信 都 不 要 回。钱 先 不 要 还，等 本会 通知。\n"
          "二、会费 到 期 的 会员，请 续 费 1980 元。\n")
LEADERS = ("投诉信\n各位领导：\n我是贵司借款人王小明。催收人员一天打十几个电话到我单位，请停止骚扰我的同事。我没有不还，只是这个月工资晚发，"
           "请给我宽限几天，不要再打我单位电话了。\n王小明\n2027年6月3日\n")


@pytest.mark.parametrize("text", [NOTICE, SPACED])
def test_a_notice_to_a_group_it_names_telling_them_not_to_repay_is_high(policy, text):
    assert run_checks(doc(text), policy)[0] == "other"
    assert "agency.coaching_notice" in highs(policy, text)


GREETING = ("致某某贷、某某分期、某某银行信用卡中心：\n\n各位好，我是借款人莫小蔓（身份证450328199807143526），这条消息三家我都发一样的。\n"
            "你们前阵子收到的那封某某协会以我名义发的函不是我的意思，他们也不代表我。请不要再联系我的同事，我会按时还款，请给我两个月的宽限。\n")


@pytest.mark.parametrize("text", [LEADERS, GREETING])
def test_a_complaint_addressed_to_the_lenders_staff_is_not_such_a_notice(policy, text):
    kind, found = run_checks(doc(text), policy)
    assert kind == "complaint"
    assert not [f for f in found if f.severity != "info"]


def test_a_tie_on_a_line_where_ocr_ran_the_principal_and_agent_rows_together_is_the_agents():
    """A phone photo's OCR can join two form rows: the principal's note in brackets no longer hides the agent's tie."""
    text = ("授权委托书\n委托人(员工):聂小峰工号:HS0427身份证号:320583198906113317受托人:江小月身份证号:320583199102058826"
            "本公司人力资源部专员,与委托人系同事\n委托事项:代委托人提交在职证明。\n")
    assert elements(text)["relationship"] is True
    assert elements("授权委托书\n授权人：李小兰（工亡人员郭小军之配偶）\n受托人：某某律师事务所王律师\n")["relationship"] is False
