"""Nothing echoed can act: text taken from the consumer's message comes back without markup or links, in the quote
itself, in the answer's text and in the API's dict (red flags). One case per vector."""

import json
import re

import pytest

from assist.consumer.echo import LINK, plain_quote

# (vector, what the consumer pastes, what must not come back)
VECTORS = [
    ("tag", "对方发来<b>点这里</b>让我输入验证码", r"<\s*/?\s*b\s*>"),
    ("script", "对方发来<script>alert(1)</script>让我输入验证码", r"script|alert"),
    ("event handler", "对方发来<img src=x onerror=alert(1)>让我输入验证码", r"onerror|<img|alert"),
    ("bare event handler", "对方说 onerror=alert(1) 让我输入验证码", r"onerror\s*=|alert\("),
    ("svg onload", "对方发来<svg onload=alert(1)>让我输入验证码", r"onload|<svg"),
    ("javascript url", "对方发来javascript:alert(document.cookie)让我输入验证码", r"javascript\s*:"),
    ("data url", "对方发来data:text/html;base64,PHNjcmlwdD4=让我输入验证码", r"data\s*:"),
    ("http link", "对方发来http://pay-x.top/a?b=1让我输入验证码", r"https?://|pay-x\.top"),
    ("https link", "对方发来 https://m.bank-x.com/login 让我输入验证码", r"https?://|bank-x\.com"),
    ("defanged link", "对方发来hxxp://kd-bq.vip/x8让我输入验证码", r"hxxp|kd-bq\.vip"),
    ("www link", "对方发来www.jf-duihuan.cn让我输入验证码", r"www\.|jf-duihuan"),
    ("bare domain", "对方发来 tuifei-xx.cn/a 让我输入验证码", r"tuifei-xx\.cn"),
    ("markdown link", "对方发来[官方客服](http://fake.example/x)让我输入验证码", r"\]\(|fake\.example"),
    ("markdown image", "对方发来![](http://fake.example/p.png)让我输入验证码", r"!\[|fake\.example|\.png"),
    ("html comment", "对方发来<!-- x -->让我输入验证码", r"<!--|-->"),
]


@pytest.mark.parametrize("vector,text,banned", VECTORS, ids=[v[0] for v in VECTORS])
def test_plain_quote_strips_each_vector(vector, text, banned):
    out = plain_quote(text)
    assert not re.search(banned, out, re.I), out
    assert "<" not in out and ">" not in out and "`" not in out
    assert "让我输入验证码" in out                                  # the words around it survive


def test_a_link_leaves_a_mark_and_plain_words_are_kept():
    assert plain_quote("请点击 http://a.cn/x 领取") == f"请点击 {LINK} 领取"
    assert plain_quote("他让我把验证码念给他，还说转账到安全账户") == "他让我把验证码念给他，还说转账到安全账户"
    assert plain_quote("利率3.5%，年化12%") == "利率3.5%，年化12%"       # numbers are not domains


@pytest.mark.parametrize("vector,text,banned", VECTORS, ids=[v[0] for v in VECTORS])
def test_answers_and_their_api_dict_echo_nothing_that_can_act(consumer_chat, vector, text, banned):
    message = "我收到一条短信，" + text + "，还要我转账到安全账户，这是诈骗吗？"
    a = consumer_chat.respond(message)
    assert a.kind == "scam" and not a.refused
    flags = [f for s in a.to_dict()["scam"]["schemes"] for f in s["red_flags"]]
    assert flags
    for shown in [a.text, json.dumps(a.to_dict(), ensure_ascii=False), *flags]:
        assert not re.search(banned, shown, re.I), (vector, shown)
        assert "<" not in shown and ">" not in shown
