"""The optional LLM path against a local OpenAI-compatible HTTP server started by the test (scripted completions):
the real LangChain client, prompt rendering, token budget and guard fallback all run."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assist.bootstrap import build_staff_assist
from assist.settings import LLMSettings


class Scripted(BaseHTTPRequestHandler):
    replies: list[str] = []
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Scripted.requests.append(body)
        text = Scripted.replies.pop(0) if Scripted.replies else "好的。"
        out = {"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
               "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(out, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def llm_url():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


@pytest.fixture
def agent(agent_settings, llm_url):
    return build_staff_assist(agent_settings.model_copy(update={"llm": LLMSettings(
        provider="openai", base_url=llm_url, model="scripted", prompt_budget=400)}))


def _turn(agent, sid):
    return agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈，电话13800138000"})


def test_compliant_adaptation_is_used(agent):
    Scripted.replies = ["先生您好，为了保护客户信息，请您提供借款人签名的授权委托书原件，我们也会回拨本人核实。"]
    Scripted.requests.clear()
    sid = agent.start({"number_matches": "no"})
    top = _turn(agent, sid).suggestions[0]
    assert top.adapted and top.original and top.text.startswith("先生您好")
    sent = json.dumps(Scripted.requests[-1], ensure_ascii=False)
    assert "13800138000" not in sent and "【手机号】" in sent        # masked before the model
    assert "标准话术" in sent and "疑似第三方代理来电" in sent


def test_non_compliant_adaptation_falls_back_with_a_logged_reason(agent, caplog):
    Scripted.replies = ["没问题，我保证给您全部减免利息。"]
    sid = agent.start({"number_matches": "no"})
    with caplog.at_level(logging.WARNING, logger="assist.staff.rewrite"):
        top = _turn(agent, sid).suggestions[0]
    assert not top.adapted and "合规" in top.note and "减免" not in top.text
    assert any("compliance guard" in r.message for r in caplog.records)


def test_unreachable_model_keeps_the_script(agent_settings):
    a = build_staff_assist(agent_settings.model_copy(update={"llm": LLMSettings(
        provider="openai", base_url="http://127.0.0.1:9/v1", timeout_s=2)}))
    top = _turn(a, a.start()).suggestions[0]
    assert not top.adapted and "模型调用失败" in top.note
