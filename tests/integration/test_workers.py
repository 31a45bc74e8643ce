"""Two `assist serve` processes on one PostgreSQL (live_state = "database"), as the reference deployment runs them:
turns of one call sent alternately to both give the assistance one process gives; a worker killed mid-call loses
nothing; a consumer's follow-up on the other worker keeps its session; the widget's rate limit is one budget for
both. CI provides PostgreSQL (ASSIST_TEST_PG_URL); run by hand without it, this module is skipped with a reason."""

import http.client
import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest

from assist.bootstrap import build_staff_assist
from testkit.auth import seed_accounts
from testkit.helpers import assist_server
from tests.unit.staff.test_shared_sessions import CALL, comparable

PG = os.environ.get("ASSIST_TEST_PG_URL")


@pytest.fixture(scope="module")
def pg_settings(hash_index, tmp_path_factory):
    if not PG:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL (ASSIST_TEST_PG_URL): .ci/run sets it up")
        pytest.skip("no PostgreSQL (set ASSIST_TEST_PG_URL)")
    from sqlalchemy import create_engine, text

    engine = create_engine(PG)
    with engine.begin() as c:                       # a clean slate for this module's live state
        c.execute(text("DROP TABLE IF EXISTS live_sessions, rate_buckets"))
    engine.dispose()
    fb = tmp_path_factory.mktemp("workers-fb")
    return hash_index.model_copy(update={"database_url": PG, "live_state": "database", "agent": hash_index.agent.model_copy(
        update={"feedback_url": f"sqlite:///{fb / 'feedback.sqlite'}"})})


def _post(url, body, headers):
    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class _Turn:
    """The JSON a worker returned, read like StaffAssist's Assistance for ``comparable``."""

    def __init__(self, body):
        self.body = body

    def to_dict(self):
        return self.body


def test_two_workers_share_calls_chats_and_limits(pg_settings, tmp_path, embedding_cache):
    headers = seed_accounts(pg_settings).headers
    env = {"ASSIST_EMBEDDER__KIND": "hash", "ASSIST_EMBEDDER__CACHE_PATH": str(embedding_cache),
           "ASSIST_RETRIEVAL__MIN_RELEVANCE": "-1", "ASSIST_DATABASE_URL": PG, "ASSIST_LIVE_STATE": "database",
           "ASSIST_AGENT__FEEDBACK_URL": pg_settings.agent.feedback_url,
           "ASSIST_CONSUMER__RATE_LIMIT_PER_MINUTE": "1", "ASSIST_CONSUMER__RATE_LIMIT_BURST": "4"}
    one = build_staff_assist(pg_settings.model_copy(update={"live_state": "memory"}))
    sid_one = one.start({"number_matches": "no"})
    data = pg_settings.data_dir
    with assist_server(data, tmp_path / "a.log", tmp_path / "ta", env) as (a, _), \
            assist_server(data, tmp_path / "b.log", tmp_path / "tb", env) as (b, pid_b):
        status, started = _post(a + "/v1/sessions", {"meta": {"number_matches": "no"}}, headers)
        assert status == 201, started
        sid = started["session_id"]
        for i, (speaker, text) in enumerate(CALL[:5]):
            status, got = _post((a, b)[i % 2] + f"/v1/sessions/{sid}/turns", {"speaker": speaker, "text": text},
                                headers)
            assert status == 200, got
            want = one.on_turn(sid_one, {"speaker": speaker, "text": text})
            assert comparable(_Turn(got)) == comparable(want), f"turn {i} on worker {'ab'[i % 2]}"
        # the platform's turn reaches worker b, which dies before the platform reads the answer: the platform
        # resends it with the same id to worker a, and the turn is taken once
        speaker, text = CALL[5]
        status, on_b = _post(b + f"/v1/sessions/{sid}/turns", {"speaker": speaker, "text": text, "turn_id": "seg-5"},
                             headers)
        assert status == 200, on_b
        os.kill(pid_b, signal.SIGKILL)                                  # mid-call: worker b dies
        status, again = _post(a + f"/v1/sessions/{sid}/turns", {"speaker": speaker, "text": text, "turn_id": "seg-5"},
                              headers)
        assert status == 200 and again["turn_index"] == on_b["turn_index"] == 5, again
        assert comparable(_Turn(again)) == comparable(one.on_turn(sid_one, {"speaker": speaker, "text": text}))
        # an idle keep-alive connection outlives uvicorn's 5 s default (agent.keep_alive_s): a proxy reusing it
        # never meets a connection the worker is closing
        conn = http.client.HTTPConnection(a.removeprefix("http://"), timeout=30)
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() and conn.sock is not None
        sock = conn.sock
        time.sleep(6)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200 and conn.sock is sock   # the same connection, still open
        conn.close()
        for speaker, text in CALL[6:]:
            status, got = _post(a + f"/v1/sessions/{sid}/turns", {"speaker": speaker, "text": text}, headers)
            assert status == 200, got
            assert comparable(_Turn(got)) == comparable(one.on_turn(sid_one, {"speaker": speaker, "text": text}))
        assert got["turn_index"] == len(CALL) - 1

    # the consumer widget: a follow-up on the other worker keeps its session; one rate budget for both workers
    with assist_server(data, tmp_path / "c.log", tmp_path / "tc", env) as (c, _), \
            assist_server(data, tmp_path / "d.log", tmp_path / "td", env) as (d, _):
        status, first = _post(c + "/v1/consumer/messages", {"message": "有人说能帮我停息挂账，要先交服务费，可信吗？"}, {})
        assert status == 200, first
        status, follow = _post(d + "/v1/consumer/messages",
                               {"message": "那我该找谁？", "session_id": first["session_id"]}, {})
        assert status == 200 and follow["session_id"] == first["session_id"]
        codes = [_post((c, d)[i % 2] + "/v1/consumer/messages", {"message": "你好"}, {})[0] for i in range(4)]
        assert codes[:2] == [200, 200] and codes[2:] == [429, 429], codes      # 4 in all, whichever worker
