"""Recognised speech made fit for the rest of the product, keeping the time of every character: simplified
characters (OpenCC t2s, NFKC), one numeral style (digits read out one by one and counted amounts become Arabic digits,
so the PII masker sees 手机号 and 银行卡号 read aloud), punctuation between segments, personal data masked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assist.audio.types import Segment, TimedChar
from assist.core.pii import PLACEHOLDER, find
from assist.core.text import normalize

_CJK = re.compile(r"[\u3400-\u9fff]")
_PUNCT_END = "，。！？；、,.!?;"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# Four or more digits read out one by one (a phone, card or ID number, an amount read digit by digit); 两 is never
# used that way. Shorter runs (一二线, 三四个) stay words.
_READ_OUT = re.compile(r"[0-9零〇一幺二三四五六七八九]{4,}")
# A counted number followed by what it counts: 三千五百元, 十二期, 两万块 (alone, 十 or 一万 stay words: 万一, 十分).
_COUNTED = re.compile(r"([零〇一二两三四五六七八九十百千万]{2,})(?=元|块|万|期|个月|天|年|岁|号|次|笔|分钟|小时|%)")


@dataclass
class TimedText:
    """A text with a (start, end) time in seconds for each character."""

    text: str
    times: list[tuple[float, float]]

    def replace(self, edits: Sequence[tuple[int, int, str]]) -> "TimedText":
        """Replace non-overlapping character ranges; new characters take the time span of what they replace."""
        out, times, pos = [], [], 0
        for start, end, new in sorted(edits):
            out.append(self.text[pos:start])
            times.extend(self.times[pos:start])
            if end > start:
                span = (min(t[0] for t in self.times[start:end]), max(t[1] for t in self.times[start:end]))
            else:
                span = self.times[start] if start < len(self.times) else (self.times[-1] if self.times else (0.0, 0.0))
            out.append(new)
            times.extend([span] * len(new))
            pos = end
        out.append(self.text[pos:])
        times.extend(self.times[pos:])
        return TimedText("".join(out), times)

    def pieces(self) -> tuple[TimedChar, ...]:
        """Runs of characters that share a time span, as TimedChar ranges."""
        runs: list[TimedChar] = []
        for i, (s, e) in enumerate(self.times):
            if runs and runs[-1].start == s and runs[-1].end == e and runs[-1].char_end == i:
                last = runs[-1]
                runs[-1] = TimedChar(last.char_start, i + 1, s, e)
            else:
                runs.append(TimedChar(i, i + 1, s, e))
        return tuple(runs)


_FULL_WIDTH = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "："})


def _clean_piece(text: str) -> str:
    """One recognised word: NFKC, simplified, spaces between Chinese characters dropped, Chinese punctuation kept
    full-width (NFKC would make it ASCII)."""
    t = normalize(text, simplify=True) if text.strip() else ""
    t = re.sub(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])", "", t)
    return re.sub(r"(?<!\d)\.(?!\d)", "。", t.translate(_FULL_WIDTH))


def from_segments(segments: Sequence[Segment], offset: float = 0.0) -> TimedText:
    """The segments of one turn as one timed text: words normalised, segments joined with a comma."""
    chars: list[str] = []
    times: list[tuple[float, float]] = []
    for seg in segments:
        parts = [(w.text, w.start, w.end) for w in seg.words] if seg.words else [(seg.text, seg.start, seg.end)]
        seg_chars: list[str] = []
        seg_times: list[tuple[float, float]] = []
        for text, start, end in parts:
            piece = _clean_piece(text)
            if seg_chars and piece and text[:1].isspace() and not _CJK.match(piece[0]) \
                    and not _CJK.match(seg_chars[-1]):
                piece = " " + piece     # the engine's space between two Latin words
            n = len(piece)
            step = (end - start) / n if n else 0.0
            for k, ch in enumerate(piece):
                seg_chars.append(ch)
                seg_times.append((offset + start + k * step, offset + start + (k + 1) * step))
        while seg_chars and seg_chars[0].isspace():
            seg_chars.pop(0)
            seg_times.pop(0)
        if not seg_chars:
            continue
        if chars and chars[-1] not in _PUNCT_END:
            chars.append("，")
            times.append((times[-1][1], seg_times[0][0]))
        chars.extend(seg_chars)
        times.extend(seg_times)
    return TimedText("".join(chars), times)


def cn_number(text: str) -> int | None:
    """Value of a counted Chinese numeral (三千五百, 十二, 两万, 一百零五), or None when it is not one."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None          # two digits in a row: not a counted numeral
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
        if ch in "零〇":
            digit = None
    return total + section + (digit or 0)


def numerals(t: TimedText) -> TimedText:
    """One numeral style: Arabic digits for numbers read out and for counted amounts."""
    edits: list[tuple[int, int, str]] = []
    for m in _READ_OUT.finditer(t.text):
        if any(c in _DIGITS for c in m.group(0)):
            edits.append((m.start(), m.end(), "".join(str(_DIGITS.get(c, c)) for c in m.group(0))))
    taken = [(s, e) for s, e, _ in edits]
    for m in _COUNTED.finditer(t.text):
        if any(s < m.end(1) and m.start(1) < e for s, e in taken):
            continue
        value = cn_number(m.group(1))
        if value is not None and any(c in _UNITS or c == "万" for c in m.group(1)):
            edits.append((m.start(1), m.end(1), str(value)))
    return t.replace(edits) if edits else t


def masked(t: TimedText) -> TimedText:
    """Personal data (assist.core.pii, the one masker) replaced by its placeholder; times kept."""
    spans = find(t.text)
    return t.replace([(s.start, s.end, PLACEHOLDER[s.type]) for s in spans]) if spans else t


def finish(t: TimedText) -> TimedText:
    """A full stop at the end of a turn that has no closing punctuation."""
    if t.text and t.text[-1] not in _PUNCT_END:
        return TimedText(t.text + "。", t.times + [t.times[-1]])
    return t


def turn_text(segments: Sequence[Segment], offset: float = 0.0) -> TimedText:
    """Everything above, in order: what a recognised turn becomes before anything keeps or shows it."""
    return finish(masked(numerals(from_segments(segments, offset))))


def plain(text: str) -> str:
    """Text for scoring recognition (CER): NFKC, simplified, no punctuation or spaces."""
    t = normalize(text, simplify=True)
    return "".join(ch for ch in t if not (unicodedata.category(ch).startswith(("P", "Z", "S")) or ch.isspace()))
