"""Reading a consumer's message for who said what: pasted dialogues in their usual shapes, forwarded SMS, a
screenshot's OCR text, and retellings in the consumer's own words."""

import pytest

from assist.consumer.reading import read_message
from assist.consumer.scams import evidence_of, scam_check


def roles(message):
    return [(s.role, s.text) for s in read_message(message).segments]


@pytest.mark.parametrize("message", [
    "我刚接到一个电话，对话是这样的：\n对方：您好，这里是银行客服中心，您的账户有异常\n我：怎么了？\n"
    "对方：请报一下银行卡号和验证码\n我：我不会给你的\n这是诈骗吗？",
    "我刚接到一个电话，对话是这样的：\n您好，这里是银行客服中心，您的账户有异常\n怎么了？\n"
    "请报一下银行卡号和验证码\n我不会给你的\n这是诈骗吗？",
    "我刚接到一个电话，对话是这样的：\nA：您好，这里是银行客服中心，您的账户有异常\nB：怎么了？\n"
    "A：请报一下银行卡号和验证码\nB：我不会给你的\n这是诈骗吗？",
    "帮我看看：对方：您好，这里是银行客服中心，您的账户有异常 我：怎么了？ 对方：请报一下银行卡号和验证码 "
    "我：我不会给你的 这是诈骗吗？",
])
def test_a_pasted_dialogue_in_any_usual_shape_separates_caller_and_consumer(message):
    r = read_message(message)
    assert r.form == "dialogue" and r.is_report
    other = r.text(("other",))
    assert "请报一下银行卡号和验证码" in other and "我不会给你的" not in other
    assert "我不会给你的" in r.text(("self",))
    assert "这是诈骗吗" not in r.evidence                          # the consumer's question is no evidence


def test_unknown_speaker_names_the_first_is_the_caller():
    r = read_message("张经理：您好，您的快递丢了要给您理赔\n小王：哦\n张经理：您先加我微信\n小王：好")
    assert r.form == "dialogue"
    assert r.text(("other",)).startswith("您好，您的快递丢了") and r.text(("self",)) == "哦\n好"


@pytest.mark.parametrize("message,body", [
    ("收到一条短信：【某银行】您的积分即将清零，请点击链接兑换。是真的吗？", "【某银行】您的积分即将清零，请点击链接兑换。"),
    ("【某快递】您的包裹地址不详，请补全信息。", "【某快递】您的包裹地址不详，请补全信息。"),
    ("中国移动 4G\n10:32\n95588\n【某银行】您的手机银行今日停用，请登录升级。\n发送", "【某银行】您的手机银行今日停用，请登录升级。"),
])
def test_a_forwarded_sms_or_its_screenshot_is_the_senders_words(message, body):
    r = read_message(message)
    assert r.form == "sms" and r.text(("other",)) == body
    assert "10:32" not in r.evidence and "发送" not in r.evidence   # status bar and buttons of the screenshot


def test_a_retelling_attributes_requests_to_the_caller_and_denials_to_the_consumer():
    segs = roles("有个自称银行的人说我账户异常，要我把验证码发给他，我没给，也没转账，他就骂我。这是诈骗吗？")
    assert segs == [("other", "有个自称银行的人说我账户异常，"), ("other", "要我把验证码发给他，"), ("self", "我没给，"),
                    ("self", "也没转账，"), ("story", "他就骂我。"), ("frame", "这是诈骗吗？")]


def test_quoted_speech_belongs_to_whoever_said_it():
    assert roles("他说“你的包裹丢了，我们赔你三倍”，我说“不用了”") == [
        ("other", "他说"), ("other", "你的包裹丢了，我们赔你三倍"), ("self", "我说"), ("self", "不用了")]


def test_the_consumers_own_account_is_evidence():
    r = read_message("我在网上找了个停息挂账的公司，交了2000服务费，现在联系不上了")
    assert r.form == "retelling" and all(s.role == "story" for s in r.segments)
    assert scam_check("我在网上找了个停息挂账的公司，交了2000服务费，现在联系不上了") is not None


def test_who_asked_for_what_decides_the_verdict():
    assert evidence_of("我没给验证码").text == ""
    assert scam_check("我没给验证码，也没转账，这样应该没事吧？") is None
    assert scam_check("我跟他说我不会告诉你验证码的") is None
    v = scam_check("对方让我把手机收到的验证码念给他，我没给，直接挂了")
    assert v is not None and v.schemes[0]["id"] == "credentials_request" and not v.urgent
    assert any("验证码念给他" in q for q in v.schemes[0]["red_flags"])
    assert all("我没给" not in q for q in v.schemes[0]["red_flags"])


def test_segments_point_into_the_message_as_written():
    message = "收到一条短信：【某银行】您的账户异常，请回电处理。\n这个是真的吗？"
    for s in read_message(message).segments:
        assert message[s.start:s.end].strip() == s.text.strip()


def test_a_call_pasted_as_one_paragraph_is_a_paste_whose_denials_are_the_consumers():
    message = ("接到一个陌生来电，我把对话记下来了：您好，我是国家彩票中心的工作人员，恭喜您中了一等奖！ "
               "我没有买过彩票。 领奖要先交两千元手续费，请把身份证号报给我。\n这是诈骗吗？")
    r = read_message(message)
    assert r.form == "dialogue" and r.is_report
    assert r.text(("frame",)) == "接到一个陌生来电，我把对话记下来了：\n这是诈骗吗？"
    assert "我是国家彩票中心的工作人员" in r.evidence and "请把身份证号报给我" in r.evidence
    assert "我没有买过彩票" in r.text(("self",)) and "我没有买过彩票" not in r.evidence
    for s in r.segments:
        assert message[s.start:s.end] == s.text
    assert read_message("他说的原话是：把验证码给我").form == "retelling"     # too short to be a pasted call
