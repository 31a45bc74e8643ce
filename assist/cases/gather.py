"""Turning raw material into case items: a call record (masked transcript, the risk hint's evidence quotes with turn,
time and offsets, what staff did and the 疑似代理 tag), a reviewed letter (findings re-run on its masked text, the
passages it shares with the rest of its cluster), a watchlist sighting. Also: which calls mention the case's
identifiers, and the amounts and fees a text mentions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from assist.cases.types import Amount, Identifier, Item, canonical, sha256
from assist.core.pii import find, mask_for_storage
from assist.core.text import clean_text
from assist.errors import CaseError, ConversationError, WatchlistError
from assist.review.checks import run_checks
from assist.review.policy import ReviewPolicy
from assist.review.similarity import fingerprint, shared_passages
from assist.review.types import KIND_ZH, Line, ReadDocument, StoredDocument
from assist.risk.assessor import ACTIONS
from assist.risk.types import RiskAssessment, Turn
from assist.risk.watchlist import normalize_identifier

CST = dt.timezone(dt.timedelta(hours=8))
# Findings that describe what a borrower may lawfully do (complain, escalate a complaint, ask for a waiver or 停息挂账):
# review shows them to a reviewer, but they never go into a package for the police about an agency.
LAWFUL = frozenset({"S5", "S7", "S22"})      # times without a zone are China Standard Time
Digest = Callable[[str, str], str]            # (kind, raw value) -> keyed hash (the watchlist's)
Assess = Callable[[Sequence[Turn], dict[str, Any]], RiskAssessment]

STAFF_ACTIONS_ZH = {**ACTIONS, "verified": "已核实来电人身份或授权", "tagged": "标注“疑似代理”",
                    "untagged": "撤销“疑似代理”标注", "script_used": "使用推荐话术", "script_edited": "修改后使用推荐话术",
                    "script_rejected": "未采用推荐话术", "hung_up": "按流程结束通话", "called_back": "回拨预留手机号核实"}


def iso_time(value: Any, field: str) -> str:
    """An ISO time with its zone (China Standard Time when none is given), or a date; CaseError otherwise."""
    text = str(value or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text).isoformat()
        t = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CaseError(f"not an ISO date or time: {text[:40]!r}", field=field) from exc
    return (t if t.tzinfo else t.replace(tzinfo=CST)).isoformat(timespec="seconds")


def sort_key(at: str) -> dt.datetime:
    """Where an ISO time or date falls on the timeline (a date counts from its start, China Standard Time)."""
    if len(at) == 10:
        return dt.datetime.fromisoformat(at).replace(tzinfo=CST)
    return dt.datetime.fromisoformat(at)


def shown_time(at: str) -> str:
    """China Standard Time as people write it: 2026-11-02 10:05 (a date alone stays a date)."""
    if len(at) == 10:
        return at
    return sort_key(at).astimezone(CST).strftime("%Y-%m-%d %H:%M")


# -- identifiers ------------------------------------------------------------------------------------------------------

def identifier_label(kind: str, value: str) -> str:
    """What a case shows for an identifier: a phone number masked, a person's name reduced to its first character,
    a company's name as written (an agency's name is what the police need, and not a borrower's personal data)."""
    v = clean_text(value).strip()
    if kind == "phone":
        digits = normalize_identifier("phone", v)
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 11 else mask_for_storage(v)
    if kind == "name":
        return v[:1] + "*" * max(1, len(v) - 1)
    return mask_for_storage(v)


def phones_in(text: str) -> list[str]:
    """Normalised mobile numbers found in a raw text (the one masker's spans)."""
    out = []
    for s in find(text):
        if s.type == "phone":
            try:
                out.append(normalize_identifier("phone", text[s.start:s.end]))
            except WatchlistError:
                continue
    return out


