"""Layer (c): a calibrated multinomial logistic regression over rule, semantic and conversation features.

Fitted by `assist train-risk` (assist.training.risk_model); stored in the artefact envelope with the hash of the
training data, the embedder and the semantic settings its features depend on, and loaded at start-up (a model that
does not fit the running configuration is refused). Calibration: a temperature fitted on the dev split."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.errors import ConfigError
from assist.knowledge.discourse import ROLES
from assist.knowledge.signals import SIGNAL_CATEGORIES, Signal
from assist.risk.discourse import CUES
from assist.risk.types import LABELS, CallMeta

KIND, VERSION = "risk-model", 3
_REMEDY = "retrain with `assist train-risk`"


def feature_names(signal_ids: list[str]) -> list[str]:
    names = [f"rule:{s}" for s in signal_ids] + [f"rule_other:{s}" for s in signal_ids]
    names += [f"sem:{s}" for s in signal_ids] + [f"sem_other:{s}" for s in signal_ids]
    names += [f"sim:{s}" for s in signal_ids] + [f"margin:{s}" for s in signal_ids]
    names += [f"cat:{c}" for c in SIGNAL_CATEGORIES] + [f"cat_other:{c}" for c in SIGNAL_CATEGORIES]
    names += [f"role:{r}" for r in (*ROLES, "unknown")] + ["self_claim"] + [f"cue:{c}" for c in CUES]
    names += ["victim_story", "reported_share", "question_share"]
    names += ["num:yes", "num:no", "num:unknown", "verified", "log_caller_turns", "n_signals"]
    return names


def features(state: Any, meta: CallMeta, signals: Mapping[str, Signal]) -> np.ndarray:
    """Feature vector of a RiskState (order = feature_names(list(signals)))."""
    ids = list(signals)
    got = state.signals

    def per(attr: str) -> list[float]:
        return [float(getattr(got[s], attr)) if s in got else 0.0 for s in ids]

    rule, rule_other, sem, sem_other = per("rule"), per("rule_other"), per("semantic"), per("semantic_other")
    cat = {c: 0.0 for c in SIGNAL_CATEGORIES}
    cat_other = {c: 0.0 for c in SIGNAL_CATEGORIES}
    for sid, st in got.items():
        cat[signals[sid].category] += signals[sid].weight_value * st.activation
        other = max((v for m, v in st.by_mode.items() if m != "own"), default=0.0)
        cat_other[signals[sid].category] += signals[sid].weight_value * other
    d = state.discourse
    turns = max(1, state.caller_turns)
    # similarities of e5-small live in a narrow band: rescale the useful part of it to about 0..1
    sim = [min(1.0, max(0.0, (state.signals[s].similarity - 0.85) / 0.1)) if s in state.signals else 0.0 for s in ids]
    mar = [min(1.0, max(0.0, (state.signals[s].margin + 0.05) / 0.1)) if s in state.signals else 0.0 for s in ids]
    vec = rule + rule_other + sem + sem_other + sim + mar
    vec += [cat[c] for c in SIGNAL_CATEGORIES] + [cat_other[c] for c in SIGNAL_CATEGORIES]
    vec += [min(1.0, float(d.roles.get(r, 0))) for r in (*ROLES, "unknown")] + [min(1.0, float(d.self_claims))]
    vec += [math.log1p(d.cues.get(c, 0)) for c in CUES]
    vec += [float(d.victim_story), d.reported_turns / turns, d.question_turns / turns]
    vec += [meta.number_matches == "yes", meta.number_matches == "no", meta.number_matches == "unknown"]
    vec += [float(meta.verified), math.log1p(state.caller_turns), float(sum(st.activation > 0.3 for st in state.signals.values()))]
    return np.asarray(vec, dtype=np.float64)


@dataclass
class RiskModel:
    coef: np.ndarray            # (labels, features)
    intercept: np.ndarray       # (labels,)
    temperature: float
    feature_names: list[str]
    data_hash: str
    embedder: str | None
    info: dict[str, Any]
    semantic: dict[str, Any] = field(default_factory=dict)   # SemanticMatcher.describe() at training time

    def predict_features(self, x: np.ndarray) -> dict[str, float]:
        z = (self.coef @ x + self.intercept) / self.temperature
        z = z - z.max()
        p = np.exp(z)
        p /= p.sum()
        return {c: float(v) for c, v in zip(LABELS, p)}

    def predict(self, state: Any, meta: CallMeta, signals: Mapping[str, Signal]) -> dict[str, float]:
        return self.predict_features(features(state, meta, signals))

    def save(self, path: Path) -> None:
        save_artefact(path, Artefact(KIND, VERSION, self.embedder, self.data_hash, self.info,
                                     {"labels": list(LABELS), "feature_names": self.feature_names,
                                      "temperature": self.temperature, "semantic": self.semantic},
                                     {"coef": self.coef, "intercept": self.intercept}))

    @classmethod
    def load(cls, path: Path, signal_ids: list[str], embedder: str | None,
             semantic: Mapping[str, Any] | None = None) -> "RiskModel":
        """The model in ``path``, refused (ConfigError naming the file) unless it was trained for these signals,
        this embedder and these semantic settings."""
        a = load_artefact(path, KIND, VERSION, _REMEDY)
        f = a.fields
        if f.get("labels") != list(LABELS):
            raise ConfigError(f"risk model has labels {f.get('labels')}, not {list(LABELS)}; {_REMEDY}", path=str(path))
        if f.get("feature_names") != feature_names(signal_ids):
            raise ConfigError(f"risk model was trained on a different signal taxonomy; {_REMEDY}", path=str(path))
        if a.embedder != embedder:
            raise ConfigError(f"risk model was trained with embedder {a.embedder!r}, not {embedder!r}; {_REMEDY}",
                              path=str(path))
        trained = dict(f.get("semantic") or {})
        if semantic is not None and dict(semantic) != trained:
            raise ConfigError(f"risk model was trained with semantic settings {trained}, not {dict(semantic)}; "
                              f"{_REMEDY}", path=str(path))
        return cls(np.asarray(a.arrays["coef"], dtype=np.float64), np.asarray(a.arrays["intercept"], dtype=np.float64),
                   float(f["temperature"]), list(f["feature_names"]), a.data_hash, a.embedder, a.info, trained)
