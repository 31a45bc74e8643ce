"""`assist review-train-kind`: fits the letter kind model (assist.review.kind_model) on labelled letters in the
eval/datasets/letters layout (one folder per writer, labels.jsonl with `file`, `kind`, optional `encoding`). Letters
are read as review reads them (encoding detection, then the reading form: simplified, width-folded), so the model sees
what it will be served. ``--hold-out`` leaves writers out and reports their accuracy."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.errors import ConfigError
from assist.review.kind_model import HEAD_WEIGHT, KindModel, grams, head_of

LABELS = ("authorisation", "complaint", "certificate", "other")
# The posing model's two classes: a paper from (or for) a paid agency posing as or replacing a lawyer, or not
POSING_LABELS = ("not_posing", "posing")


@dataclass(frozen=True)
class LabelledLetter:
    writer: str
    name: str
    kind: str
    text: str          # the reading form


@dataclass(frozen=True)
class LabelRow:
    """One line of a writer's labels.jsonl, checked: its kind is known and its letter file is there."""
    writer: str
    labels: Path          # the labels.jsonl it came from
    line: int
    row: dict[str, Any]
    path: Path            # the letter

    def fail(self, message: str, field: str | None = None) -> ConfigError:
        return ConfigError(message, path=str(self.labels), line=self.line, field=field)


def label_rows(root: Path, skip: Iterable[str] = ()) -> Iterator[LabelRow]:
    """Every label line under ``root`` (writer folders with labels.jsonl), writers in ``skip`` left out; a bad line
    stops with an error naming its file and line."""
    skipped = set(skip)
    for folder in sorted(p for p in Path(root).iterdir() if p.is_dir() and p.name not in skipped):
        labels = folder / "labels.jsonl"
        if not labels.is_file():
            continue
        for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                kind, name = str(row["kind"]), str(row["file"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"bad label: {exc}", path=str(labels), line=n) from exc
            if kind not in LABELS:
                raise ConfigError(f"kind {kind!r} is not one of {', '.join(LABELS)}", path=str(labels), line=n,
                                  field="kind")
            path = folder / name
            if not path.is_file():
                raise ConfigError(f"labelled letter {name} is not in the folder", path=str(labels), line=n,
                                  field="file")
            yield LabelRow(folder.name, labels, n, row, path)


def read_letters(root: Path, skip: Iterable[str] = (), *, target: str = "kind") -> list[LabelledLetter]:
    """Every labelled letter under ``root`` (writer folders), read as review reads it; a bad label names its file and
    line. ``target`` "posing" labels each letter by its ``posing`` field (POSING_LABELS) instead of its kind."""
    from assist.review.checks.reading import reading_view
    from assist.review.reader import read_text_document

    out: list[LabelledLetter] = []
    for lr in label_rows(root, skip):
        kind = str(lr.row["kind"])
        if target == "posing":
            if not isinstance(lr.row.get("posing"), bool):
                raise lr.fail("posing must be true or false", "posing")
            kind = POSING_LABELS[int(lr.row["posing"])]
        doc = reading_view(read_text_document(lr.path.read_bytes(), lr.path.name))
        out.append(LabelledLetter(lr.writer, f"{lr.writer}/{lr.path.name}", kind, doc.text))
    return out


def _vocab(texts: Sequence[str], min_df: int, limit: int | None) -> tuple[dict[str, int], np.ndarray]:
    df: Counter[str] = Counter(g for t in texts for g in grams(t))
    kept = [g for g, c in df.items() if c >= min_df]
    if limit is not None and len(kept) > limit:
        kept = sorted(kept, key=lambda g: (-df[g], g))[:limit]
    kept.sort()
    n = len(texts)
    return {g: i for i, g in enumerate(kept)}, np.asarray([np.log((1 + n) / (1 + df[g])) + 1.0 for g in kept])


def fit(letters: Sequence[LabelledLetter], *, C: float = 4.0, body_features: int = 40_000,
        labels: Sequence[str] = LABELS) -> KindModel:
    """A multinomial logistic regression (scikit-learn) over the served features of ``letters`` (two classes for the
    posing model: ``labels`` = POSING_LABELS)."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    present = [k for k in labels if any(lt.kind == k for lt in letters)]
    if len(present) < 2:
        raise ConfigError("the letter kind model needs letters of at least two kinds")
    heads = [head_of(lt.text) for lt in letters]
    hv, hidf = _vocab(heads, 2, None)
    bv, bidf = _vocab([lt.text for lt in letters], 2, body_features)
    shell = KindModel(tuple(present), hv, hidf, bv, bidf, np.zeros((len(present), len(hv) + len(bv))),
                      np.zeros(len(present)), "")
    rows, cols, vals = [], [], []
    for r, lt in enumerate(letters):
        for c, v in shell.features(lt.text).items():
            rows.append(r)
            cols.append(c)
            vals.append(v)
    X = sp.csr_matrix((vals, (rows, cols)), shape=(len(letters), len(hv) + len(bv)))
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, [lt.kind for lt in letters])
    if len(present) == 2:       # scikit-learn keeps one row for two classes: the side of classes_[1]
        sign = 1.0 if list(clf.classes_).index(present[1]) == 1 else -1.0
        w, b = sign * np.asarray(clf.coef_)[0], sign * float(np.asarray(clf.intercept_)[0])
        coef, icpt = np.vstack([-w / 2, w / 2]), np.array([-b / 2, b / 2])
    else:
        order = [list(clf.classes_).index(k) for k in present]
        coef, icpt = np.asarray(clf.coef_)[order], np.asarray(clf.intercept_)[order]
    digest = hashlib.sha256("\n".join(f"{lt.name}\t{lt.kind}\t{lt.text}" for lt in letters).encode()).hexdigest()
    return KindModel(tuple(present), hv, hidf, bv, bidf, coef, icpt, digest)


def held_out_report(letters: Sequence[LabelledLetter], held_out: Sequence[str], **kw: Any) -> dict[str, Any]:
    """Fit on every writer but ``held_out``; accuracy on those, per writer."""
    train = [lt for lt in letters if lt.writer not in held_out]
    model = fit(train, **kw)
    out: dict[str, Any] = {"train_letters": len(train), "head_weight": HEAD_WEIGHT}
    for w in held_out:
        test = [lt for lt in letters if lt.writer == w]
        if test:
            out[w] = {"letters": len(test), "accuracy": round(sum(model.predict(lt.text) == lt.kind for lt in test)
                                                                / len(test), 4)}
    return out
