"""The scam check: the rules (assist.consumer.scams) extended by the learned layer (assist.consumer.scam_model). The
model reads the same evidence as the rules (the other party's words and the consumer's own account, never their
denials), says whether the message shows a scam and which scheme; a scheme only the model sees is explained by
quoting the other party's clause that the model finds most typical of it. Schemes are ordered likeliest first."""

from __future__ import annotations

import re

import numpy as np

from assist.consumer.reading import Reading
from assist.consumer.scam_model import ScamModel, tfidf
from assist.consumer.scams import (
    LEGIT,
    OFFICIAL_NOTICE,
    WARNING,
    Evidence,
    ScamVerdict,
    evidence_of,
    quote,
    rule_flags,
    rule_schemes,
    verdict,
)
from assist.consumer.schemes import BY_ID, SCHEME_IDS, SCHEMES

LABELS: tuple[str, ...] = ("scam",) + SCHEME_IDS
MAX_QUOTED_CLAUSES = 80            # clauses of a long paste scored for the quote


def rule_features(ev: Evidence) -> np.ndarray:
    """Per scheme: core and support flag counts (capped); then warning, legitimate-setting and official-notice
    context, and whether the message is a pasted call or SMS. The learned layer sees what the rules saw."""
    out: list[float] = []
    for sc in SCHEMES:
        core, support = rule_flags(ev, sc)
        out.append(min(2, len(core)) / 2)
        out.append(min(3, len(support)) / 3)
    out += [float(bool(WARNING.search(ev.full))), float(bool(LEGIT.search(ev.full))),
            float(bool(OFFICIAL_NOTICE.search(ev.full))), float(ev.reading.is_report)]
    return np.asarray(out, dtype=np.float64)


def _clauses(ev: Evidence) -> list[tuple[int, int]]:
    """Spans of the evidence's clauses (four characters or more), the other party's first."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^，。！？；,!?;\n]{4,}", ev.text)]
    return spans[:MAX_QUOTED_CLAUSES]


class ScamClassifier:
    """Rules + the learned layer. Without a model it is the rules alone."""

    def __init__(self, model: ScamModel | None) -> None:
        self.model = model

    def probabilities(self, message: str, reading: Reading | None = None) -> dict[str, float]:
        """P(scam) and P(scheme) of the learned layer ({} without a model)."""
        if self.model is None:
            return {}
        ev = evidence_of(message, reading)
        return self.model.scores(ev.text, rule_features(ev))

    def check(self, message: str, reading: Reading | None = None) -> ScamVerdict | None:
        """The verdict: with a model, when the model sees a scam (named by the rules and the model, likeliest
        first); without one, the rules' verdict."""
        ev = evidence_of(message, reading)
        rules = rule_schemes(ev)
        model = self.model
        if model is None or not ev.text.strip():
            return verdict(rules, ev.full)
        probs = model.scores(ev.text, rule_features(ev))
        # a scheme the rules quote evidence for counts as at least even odds
        strength = {s: max(probs[s], 0.5 if any(r["id"] == s for r in rules) else 0.0) for s in SCHEME_IDS}
        urgent = verdict(rules, ev.full)
        # The model has the last word: it knows the rules' flags and, from its training data, when they mislead
        # (a bank counter, the consumer's own question). It also needs someone acting on the consumer, and an
        # official notice warning about a scheme is not that scheme; in a call, though, "不法分子" and "我们不会要求
        # 您…" are the caller's patter. Rules alone still decide when money, codes or cards have already gone: a false
        # alarm then costs less than a miss.
        trusted = ev.actor and (ev.reading.form == "dialogue" or OFFICIAL_NOTICE.search(ev.full) is None)
        wanted = [s for s in SCHEME_IDS if trusted and probs[s] >= model.thresholds.get(s, 0.5)]
        if trusted and probs["scam"] >= model.thresholds.get("scam", 0.5):
            wanted.append(max(SCHEME_IDS, key=lambda s: probs[s]))
        if not wanted and not (urgent is not None and urgent.urgent):
            return None
        found = {r["id"]: r for r in rules}
        for sid in dict.fromkeys(wanted):
            if sid not in found:
                found[sid] = {"id": sid, "name": BY_ID[sid].name, "red_flags": self._quotes(ev, sid), "by": "model"}
        return verdict(list(found.values()), ev.full, probs["scam"], strength)

    def _quotes(self, ev: Evidence, scheme: str, n: int = 2) -> list[str]:
        """The ``n`` clauses whose n-grams weigh most for ``scheme`` (the model's reason, in the message's words)."""
        assert self.model is not None
        row = self.model.labels.index(scheme)
        scored = []
        for a, b in _clauses(ev):
            idx, w = tfidf(ev.text[a:b], self.model.idf)
            scored.append((float(self.model.coef[row, idx].astype(np.float64) @ w), a, b))
        best = sorted((s for s in scored if s[0] > 0), reverse=True)[:n] or sorted(scored, reverse=True)[:1]
        return [q for q in (quote(ev.text, a, b) for _, a, b in sorted(best, key=lambda s: s[1])) if q]
