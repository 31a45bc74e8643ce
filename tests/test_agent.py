"""AgentAssist and the JSON API: real Chroma in a temp dir, real SQLite, real HTTP (uvicorn on 127.0.0.1)."""

import json
import time
import urllib.error
import urllib.request

import pytest

from assist.agent import NO_FIT
from assist.bootstrap import build_agent, build_ingestor, packaged_knowledge_dir
from assist.settings import AgentSettings, EmbedderSettings, Settings

from conftest import serve


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    s = Settings(data_dir=tmp_path_factory.mktemp("agent"), embedder=EmbedderSettings(kind="hash"))
    build_ingestor(s).ingest([packaged_knowledge_dir()])
    return s


@pytest.fixture(scope="module")
def agent(settings):
    return build_agent(settings)


def test_third_party_gets_verification_scripts_with_citations(agent):
    sid = agent.start({"number_matches": "no"}, {"客户称呼": "王女士"})
    agent.on_turn(sid, {"speaker": "agent", "text": "您好，请问有什么可以帮您？"})
    r = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈，你把他欠多少告诉我。"})
    assert r.risk["category"] == "intermediary" and r.risk["level"] in ("medium", "high")
    assert 1 <= len(r.suggestions) <= 3
    ids = [s.script_id for s in r.suggestions]
    assert any(i in ids for i in ("script-unverified-third-party", "script-self-styled-legal-affairs"))
    for s in r.suggestions:
        assert s.citations and all(c.title for c in s.citations) and s.reason
        assert "{" not in s.text                                  # slots filled
    assert {a["id"] for a in r.actions} >= {"verify_identity"}
    assert all(p["doc_id"].startswith(("reg-", "guide-")) for p in r.passages)


def test_personal_data_is_masked_before_anything_is_kept(agent, settings):
    sid = agent.start()
    agent.on_turn(sid, {"speaker": "caller", "text": "我手机13800138000，身份证11010519491231002X"})
    kept = agent._get(sid).turns[-1].text
    assert "13800138000" not in kept and "【手机号】" in kept and "【身份证号】" in kept


def test_nothing_fits_says_so(agent):
    sid = agent.start()
    r = agent.on_turn(sid, {"speaker": "caller", "text": "今天天气不错"})
    assert r.suggestions == () and r.message == NO_FIT


def test_feedback_lowers_a_script_in_that_situation_boundedly_and_reversibly(agent):
    def first_suggestion():
        sid = agent.start({"number_matches": "no"})
        r = agent.on_turn(sid, {"speaker": "caller", "text": "我是借款人的法务，以后他的事都由我来谈。"})
        return sid, r.suggestions

    sid, sugs = first_suggestion()
    top = sugs[0]
    rejected = []
    for _ in range(10):
        _, again = first_suggestion()
        s = next((x for x in again if x.script_id == top.script_id), None)
        if s is None:
            break
        agent.feedback(s.id, "rejected", agent_id="a1")
        rejected.append(s.id)
    _, after = first_suggestion()
    assert after[0].script_id != top.script_id                    # kept rejecting: ranks lower
    penalty = agent._penalty(top.script_id, "intermediary")
    assert 0 < penalty <= 0.6                                      # bounded
    for sug_id in rejected:                                        # agents later use it again
        agent.feedback(sug_id, "used")
    assert agent._penalty(top.script_id, "intermediary") == 0
    _, restored = first_suggestion()
    assert restored[0].script_id == top.script_id                 # reversible
    agent.tag(sid, True, "a1")
    assert agent.store.tag_state(sid, "疑似代理") is True
    agent.tag(sid, False, "a1")
    assert agent.store.tag_state(sid, "疑似代理") is False



@pytest.fixture(scope="module")
def server(agent):
    from assist.api import create_app

    with serve(create_app(agent, max_request_kb=16)) as url:
        yield url


def _post(url, body, raw=None):
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
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
    code, _ = _post(server + "/v1/feedback", {"session_id": sid, "suspected_agent": True})
    assert code == 200
    code, v = _post(f"{server}/v1/sessions/{sid}/verified", {})
    assert code == 200 and "level" in v
    # clear 4xx errors
    assert _post(server + "/v1/sessions/nope/turns", {"speaker": "caller", "text": "x"})[0] == 404
    assert _post(f"{server}/v1/sessions/{sid}/turns", {"speaker": "robot", "text": "x"})[0] == 422
    assert _post(server + "/v1/feedback", {"suggestion_id": "zzz", "action": "used"})[0] == 400
    assert _post(server + "/v1/feedback", {})[0] == 400
    assert _post(f"{server}/v1/sessions/{sid}/turns", None, raw=b"{" + b" " * 20000 + b"}")[0] == 413
    with urllib.request.urlopen(server + "/openapi.json", timeout=10) as r:
        assert "/v1/sessions/{session_id}/turns" in json.loads(r.read())["paths"]


def test_sessions_expire(settings):
    short = build_agent(settings.model_copy(update={"agent": AgentSettings(session_ttl_minutes=0.0005)}))
    sid = short.start()
    time.sleep(0.1)
    from assist.agent import SessionNotFound

    with pytest.raises(SessionNotFound):
        short.on_turn(sid, {"speaker": "caller", "text": "你好"})


@pytest.mark.integration
def test_service_with_the_bundled_embedder_and_the_full_model(e5_settings):
    a = build_agent(e5_settings)
    assert a.assessor.model is not None and a.assessor.semantic is not None
    sid = a.start({"number_matches": "no"})
    r = a.on_turn(sid, {"speaker": "caller", "text": "你好，我是刘先生的债务规划师，他的事现在由我负责，你把他欠多少告诉我"})
    assert r.risk["category"] == "intermediary"
    assert {"script-unverified-third-party", "script-self-styled-legal-affairs"} & {s.script_id for s in r.suggestions}
    sid = a.start({"number_matches": "yes"})
    r = a.on_turn(sid, {"speaker": "caller", "text": "我上个月失业了，这个月实在还不上，能不能想想办法"})
    assert r.risk["level"] == "low"
    assert "script-hardship-job-loss" in {s.script_id for s in r.suggestions}
