"""The staff JSON API over real HTTP (uvicorn on 127.0.0.1), and the staff service with the bundled embedder and
the shipped model."""

import json
import urllib.error
import urllib.request

import pytest

from assist.adapters.sql_feedback_store import SqlFeedbackStore
from assist.bootstrap import build_http_auth, build_staff_assist
from assist.edges.http.app import create_api
from testkit.auth import seed_accounts
from testkit.helpers import serve

HEADERS: dict[str, str] = {}


@pytest.fixture
def server(agent_settings):
    HEADERS.update(seed_accounts(agent_settings).headers)
    with serve(create_api(build_staff_assist(agent_settings), max_request_kb=16,
                          auth=build_http_auth(agent_settings))) as url:
        yield url


def _post(url, body, raw=None, headers=None):
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **HEADERS,
                                                          **(headers or {})}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def test_api_over_real_http(server):
    with urllib.request.urlopen(server + "/healthz", timeout=10) as r:
        assert json.loads(r.read()) == {"status": "ok"}
    code, body = _post(server + "/v1/sessions", {"meta": {"number_matches": "no"}, "slots": {"客户称呼": "李先生"}})
    assert code == 201
    sid = body["session_id"]
    code, a = _post(f"{server}/v1/sessions/{sid}/turns", {"speaker": "caller", "text": "我是他委托的法务，他的事都归我对接"})
    assert code == 200 and a["risk"]["category"] == "intermediary" and a["suggestions"]
    code, ok = _post(server + "/v1/feedback", {"suggestion_id": a["suggestions"][0]["id"], "action": "edited",
                                                "edited_text": "改过的话术，客户电话13800138000"})
    assert code == 200
    code, _ = _post(server + "/v1/feedback", {"session_id": sid, "suspected_intermediary": True})
    assert code == 200
    code, _ = _post(server + "/v1/feedback", {"session_id": sid, "suspected_agent": False})   # the old name still works
    assert code == 200
    code, v = _post(f"{server}/v1/sessions/{sid}/verified", {})
    assert code == 200 and "level" in v
    # clear 4xx errors
    assert _post(server + "/v1/sessions/nope/turns", {"speaker": "caller", "text": "x"})[0] == 404
    assert _post(f"{server}/v1/sessions/{sid}/turns", {"speaker": "robot", "text": "x"})[0] == 422
    assert _post(server + "/v1/feedback", {"suggestion_id": "zzz", "action": "used"})[0] == 400
    assert _post(server + "/v1/feedback", {})[0] == 400
    assert _post(f"{server}/v1/sessions/{sid}/turns", None, raw=b"{" + b" " * 20000 + b"}")[0] == 413


def test_a_turn_resent_over_http_is_taken_once(server):
    """The call platform resends a turn whose answer it did not get (Idempotency-Key header or turn_id)."""
    sid = _post(server + "/v1/sessions", {"meta": {"number_matches": "no"}})[1]["session_id"]
    turn = {"speaker": "caller", "text": "我最近失业了，能不能分期还"}
    code, a = _post(f"{server}/v1/sessions/{sid}/turns", turn, headers={"Idempotency-Key": "asr-seg-17"})
    code2, b = _post(f"{server}/v1/sessions/{sid}/turns", turn, headers={"Idempotency-Key": "asr-seg-17"})
    assert code == code2 == 200 and a["turn_index"] == b["turn_index"] == 0
    assert [s["script_id"] for s in a["suggestions"]] == [s["script_id"] for s in b["suggestions"]]
    code, c = _post(f"{server}/v1/sessions/{sid}/turns", {**turn, "turn_id": "asr-seg-18"})
    assert code == 200 and c["turn_index"] == 1
    code, err = _post(f"{server}/v1/sessions/{sid}/turns", {"speaker": "caller", "text": "别的话", "turn_id": "asr-seg-18"})
    assert code == 409 and err["field"] == "turn_id"
    assert _post(f"{server}/v1/sessions/{sid}/turns", {**turn, "turn_id": "<script>"})[0] == 422
    with urllib.request.urlopen(server + "/openapi.json", timeout=10) as r:
        assert "/v1/sessions/{session_id}/turns" in json.loads(r.read())["paths"]


def test_service_with_the_bundled_embedder_and_the_full_model(e5_index, tmp_path):
    a = build_staff_assist(e5_index, store=SqlFeedbackStore(f"sqlite:///{tmp_path / 'fb.sqlite'}"))
    assert a.assessor.model is not None and a.assessor.semantic is not None
    sid = a.start({"number_matches": "no"})
    r = a.on_turn(sid, {"speaker": "caller", "text": "你好，我是刘先生的债务规划师，他的事现在由我负责，你把他欠多少告诉我"})
    assert r.risk["category"] == "intermediary"
    assert {"script-unverified-third-party", "script-self-styled-legal-affairs"} & {s.script_id for s in r.suggestions}
    sid = a.start({"number_matches": "yes"})
    r = a.on_turn(sid, {"speaker": "caller", "text": "我上个月失业了，这个月实在还不上，能不能想想办法"})
    assert r.risk["level"] == "low"
    assert r.suggestions[0].script_id == "script-hardship-job-loss" and r.suggestions[0].family == "need"
    # an angry genuine borrower naming 12378 and 暴力催收: their own need first, never a suspicion script
    r = a.on_turn(sid, {"speaker": "caller", "text": "你们催收天天打我同事电话，这就是暴力催收！我要打12378投诉你们！"})
    assert r.risk["level"] == "low" and r.suggestions and r.suggestions[0].family == "need"
    assert all(s.family != "intermediary" and s.reason for s in r.suggestions)
