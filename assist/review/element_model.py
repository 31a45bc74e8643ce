"""A learned reading of the parts of an authorisation, sentence by sentence, beside the rules in
assist.review.checks.elements. The rules read each part by its phrasings and are exact on the writers they were written
for, but every new round of writers brings words they do not know (a dialect's kin word, a tie said as "X派给我的", a
message without punctuation); this model reads a letter's sentences one at a time and says how much each one reads like
the statement of a part.

One binary model per part (absent / present) over a sentence's character 1-3-grams: the same features and fitting as
the letter kind model (assist.review.kind_model, assist.training.letter_kind), with a sentence standing in for a
letter. A part's score in a letter is the highest score of its sentences, and that sentence is what is quoted.

How it joins the rules (checks.elements.find_elements): the model adds a part the rules missed only when it is sure
(score >= ``add``), and takes away a part the rules found only when it is nearly sure that nothing in the letter states
it (score <= ``drop``), and only a part whose absence is a note (the relationship, the term). The two bars were chosen
on rounds twenty-seven to thirty-six of the labelled writers, each with the rules frozen for it and a model fitted only
on earlier writers, and reported on rounds thirty-seven to forty (README, "Document review"; bench/letter_elements.py).
Stored in the artefact envelope (no pickle); `assist review-train-kind --target elements` rebuilds it."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assist.core.artefacts import Artefact, load_artefact, save_artefact
from assist.errors import ConfigError
from assist.review.kind_model import HEAD_WEIGHT, NGRAMS, KindModel, grams

KIND, VERSION = "letter-elements", 2
# the parts the model reads (the licence number is read exactly by the rules: its shape is the check)
PARTS = ("principal", "agent", "relationship", "scope", "term", "signature", "date")
# the parts it is fitted and served for: not the date, which it read no better than the rules on any later round
# (bench/letter_elements.py), so that a letter left undated is never read as dated by it
SERVED = ("principal", "agent", "relationship", "scope", "term", "signature")
# the parts it may take away: only those whose absence is a note (review.checks.authorisation), never one whose absence
# is a warning or that other checks read (the agent's block, the principal): it reads no worse this way on the earlier
# rounds and the same on the later ones (bench/letter_elements.py)
DROPPABLE = ("relationship", "term")
LABELS = ("absent", "present")
_REMEDY = "rebuild it with `assist review-train-kind --target elements`"
_UNIT = re.compile(r"[^。！？；!?;\n]+")
_RECENT = 8            # letters whose scores are kept
_LOCK = threading.Lock()
_ARRAYS = ("head_vocab", "head_idf", "body_vocab", "body_idf", "coef", "intercept")


# Numbers and dates are read by their shape, not their digits: a term written "2027-08-09 至 2027-08-23" reads like one
# written "2027年8月9日至8月23日", and no sentence is a part because of the year or the amount in it.
_DATE_SHAPE = re.compile(r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}(?!\d)|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?")
_DIGITS = re.compile(r"\d+")


def sentence_form(sentence: str) -> str:
    """What the model reads of a sentence: every date one shape ("0年0月0日"), every run of digits "0"."""
    return _DIGITS.sub("0", _DATE_SHAPE.sub("0年0月0日", sentence))


def units(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` (split at 。！？； and line ends), as (start, end) offsets, blank ones left out."""
    out = []
    for m in _UNIT.finditer(text):
        s = m.group(0)
        if s.strip():
            lead = len(s) - len(s.lstrip())
            out.append((m.start() + lead, m.start() + len(s.rstrip())))
    return out


@dataclass(frozen=True)
class PartScore:
    p: float                     # probability that the letter states the part (its best sentence's)
    start: int                   # that sentence's offsets in the text scored
    end: int


def _weights(m: KindModel) -> tuple[dict[str, tuple[float, float, float, float]], float]:
    """A two-label model as one table: n-gram -> (head idf, head weight, body idf, body weight), weights being the
    difference of the two labels' coefficients (the logit of "present"); and that difference of the intercepts."""
    diff = m.coef[1] - m.coef[0]
    table: dict[str, tuple[float, float, float, float]] = {}
    for g, i in m.head_vocab.items():
        table[g] = (float(m.head_idf[i]), float(diff[i]), 0.0, 0.0)
    off = len(m.head_vocab)
    for g, i in m.body_vocab.items():
        h = table.get(g, (0.0, 0.0, 0.0, 0.0))
        table[g] = (h[0], h[1], float(m.body_idf[i]), float(diff[off + i]))
    return table, float(m.intercept[1] - m.intercept[0])