def _folded(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def mentions(raw_text: str, identifiers: Sequence[Identifier], digest: Digest) -> list[Identifier]:
    """The case identifiers a raw text mentions: a phone number by its keyed hash, a name or company by its hash over
    every substring of the right length (so the raw value is never needed)."""
    found = []
    phone_hashes = {digest("phone", p) for p in phones_in(raw_text)} if any(
        i.kind == "phone" for i in identifiers) else set()
    folded = _folded(raw_text)
    for ident in identifiers:
        if ident.kind == "phone":
            if ident.id_hash in phone_hashes:
                found.append(ident)
        elif ident.kind in ("name", "company") and _substring_hash(folded, ident, digest):
            found.append(ident)
    return found


def _substring_hash(folded: str, ident: Identifier, digest: Digest, longest: int = 40) -> bool:
    for n in range(2, min(longest, len(folded)) + 1):
        for i in range(len(folded) - n + 1):
            if digest(ident.kind, folded[i:i + n]) == ident.id_hash:
                return True
    return False


# -- amounts and fees -------------------------------------------------------------------------------------------------

_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_AMOUNT = re.compile(r"(?P<num>\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千万]+)\s*(?P<unit>万元|万块|万|千元|千块|元|块钱|块)")
_RATE = re.compile(r"百分之(?P<cn>[零一二两三四五六七八九十]+)|(?P<num>\d+(?:\.\d+)?)\s*[%％]|(?P<zhe>[一二三四五六七八九])成")
_FEE_WORDS = re.compile(r"服务费|手续费|佣金|定金|押金|代理费|咨询费|会员费|律师费|收费|费用|提成|抽成|好处费|保证金|先交|先付|先转|转给我们|收取")


def cn_number(text: str) -> float | None:
    """一万五千 → 15000, 三千 → 3000, 两百 → 200, 一二三 (digits read out) → 123; None when it is not a number."""
    if not text:
        return None
    if all(c in _CN_NUM for c in text):
        return float("".join(str(_CN_NUM[c]) for c in text))
    total, section, digit = 0, 0, 0
    for c in text:
        if c in _CN_NUM:
            digit = _CN_NUM[c]
        elif c in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[c]
            digit = 0
        elif c == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            return None
    return float(total + section + digit)


def _clause_before(text: str, pos: int, width: int = 14) -> str:
    """Up to ``width`` characters before ``pos``, within the same clause (a fee word in the clause before does not
    make the next sum a fee)."""
    before = text[max(0, pos - width):pos]
    return re.split(r"[，。；！？,;!?\n]", before)[-1]


def amounts_in(text: str, where: str = "") -> list[Amount]:
    """Sums of money and rates a (masked) text mentions; a sum with a fee word just before it is a fee."""
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("num")
        value = float(raw.replace(",", "")) if raw[0].isdigit() else cn_number(raw)
        if value is None or value == 0:
            continue
        unit = m.group("unit")
        if unit.startswith("万"):
            value *= 10000
        elif unit.startswith("千"):
            value *= 1000
        before = _clause_before(text, m.start())
        kind = "fee" if _FEE_WORDS.search(before) else "amount"
        lo, hi = max(0, m.start() - 14), min(len(text), m.end() + 6)
        out.append(Amount(text[lo:hi].strip(), value, kind, where=where))
    for m in _RATE.finditer(text):
        before = _clause_before(text, m.start())
        if not _FEE_WORDS.search(before) and not re.search(r"减免|比例|抽|提", before):
            continue
        lo, hi = max(0, m.start() - 14), min(len(text), m.end() + 6)
        out.append(Amount(text[lo:hi].strip(), None, "rate", where=where))
    return out


# -- calls ------------------------------------------------------------------------------------------------------------

def call_source_hash(record: Mapping[str, Any]) -> str:
    """The hash of a call record as given (before masking): an unmasked copy is matched to the case by it."""
    return sha256(canonical(record))


def parse_call(record: Any, where: str) -> dict[str, Any]:
    """Check a raw call record's shape; CaseError naming the field otherwise."""
    if not isinstance(record, dict):
        raise CaseError("a call must be a JSON object", field=where)
    for key in ("call_id", "borrower", "started", "turns"):
        if not record.get(key):
            raise CaseError(f"a call needs {key!r}", field=f"{where}.{key}")
    if not isinstance(record["turns"], list):
        raise CaseError("turns must be a list of {speaker, text, time}", field=f"{where}.turns")
    return record


def call_item(record: dict[str, Any], assess: Assess, borrower_hash: str, where: str = "call") -> Item:
    """A call as a case item: every turn masked before anything else sees it, the risk hint's evidence over the
    masked turns (turn, time, offsets into the masked turn), staff actions and the tag."""
    parse_call(record, where)
    try:
        turns = [Turn.of(t, i) for i, t in enumerate(record["turns"])]
    except ConversationError as exc:
        raise CaseError(exc.message, field=f"{where}.{exc.field}") from exc
    masked = [Turn(t.speaker, mask_for_storage(clean_text(t.text)), t.time) for t in turns]
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    risk = assess(masked, meta or {})
    evidence = [{"turn": e.turn_index, "time": masked[e.turn_index].time, "start": e.start, "end": e.end,
                 "quote": e.quote, "signal_id": e.signal_id, "signal": e.signal_name, "category": e.category, "mode": e.mode}
                for e in risk.evidence]
    actions = []
    for a in record.get("actions") or []:
        a = a if isinstance(a, dict) else {"action": str(a)}
        name = mask_for_storage(clean_text(str(a.get("action", ""))))
        actions.append({"action": name, "label": STAFF_ACTIONS_ZH.get(name, name),
                        "by": mask_for_storage(clean_text(str(a.get("by") or record.get("agent") or ""))),
                        "at": str(a.get("at") or "")})
    amounts = [a for i, t in enumerate(masked) for a in amounts_in(t.text, f"第{i + 1}轮")]
    started = iso_time(record["started"], f"{where}.started")
    content: dict[str, Any] = {
        "call_id": mask_for_storage(clean_text(str(record["call_id"]))),
        "borrower": borrower_hash[:12],
        "started": started,
        "calling_number": identifier_label("phone", str(record["calling_number"]))
        if record.get("calling_number") else "",
        "agent": mask_for_storage(clean_text(str(record.get("agent") or ""))),
        "turns": [{"speaker": t.speaker, "text": t.text, "time": t.time} for t in masked],
        "risk": {"category": risk.category, "level": risk.level,
                 "probability": round(max(v for k, v in risk.probabilities.items() if k != "none"), 3)},
        "evidence": evidence,
        "actions": actions,
        "tag": bool(record.get("tag")),
        "amounts": [a.__dict__ for a in amounts],
    }
    return Item("call:" + call_source_hash(record)[:24], "call", started, content, call_source_hash(record))


# -- letters ----------------------------------------------------------------------------------------------------------

def letter_item(doc: StoredDocument, policy: ReviewPolicy, others: Iterable[StoredDocument],
                cluster_id: str | None) -> Item:
    """A reviewed letter as a case item: the review's checks re-run on its stored (masked) text, and the passages it
    shares with the other members of its cluster."""
    lines = tuple(Line(1, i + 1, t) for i, t in enumerate(doc.masked_text.split("\n")))
    kind, findings = run_checks(ReadDocument(doc.file_name, "text", lines), policy)
    fp = fingerprint(doc.masked_text)
    shared: list[dict[str, Any]] = []
    for other in others:
        if other.doc_id == doc.doc_id:
            continue
        for p in shared_passages(fp, fingerprint(other.masked_text), doc.masked_text, limit=3):
            shared.append({"with": other.doc_id[:12], "text": p.text, "start": p.start, "end": p.end})
    shared.sort(key=lambda s: -(int(s["end"]) - int(s["start"])))
    at = doc.doc_date or doc.reviewed_at
    content = {
        "doc_id": doc.doc_id, "file_name": doc.file_name, "kind": doc.kind, "kind_zh": KIND_ZH.get(doc.kind, doc.kind),
        "date": doc.doc_date, "reviewed_at": doc.reviewed_at, "cluster_id": cluster_id,
        "findings": [f.to_dict() for f in findings if (f.severity != "info" or f.quote) and f.signal not in LAWFUL],
        "shared_passages": shared[:8], "text": doc.masked_text,
        "amounts": [a.__dict__ for a in amounts_in(doc.masked_text)],
    }
    del kind
    return Item("letter:" + doc.doc_id[:24], "letter", iso_time(at, "letter.date"), content, doc.doc_id)


# -- sightings --------------------------------------------------------------------------------------------------------

def sighting_item(ident: Identifier, borrower_hash: str, seen: str, source: str) -> Item:
    row = {"kind": ident.kind, "id_hash": ident.id_hash, "borrower_hash": borrower_hash, "seen": seen, "source": source}
    content = {"kind": ident.kind, "identifier": ident.label, "borrower": borrower_hash[:12], "seen": seen,
               "source": mask_for_storage(source)}
    return Item("sighting:" + sha256(canonical(row))[:24], "sighting", iso_time(seen, "sighting.seen"), content,
                sha256(canonical(row)))


def read_calls(data: bytes, path: str) -> list[dict[str, Any]]:
    """Call records from a JSONL file (UTF-8 or GBK), one call a line; the first bad line is a CaseError naming the
    file, the line and the field."""
    from assist.core.jsonl import iter_jsonl
    from assist.core.text import decode_bytes
    from assist.errors import KnowledgeError

    try:
        text, _ = decode_bytes(data, path)
    except KnowledgeError as exc:
        raise CaseError(exc.message, path=path) from exc
    out = []
    for item in iter_jsonl(text):
        if item.error is not None:
            raise CaseError(item.error, path=path, line=item.line)
        try:
            record = parse_call(item.value, "call")
            for i, t in enumerate(record["turns"]):
                Turn.of(t, i)
            iso_time(record["started"], "call.started")
        except CaseError as exc:
            raise CaseError(exc.message, path=path, line=item.line, field=exc.field) from exc
        except ConversationError as exc:
            raise CaseError(exc.message, path=path, line=item.line, field=f"call.{exc.field}") from exc
        out.append(record)
    return out


def session_record(session_id: str, turns: Sequence[Turn], *, borrower: str, started: str, verified: bool,
                   tag: bool, agent: str = "") -> dict[str, Any]:
    """A live staff session (its turns already masked by StaffAssist) as a call record: verification and the
    疑似代理 tag become the staff actions. Its numbers are masked already, so it links to a case only when added
    explicitly, and an unmasked copy of it cannot be made."""
    actions = (["verified"] if verified else []) + (["tagged"] if tag else [])
    return {"call_id": f"session-{session_id}", "borrower": borrower, "started": started, "agent": agent,
            "tag": tag, "actions": actions,
            "turns": [{"speaker": t.speaker, "text": t.text, "time": t.time} for t in turns]}
