"""The public TeleAntiFraud dialogues (../shared/benchmarks/teleantifraud, Apache-2.0) as consumer messages: read at
run time, never copied into the repository. Used to train the scam check's learned layer (train split), to choose
its design (validation split) and, once, to report it (test split).

Splits are fixed by id: ``sha1(id) % 100`` below 60 is train, below 80 validation, the rest test. Each dialogue is
turned into what a consumer would paste into the widget ("我刚接到一个电话，对话是这样的：…这是诈骗吗？"), in one of
several shapes chosen by id (labelled lines, bare alternating lines, A/B, one run-on paragraph), and cut to the
consumer's length limit by dropping its last turns (as a consumer pastes the start of a long call)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assist.consumer.schemes import BENCHMARK_SCHEME
from assist.core.jsonl import read_jsonl
from assist.errors import AssistError

FILE = "dialogues.jsonl"
SPLITS = ("train", "validation", "test")
SHAPES = ("labelled", "bare", "ab", "runon", "labelled_he")
_INTROS = ("我刚接到一个电话，对话是这样的：", "刚才有人给我打电话，聊天内容如下：", "帮我看看这通电话，对方是这么说的：",
           "接到一个陌生来电，我把对话记下来了：")
_TAILS = ("这是诈骗吗？", "这个是骗子吗？", "是真的吗？我该怎么办", "帮我看看有没有问题")


@dataclass(frozen=True)
class Dialogue:
    id: str
    is_fraud: bool
    fraud_type: str                       # the set's label (a fraud type, or a kind of normal call)
    turns: tuple[tuple[str, str], ...]    # (speaker "left" = caller | "right" = the person called, text)

    @property
    def scheme(self) -> str | None:
        """Our scheme id for a fraud dialogue; None for a normal call."""
        return BENCHMARK_SCHEME.get(self.fraud_type) if self.is_fraud else None

    @property
    def split(self) -> str:
        return split_of(self.id)


def _bucket(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100


def split_of(dialogue_id: str) -> str:
    b = _bucket(dialogue_id)
    return "train" if b < 60 else "validation" if b < 80 else "test"


def load_dialogues(folder: Path, splits: Iterable[str] | None = None) -> list[Dialogue]:
    """The set's dialogues (of the given splits); AssistError naming the file and line of a malformed one."""
    path = Path(folder) / FILE
    if not path.is_file():
        raise AssistError(f"TeleAntiFraud dialogues not found ({FILE})", path=str(path))
    wanted = set(splits) if splits is not None else set(SPLITS)
    unknown = wanted - set(SPLITS)
    if unknown:
        raise AssistError(f"unknown split(s) {sorted(unknown)}; choose from {', '.join(SPLITS)}", field="split")
    out = []
    for line, row in read_jsonl(path):
        try:
            d = Dialogue(str(row["id"]), bool(row["is_fraud"]), str(row["fraud_type"]),
                         tuple((str(t["speaker"]), str(t["text"])) for t in row["turns"]))
        except (KeyError, TypeError) as exc:
            raise AssistError(f"not a dialogue: missing or bad {exc}", path=str(path), line=line) from exc
        if d.is_fraud and d.scheme is None:
            raise AssistError(f"unknown fraud type {d.fraud_type!r}", path=str(path), line=line, field="fraud_type")
        if d.split in wanted:
            out.append(d)
    return out


def shape_of(d: Dialogue) -> str:
    return SHAPES[_bucket("shape:" + d.id) % len(SHAPES)]


def _lines(d: Dialogue, shape: str) -> list[str]:
    out = []
    for speaker, text in d.turns:
        text = " ".join(text.split())
        if not text:
            continue
        caller = speaker == "left"
        if shape == "labelled":
            out.append(("对方：" if caller else "我：") + text)
        elif shape == "labelled_he":
            out.append(("他：" if caller else "我：") + text)
        elif shape == "ab":
            out.append(("A：" if caller else "B：") + text)
        else:
            out.append(text)
    return out


def as_message(d: Dialogue, max_chars: int, shape: str | None = None) -> str:
    """The dialogue as a consumer pastes it, at most ``max_chars`` characters (last turns dropped to fit)."""
    shape = shape or shape_of(d)
    k = _bucket("wrap:" + d.id)
    intro, tail = _INTROS[k % len(_INTROS)], _TAILS[(k // len(_INTROS)) % len(_TAILS)]
    lines = _lines(d, shape)
    sep = " " if shape == "runon" else "\n"

    def build(n: int) -> str:
        return intro + ("" if shape == "runon" else "\n") + sep.join(lines[:n]) + "\n" + tail

    n = len(lines)
    while n > 1 and len(build(n)) > max_chars:
        n -= 1
    msg = build(n)
    return msg if len(msg) <= max_chars else msg[:max_chars - len(tail) - 1] + "\n" + tail
