"""A live call session as plain data and back, for session stores outside the process (the shared database): the
masked turns, the script slots (masked), the needs each caller turn showed (with masked quotes), the call's meta
the risk state carried from turn to turn, and the vector of the latest searched words (so the next worker does not
embed them again). Nothing here is unmasked: turns and slots are masked before they enter a session.

The round trip is exact: a call continued from a decoded session gives the same assistance as one that never left
the process (tests/unit/staff/test_session_state.py)."""

from __future__ import annotations

import base64
from typing import Any

from assist.knowledge.needs import NeedHit
from assist.risk.assessor import DiscourseState, RiskAssessor, RiskSession, RiskState, _SignalState
from assist.risk.types import CallMeta, Evidence, Turn
from assist.staff.assist import CallSession

VERSION = 1


def _evidence(e: Evidence | None) -> dict[str, Any] | None:
    return None if e is None else dict(e.__dict__)


def encode(s: CallSession) -> dict[str, Any]:
    st = s.risk.state
    return {
        "v": VERSION,
        "meta": dict(s.risk.meta.__dict__),
        "slots": dict(s.slots),
        "turns": [[t.speaker, t.text, t.time] for t in s.turns],
        "needs": [[[h.need, h.label, h.quote] for h in hits] for hits in s.needs],
        "turn_ids": [[k, i] for k, i in s.turn_ids],
        "query_vec": None if s.query_vec is None else [s.query_vec[0], s.query_vec[1],
                                                       base64.b64encode(s.query_vec[2]).decode("ascii")],
        "risk": {
            "signals": {k: {**{f: getattr(v, f) for f in ("activation", "rule", "rule_other", "semantic",
                                                            "semantic_other", "similarity", "margin")},
                            "evidence": _evidence(v.evidence), "by_mode": dict(v.by_mode)}
                        for k, v in st.signals.items()},
            "discourse": {"roles": dict(st.discourse.roles), "self_claims": st.discourse.self_claims,
                          "cues": dict(st.discourse.cues), "reported_turns": st.discourse.reported_turns,
                          "question_turns": st.discourse.question_turns},
            "turns": st.turns, "caller_turns": st.caller_turns, "level": st.level, "calm": st.calm,
            "history": list(st.history),
        },
    }


def decoder(assessor: RiskAssessor) -> Any:
    """``decode(data) -> CallSession`` bound to the running assessor (its signals, model and thresholds)."""

    def decode(data: dict[str, Any]) -> CallSession:
        if data.get("v") != VERSION:
            raise ValueError(f"live session format {data.get('v')!r}, expected {VERSION}")
        r = data["risk"]
        signals = {}
        for k, v in r["signals"].items():
            ev = v.get("evidence")
            signals[k] = _SignalState(**{f: float(v[f]) for f in ("activation", "rule", "rule_other", "semantic",
                                                                     "semantic_other", "similarity", "margin")},
                                      evidence=Evidence(**ev) if ev else None,
                                      by_mode={m: float(x) for m, x in v["by_mode"].items()})
        d = r["discourse"]
        state = RiskState(signals=signals,
                          discourse=DiscourseState(roles={k: int(x) for k, x in d["roles"].items()},
                                                   self_claims=int(d["self_claims"]),
                                                   cues={k: int(x) for k, x in d["cues"].items()},
                                                   reported_turns=int(d["reported_turns"]),
                                                   question_turns=int(d["question_turns"])),
                          turns=int(r["turns"]), caller_turns=int(r["caller_turns"]), level=str(r["level"]),
                          calm=int(r["calm"]), history=[str(x) for x in r["history"]])
        risk = RiskSession(assessor, CallMeta(**data["meta"]))
        risk.state = state
        return CallSession(risk, {str(k): str(v) for k, v in data["slots"].items()},
                           [Turn(str(sp), str(tx), None if tm is None else float(tm)) for sp, tx, tm in data["turns"]],
                           [tuple(NeedHit(str(n), str(lb), str(q)) for n, lb, q in hits) for hits in data["needs"]],
                           [(str(k), int(i)) for k, i in data.get("turn_ids", [])],
                           _query_vec(data.get("query_vec")))

    return decode


def _query_vec(raw: Any) -> tuple[str, str, bytes] | None:
    if not raw:
        return None
    digest, embedder, vector = raw
    return str(digest), str(embedder), base64.b64decode(vector)
