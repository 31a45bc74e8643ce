"""Fitting the letter element model (assist.review.element_model) on the labelled letters: every sentence of every
labelled authorisation is one example per part, "present" when it holds (overlaps) the label's quote of that part,
"absent" otherwise. Letters are read as review reads them (the reading form), like the kind model's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assist.errors import ConfigError
from assist.review.checks.reading import reading_view
from assist.review.element_model import LABELS, PARTS, SERVED, ElementModel, sentence_form, units
from assist.review.reader import read_text_document
from assist.training.letter_kind import LabelledLetter, fit, label_rows


@dataclass(frozen=True)
class LabelledAuthorisation:
    writer: str
    name: str
    text: str                                   # the reading form
    spans: dict[str, tuple[int, int] | None]    # part -> where the label's quote stands (None: the letter lacks it)


def read_authorisations(root: Path, skip: Iterable[str] = ()) -> list[LabelledAuthorisation]:
    """Every labelled authorisation under ``root`` (writer folders with labels.jsonl); a bad label names its line."""
    out: list[LabelledAuthorisation] = []
    for lr in label_rows(root, skip):
        if lr.row["kind"] != "authorisation":
            continue
        elements = lr.row.get("elements")
        if not isinstance(elements, dict):
            raise lr.fail("an authorisation's label needs an \"elements\" object", "elements")
        doc = read_text_document(lr.path.read_bytes(), lr.path.name)
        spans: dict[str, tuple[int, int] | None] = {}
        for part in PARTS:      # found in the letter as written: the reading form keeps its offsets
            quote = elements.get(part)
            at = doc.text.find(quote) if isinstance(quote, str) and quote else -1
            spans[part] = (at, at + len(quote)) if at >= 0 and isinstance(quote, str) else None
        out.append(LabelledAuthorisation(lr.writer, f"{lr.writer}/{lr.path.name}", reading_view(doc).text, spans))
    return out


def sentences(letters: Sequence[LabelledAuthorisation], part: str) -> list[LabelledLetter]:
    """Each sentence of each letter, labelled for ``part``: present when it overlaps where the label's quote stands."""
    out: list[LabelledLetter] = []
    for lt in letters:
        span = lt.spans.get(part)
        for k, (a, b) in enumerate(units(lt.text)):
            hit = span is not None and a < span[1] and span[0] < b
            out.append(LabelledLetter(lt.writer, f"{lt.name}#{k}", LABELS[int(hit)], sentence_form(lt.text[a:b])))
    return out


def fit_elements(letters: Sequence[LabelledAuthorisation], parts: Sequence[str] = SERVED) -> ElementModel:
    """One sentence model per part, fitted the kind model's way (assist.training.letter_kind.fit)."""
    if not letters:
        raise ConfigError("the letter element model needs labelled authorisations")
    models = {}
    for part in parts:
        examples = sentences(letters, part)
        if len({e.kind for e in examples}) < 2:
            raise ConfigError(f"the letter element model needs sentences with and without the part {part!r}: "
                              f"none of the {len(letters)} labelled authorisations {'states' if examples else 'has'} it")
        models[part] = fit(examples, labels=LABELS)
    digest = hashlib.sha256("\n".join(f"{lt.name}\t{json.dumps(lt.spans)}\t{lt.text}"
                                      for lt in letters).encode()).hexdigest()
    return ElementModel(models, digest)
