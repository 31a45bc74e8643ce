"""Near-duplicate detection for templated letters: character 3-shingles of a normalised text, sketches and an LSH
index (the Sketcher port) to find candidates fast, then exact Jaccard and containment on the shingle sets to confirm
a link.

Normalisation drops what an agency changes between copies or what OCR garbles most: whitespace, punctuation and
symbols are removed, letters are folded (NFKC, lower case, traditional characters made simplified, so a template
copied in 繁體 still matches) and every run of digits becomes one '#', so amounts,
dates and account numbers do not make two copies of one template look different.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from assist.core.text import simplify_aligned
from assist.review.types import Link, SharedPassage

SHINGLE = 3
# Thresholds chosen on the synthetic corpus (testkit.review_corpus; bench/review.py prints the sweep over three seeds).
# Copies of one template, with names, lenders and amounts changed, sentences reordered, reworded, dropped or added
# and OCR noise, score Jaccard 0.25-0.8 (median 0.46); unrelated letters on the same subject stay at or below 0.14
# Jaccard and 0.27 containment. The link thresholds sit in that gap, nearer the side of false links, which hurt a
# genuine complainant more than a missed copy does (clusters are transitive, so one weak pair seldom splits a wave).
# LSH looks for candidates below the link threshold so that reworded copies are not missed; the exact check decides.
# Real waves are reported as >90 % similar, so real copies should clear the bar more easily than these.
LSH_THRESHOLD = 0.2
LINK_JACCARD = 0.3
LINK_CONTAINMENT = 0.5         # a trimmed copy is mostly contained in the fuller one even when Jaccard is low
MIN_SHINGLES = 40              # too short (about 40 characters) to call two texts copies of each other
# Two certificates on the same printed form (two hospitals' 诊断证明书) share their boilerplate: on the hand-written
# letters such unrelated pairs reached Jaccard 0.31 / containment 0.50, while copies of one forged certificate
# template scored 0.52-0.78 / 0.75-0.90. Between two certificates a link needs the higher bar.
CERT_LINK_JACCARD = 0.45
CERT_LINK_CONTAINMENT = 0.7
PASSAGE_K = 8                  # shared passages are runs covered by common 8-character grams...
MIN_PASSAGE = 12               # ...at least this many (normalised) characters long


@dataclass(frozen=True)
class Fingerprint:
    """A text's matching form: the normalised characters, where each came from in the text, its shingle set."""

    norm: str
    spans: tuple[tuple[int, int], ...]
    shingles: frozenset[str]

    @property
    def usable(self) -> bool:
        return len(self.shingles) >= MIN_SHINGLES


def matching_form(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The matching form of ``text`` and, for each of its characters, the (start, end) it covers in ``text``."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(simplify_aligned(text)):
        folded = unicodedata.normalize("NFKC", ch).lower()
        if len(folded) != 1:
            folded = ch.lower()
        cat = unicodedata.category(folded)
        if cat[0] in "PSZC":
            continue
        if folded.isdigit():
            if out and out[-1] == "#" and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1)
                continue
            folded = "#"
        out.append(folded)
        spans.append((i, i + 1))
    return "".join(out), tuple(spans)


def fingerprint(text: str) -> Fingerprint:
    norm, spans = matching_form(text)
    shingles = frozenset(norm[i:i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))
    return Fingerprint(norm, spans, shingles)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared shingles over the shingles of the smaller set."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def compare(a_id: str, a: Fingerprint, b_id: str, b: Fingerprint, *, forms: bool = False) -> Link | None:
    """The link between two documents if they are near copies, else None. ``forms``: both are certificates, which
    share a printed form's wording, so the link needs the certificate bar."""
    if not (a.usable and b.usable):
        return None
    j, c = jaccard(a.shingles, b.shingles), containment(a.shingles, b.shingles)
    if forms and not (j >= CERT_LINK_JACCARD or c >= CERT_LINK_CONTAINMENT):
        return None
    if j >= LINK_JACCARD or c >= LINK_CONTAINMENT:
        return Link(a_id, b_id, round(j, 4), round(c, 4))
    return None


def shared_passages(a: Fingerprint, b: Fingerprint, text_a: str, limit: int = 20) -> tuple[SharedPassage, ...]:
    """Passages of ``text_a`` (the text ``a`` was made from) whose 8-character grams also occur in ``b``, in reading
    order; works whatever order the copied sentences were put in."""
    k = PASSAGE_K
    grams = {b.norm[i:i + k] for i in range(len(b.norm) - k + 1)}
    covered = [False] * len(a.norm)
    for i in range(len(a.norm) - k + 1):
        if a.norm[i:i + k] in grams:
            for j in range(i, i + k):
                covered[j] = True
    out: list[SharedPassage] = []
    i = 0
    while i < len(covered):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j < len(covered) and covered[j]:
            j += 1
        if j - i >= MIN_PASSAGE:
            start, end = a.spans[i][0], a.spans[j - 1][1]
            out.append(SharedPassage(text_a[start:end], start, end))
        i = j
    if len(out) > limit:  # keep the longest, still in reading order
        keep = set(sorted(range(len(out)), key=lambda n: -(out[n].end - out[n].start))[:limit])
        out = [p for n, p in enumerate(out) if n in keep]
    return tuple(out)


class UnionFind:
    """Connected components over links (a cluster is everything reachable through near copies)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out