def _logit(counts: Counter[str], table: dict[str, tuple[float, float, float, float]], bias: float) -> float:
    """The served features of a sentence (its head block and its body block: the same text, unit-length sublinear
    TF-IDF each, the head weighted) dotted with the weights, computed in one pass (KindModel.features, unrolled)."""
    nh = dh = nb = db = 0.0
    for g, c in counts.items():
        row = table.get(g)
        if row is None:
            continue
        tf = 1.0 + math.log(c)
        hv, bv = tf * row[0], tf * row[2]
        nh += hv * hv
        dh += hv * row[1]
        nb += bv * bv
        db += bv * row[3]
    return bias + (HEAD_WEIGHT * dh / math.sqrt(nh) if nh > 0 else 0.0) + (db / math.sqrt(nb) if nb > 0 else 0.0)


@dataclass(frozen=True, eq=False)
class ElementModel:
    parts: dict[str, KindModel]  # part -> a two-label model (absent, present) over sentences
    data_hash: str
    tables: dict[str, tuple[dict[str, tuple[float, float, float, float]], float]] = field(init=False, repr=False)

    recent: "OrderedDict[str, dict[str, PartScore]]" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", {p: _weights(m) for p, m in self.parts.items()})
        object.__setattr__(self, "recent", OrderedDict())

    def scores(self, text: str) -> dict[str, PartScore]:
        """For every part the model reads: how sure it is that ``text`` (a letter's reading form) states it, and
        where (the best sentence; (0, 0) for a letter with no sentence). The last few letters' scores are kept: review
        reads a letter's parts twice (for the checks and for the result)."""
        with _LOCK:
            hit = self.recent.get(text)
        if hit is not None:
            return dict(hit)
        out = self._score(text)
        with _LOCK:     # one model serves every worker thread of a process
            self.recent[text] = out
            while len(self.recent) > _RECENT:
                self.recent.popitem(last=False)
        return dict(out)

    def _score(self, text: str) -> dict[str, PartScore]:
        spans = units(text)
        counts = [grams(sentence_form(text[a:b])) for a, b in spans]   # a sentence is its own head: one count, both blocks
        out: dict[str, PartScore] = {}
        for part, (table, bias) in self.tables.items():
            best = PartScore(0.0, 0, 0)
            for (a, b), c in zip(spans, counts):
                z = _logit(c, table, bias)
                p = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
                if p > best.p:
                    best = PartScore(p, a, b)
            out[part] = best
        return out

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        for part, m in self.parts.items():
            arrays[f"{part}.head_vocab"] = np.asarray("\x1f".join(sorted(m.head_vocab, key=m.head_vocab.__getitem__)))
            arrays[f"{part}.body_vocab"] = np.asarray("\x1f".join(sorted(m.body_vocab, key=m.body_vocab.__getitem__)))
            arrays[f"{part}.head_idf"] = m.head_idf.astype(np.float32)
            arrays[f"{part}.body_idf"] = m.body_idf.astype(np.float32)
            arrays[f"{part}.coef"] = m.coef.astype(np.float32)
            arrays[f"{part}.intercept"] = m.intercept.astype(np.float32)
        save_artefact(path, Artefact(KIND, VERSION, None, self.data_hash, {},
                                     {"parts": list(self.parts), "labels": list(LABELS), "ngrams": list(NGRAMS),
                                      "head_weight": HEAD_WEIGHT}, arrays))

    @classmethod
    def load(cls, path: Path) -> "ElementModel":
        a = load_artefact(path, KIND, VERSION, _REMEDY)
        if a.fields.get("ngrams") != list(NGRAMS) or a.fields.get("head_weight") != HEAD_WEIGHT \
                or a.fields.get("labels") != list(LABELS):
            raise ConfigError(f"letter element model was fitted with other features; {_REMEDY}", path=str(path))
        parts: dict[str, KindModel] = {}
        for part in a.fields.get("parts", []):
            try:
                hv, hidf, bv, bidf, coef, icpt = (a.arrays[f"{part}.{k}"] for k in _ARRAYS)
            except KeyError as exc:
                raise ConfigError(f"letter element model lacks the array {exc}; {_REMEDY}", path=str(path)) from exc
            head, body = str(hv).split("\x1f"), str(bv).split("\x1f")
            if coef.shape != (2, len(head) + len(body)) or icpt.shape != (2,) or hidf.shape != (len(head),) \
                    or bidf.shape != (len(body),):
                raise ConfigError(f"letter element model is inconsistent for {part!r} (array shapes do not agree)",
                                  path=str(path))
            parts[str(part)] = KindModel(LABELS, {w: i for i, w in enumerate(head)}, hidf.astype(np.float64),
                                         {w: i for i, w in enumerate(body)}, bidf.astype(np.float64),
                                         coef.astype(np.float64), icpt.astype(np.float64), a.data_hash)
        if not parts:
            raise ConfigError(f"letter element model has no parts; {_REMEDY}", path=str(path))
        return cls(parts, a.data_hash)


@dataclass(frozen=True)
class ElementReading:
    """The sentence reader with the bars at which it overrules the rules (documents.element_model_add / _drop)."""
    model: ElementModel
    add: float = 0.7      # a part the rules missed is added when the model's score is at least this
    drop: float = 0.3     # a part the rules found (of DROPPABLE) is taken away when the model's score is at most this

