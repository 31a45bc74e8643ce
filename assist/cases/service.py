"""CaseService: open a case about one agency (from a watchlist identifier, a letter cluster or a tagged call), gather
calls, letters and sightings into it, assemble the timeline and the counts, export a verifiable package, verify one.

Every method takes the ``actor`` doing it: only CASE_ROLES may work on cases, only UNMASKED_ROLES may export an
unmasked copy, and that needs a reason; everything done is appended to the case's hash-chained log. The edges pass
the signed-in identity's account and role (README, "Case files")."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.audio.voiceprint import VoiceIndex
from assist.cases import gather
from assist.cases.package import ExportResult, VerifyReport, verify_package, write_package
from assist.cases.types import (
    CASE_ROLES,
    GENESIS,
    UNMASKED_ROLES,
    Actor,
    Amount,
    CaseFile,
    CaseRecord,
    Identifier,
    Item,
    LogEntry,
    Provision,
    TimelineEntry,
    canonical,
    entry_hash,
    sha256,
)
from assist.core.pii import mask_for_storage
from assist.core.text import clean_text
from assist.errors import CaseError, PermissionDenied
from assist.ports import CaseStore, PdfRenderer
from assist.review.policy import ReviewPolicy
from assist.review.types import StoredDocument
from assist.risk.watchlist import KINDS, Watchlist

ProvisionSearch = Callable[[str, int], list[Provision]]    # (conduct, k) -> provisions from the knowledge base

CATEGORY_ZH = {"intermediary": "疑似付费代理", "coached": "疑似受人指使", "victim": "疑似受害", "none": "未见明显迹象"}
LEVEL_ZH = {"low": "低", "medium": "中", "high": "高"}

# The suspected conduct each kind of evidence points to (signal ids of knowledge/signals.yaml), worded as a
# suspicion for investigators to check, and the question put to the article search for it.
CONDUCT: tuple[tuple[str, frozenset[str], str], ...] = (
    ("以代理维权、债务协商为名介入借款人与金融机构之间的沟通（自称受托人、要求只联系其号码、经手借款人全部沟通）",
     frozenset({"S1", "S3", "S4", "S12", "S14"}), "非律师机构冒充借款人的委托代理人与金融机构交涉、代理投诉"),
    ("以“停息挂账”“征信修复”“债务减免”等名义招揽借款人并收取服务费、定金等费用",
     frozenset({"S6", "S18"}), "以帮助停息挂账、征信修复为名收取费用，虚构事实骗取钱财"),
    ("掌握借款人的手机卡、身份证件、验证码或要求把账户资料发往第三方，涉嫌非法获取、使用他人个人信息",
     frozenset({"S15", "S23"}), "非法获取、出售或者提供他人个人信息，未经同意向他人提供个人信息"),
    ("批量制作、提交模板化的投诉材料、困难证明或授权委托书",
     frozenset({"S10", "S11"}), "伪造、变造证明文件，编造虚假材料向金融机构和监管部门投诉"),
    ("指使借款人停止还款，或在通话中替借款人提词、让其照受训话术沟通",
     frozenset({"S13", "S20", "S21"}), "教唆借款人停止还款、恶意逃避债务，从中收取费用"),
)
# Complaining (to 12378 or anyone) and asking for 停息挂账 or 个性化分期 are lawful: the signals of a threatened or
# escalated complaint (S7, S22) and of an extreme demand (S5) never make a suspected conduct on their own.


@dataclass(frozen=True)
class CaseSources:
    """Where a case's material comes from: the watchlist (keyed hashes, sightings), the risk hint (evidence of a
    call), document review (stored letters and their clusters), the knowledge base's article search."""

    watchlist: Watchlist
    assess: gather.Assess
    review_store: Any = None                   # ReviewStore of document review (None: letters cannot be added)
    review_policy: ReviewPolicy | None = None
    provisions: ProvisionSearch | None = None
    voices: VoiceIndex | None = None            # kept voiceprints (audio.voiceprint on): cases opened from a voice


class CaseService:
    def __init__(self, store: CaseStore, sources: CaseSources, renderer: PdfRenderer | None = None,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.store = store
        self.sources = sources
        self.renderer = renderer
        self._clock = clock

    # -- who may -----------------------------------------------------------------------------------------------------
    @staticmethod
    def require(actor: Actor, roles: Sequence[str] = CASE_ROLES) -> None:
        """PermissionDenied unless ``actor`` acts in one of ``roles`` (admin may do everything)."""
        if actor.role != "admin" and actor.role not in roles:
            raise PermissionDenied(f"role {actor.role!r} may not do this; it needs one of {', '.join(roles)}",
                                   field="role")
        if not actor.name.strip():
            raise PermissionDenied("who is acting must be known (an account name)", field="actor")

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    def _log(self, case_id: str, actor: Actor, action: str, detail: dict[str, Any]) -> LogEntry:
        return self.store.append_log(case_id, self._now(), mask_for_storage(clean_text(actor.name)), actor.role,
                                     action, detail)

    def case(self, case_id: str) -> CaseRecord:
        found = self.store.get(case_id)
        if found is None:
            raise CaseError(f"no case {case_id!r}", field="case_id")
        return found

    def cases(self, actor: Actor) -> list[CaseRecord]:
        self.require(actor)
        return self.store.cases()

    # -- opening -----------------------------------------------------------------------------------------------------
    def open(self, origin: str, value: Any, actor: Actor, title: str = "") -> CaseRecord:
        """A new case. ``origin`` is a watchlist kind (phone, name, company: ``value`` is the identifier, its
        sightings are gathered), ``cluster`` (a reviewed letter's id or a cluster id K-…: the cluster's letters are
        gathered) or ``call`` (a call record tagged 疑似代理: the call is gathered and the numbers in it become the
        case's identifiers)."""
        self.require(actor)
        wl = self.sources.watchlist
        identifiers: list[Identifier] = []
        if origin in KINDS:
            identifiers = [Identifier(origin, wl.digest(origin, str(value)), gather.identifier_label(origin, str(value)))]
            label = identifiers[0].label
        elif origin == "cluster":
            label = str(value)[:24]
        elif origin == "voice":
            voices = self._voices()
            call_hash = voices.key("call", str(value))
            if not voices.same_voice(call_hash):
                raise CaseError(f"no voiceprint is kept for call {mask_for_storage(str(value))[:40]!r} (the voice "
                                "sighting must have been on when it was recorded, and its rows expire)",
                                field="value")
            label = "声纹：来电 " + mask_for_storage(clean_text(str(value)))[:24]
            identifiers = [Identifier("voice", call_hash, label)]
        elif origin == "call":
            record = gather.parse_call(value, "call")
            if not record.get("tag"):
                raise CaseError("only a call tagged 疑似代理 opens a case (tag: true)", field="call.tag")
            numbers = [str(record["calling_number"])] if record.get("calling_number") else []
            numbers += [p for t in record["turns"] if isinstance(t, dict) and t.get("speaker") in ("caller", "客户")
                        for p in gather.phones_in(str(t.get("text", "")))]
            seen: set[str] = set()
            for n in numbers:
                ident = Identifier("phone", wl.digest("phone", n), gather.identifier_label("phone", n))
                if ident.id_hash not in seen:
                    seen.add(ident.id_hash)
                    identifiers.append(ident)
            label = mask_for_storage(clean_text(str(record["call_id"])))
        else:
            raise CaseError(f"a case opens from {', '.join((*KINDS, 'cluster', 'call', 'voice'))}, not {origin!r}",
                            field="origin")
        now = self._now()
        case_id = "C-" + self._clock().strftime("%Y%m%d") + "-" + secrets.token_hex(3)
        title = mask_for_storage(clean_text(title)) if title else f"关于{label}的线索"
        record_ = CaseRecord(case_id, title, origin, label, tuple(identifiers), now, mask_for_storage(actor.name))
        self.store.create(record_)
        self._log(case_id, actor, "open", {"origin": origin, "label": label,
                                           "identifiers": [i.id_hash for i in identifiers]})
        if origin in KINDS or origin == "voice":
            self.add_sightings(case_id, actor)
        elif origin == "cluster":
            self.add_letters(case_id, str(value), actor)
        else:
            self.add_calls(case_id, [value], actor, linked_only=False)
        return record_

    # -- gathering ---------------------------------------------------------------------------------------------------
    def _add(self, case_id: str, actor: Actor, items: Sequence[Item], what: str) -> list[Item]:
        now, by = self._now(), mask_for_storage(clean_text(actor.name))
        stamped = [Item(i.item_id, i.kind, i.at, i.content, i.source_sha256, i.content_sha256, by, now) for i in items]
        added = self.store.add_items(case_id, stamped)
        if added:
            self._log(case_id, actor, "add", {"what": what, "items": {i.item_id: i.content_sha256 for i in added}})
        return added

    def voice_calls(self, case: CaseRecord) -> frozenset[str]:
        """Keyed hashes of the kept calls whose caller voice is the case's voice (empty without a voice)."""
        voices = self.sources.voices
        if voices is None:
            return frozenset()
        return frozenset(c for i in case.identifiers if i.kind == "voice" for _, c, _, _ in voices.same_voice(i.id_hash))

    def linked(self, case: CaseRecord, record: Mapping[str, Any], voice_calls: frozenset[str] | None = None) -> bool:
        """True when a raw call record mentions one of the case's identifiers (calling number or words), or its
        caller's voice is the case's voice."""
        wl = self.sources.watchlist
        if self.sources.voices is not None and record.get("call_id") is not None:
            calls = self.voice_calls(case) if voice_calls is None else voice_calls
            if calls and self.sources.voices.key("call", str(record["call_id"])) in calls:
                return True
        if record.get("calling_number"):
            try:
                if wl.digest("phone", str(record["calling_number"])) in {i.id_hash for i in case.identifiers}:
                    return True
            except Exception:       # a calling number that is not a phone number links nothing
                pass
        text = "\n".join(str(t.get("text", "")) for t in record.get("turns") or [] if isinstance(t, dict))
        return bool(gather.mentions(text, case.identifiers, wl.digest))

    def add_calls(self, case_id: str, records: Iterable[Any], actor: Actor, *, linked_only: bool = True) -> list[Item]:
        """Add call records (JSON objects: call_id, borrower, started, turns, optional calling_number, agent,
        actions, tag, meta). With ``linked_only`` (and a case that has identifiers) only the calls that mention one of
        them are kept, so a day's calls can be passed whole."""
        self.require(actor)
        case = self.case(case_id)
        wl = self.sources.watchlist
        items = []
        voice_calls = self.voice_calls(case)             # the kept voiceprints are read once, not once per call
        for n, record in enumerate(records):
            record = gather.parse_call(record, f"calls[{n}]")
            if linked_only and case.identifiers and not self.linked(case, record, voice_calls):
                continue
            borrower = wl.borrower_digest(str(record["borrower"]))
            items.append(gather.call_item(record, self.sources.assess, borrower, f"calls[{n}]"))
        return self._add(case_id, actor, items, "calls")

    def add_letters(self, case_id: str, doc_or_cluster: str, actor: Actor) -> list[Item]:
        """Add every letter of a reviewed letter's near-copy cluster (a document id, its first characters, or a
        cluster id K-…), each with its findings and the passages it shares with the others."""
        self.require(actor)
        self.case(case_id)
        store, policy = self.sources.review_store, self.sources.review_policy
        if store is None or policy is None:
            raise CaseError("document review is not available to this case service", field="letters")
        key = doc_or_cluster.strip().removeprefix("K-")
        if len(key) < 8:
            raise CaseError("give a document id (at least 8 characters) or a cluster id K-…", field="letters")
        doc_id = next((d for d, _ in store.sketches() if d.startswith(key)), None)
        if doc_id is None:
            raise CaseError(f"no reviewed document {doc_or_cluster!r}: review the letters first (assist review)",
                            field="letters")
        cluster_id, members = store.cluster(doc_id)
        docs: dict[str, StoredDocument] = store.get_many(members)
        ordered = [docs[m] for m in members if m in docs]
        items = [gather.letter_item(d, policy, ordered, cluster_id) for d in ordered]
        return self._add(case_id, actor, items, "letters")

    def add_sightings(self, case_id: str, actor: Actor) -> list[Item]:
        """Add every watchlist sighting of the case's identifiers (any time, every source)."""
        self.require(actor)
        case = self.case(case_id)
        wanted = {(i.kind, i.id_hash): i for i in case.identifiers}
        items = [gather.sighting_item(wanted[(kind, h)], b, seen, source)
                 for kind, h, b, seen, source in self.sources.watchlist.store.rows() if (kind, h) in wanted]
        for ident in case.identifiers:              # the same voice heard on other borrowers' calls
            if ident.kind == "voice":
                items += [gather.sighting_item(ident, b, seen, "voice")
                          for b, _, seen, _ in self._voices().same_voice(ident.id_hash)]
        return self._add(case_id, actor, items, "sightings")

    def _voices(self) -> VoiceIndex:
        if self.sources.voices is None:
            raise CaseError("the voice sighting is off (audio.voiceprint): no voiceprints to open a case from",
                            field="origin")
        return self.sources.voices

    # -- assembling --------------------------------------------------------------------------------------------------
    def assemble(self, case_id: str, actor: Actor) -> CaseFile:
        """The case as it stands: exhibits numbered in timeline order, the timeline, distinct borrowers, amounts and
        fees, the suspected conduct and the provisions it may touch, the log."""
        self.require(actor)
        case = self.case(case_id)
        items = sorted(self.store.items(case_id), key=lambda i: (gather.sort_key(i.at), i.kind, i.item_id))
        exhibits = [(f"E{n:02d}", it) for n, it in enumerate(items, 1)]
        timeline, amounts, borrowers = [], [], {}
        signals: set[str] = set()
        letters_shared = 0
        for ex, it in exhibits:
            c = it.content
            timeline.append(TimelineEntry(gather.shown_time(it.at), ex, it.kind, summary(it)))
            for a in c.get("amounts", []):
                amounts.append(Amount(a["text"], a["yuan"], a["kind"], ex, a.get("where", "")))
            if it.kind == "call":
                borrowers[("local", c["borrower"])] = "call"
                signals |= {e["signal_id"] for e in c["evidence"] if e["mode"] == "own"}
            elif it.kind == "sighting":
                borrowers.setdefault((c["source"], c["borrower"]), "sighting")
            elif it.kind == "letter":
                signals |= {f["signal"] for f in c["findings"] if f.get("signal")}
                letters_shared += bool(c["shared_passages"])
        conduct = [text for text, sids, _ in CONDUCT if signals & sids]
        if any(a.kind == "fee" for a in amounts) and CONDUCT[1][0] not in conduct:
            conduct.insert(min(1, len(conduct)), CONDUCT[1][0])
        if letters_shared >= 2 and CONDUCT[3][0] not in conduct:
            conduct.append(CONDUCT[3][0])
        provisions = self._provisions(conduct)
        sources = {"call": 0, "sighting": 0}
        for v in borrowers.values():
            sources[v] += 1
        notes = ["借款人按机构内部假名（密钥散列）去重计数；材料中的委托人姓名已遮盖，未计入。"]
        if self.sources.provisions is None:
            notes.append("知识库法条检索不可用，未列出法律规定（请先建立索引：assist ingest）。")
        return CaseFile(case, exhibits, timeline, len(borrowers), sources, amounts, conduct, provisions,
                        self.store.log(case_id), notes=notes)

    def _provisions(self, conduct: list[str]) -> list[Provision]:
        if self.sources.provisions is None:
            return []
        out: list[Provision] = []
        seen: set[str] = set()
        for text, _, query in CONDUCT:
            if text not in conduct:
                continue
            for p in self.sources.provisions(query, 3):
                if p.citation not in seen:
                    seen.add(p.citation)
                    out.append(Provision(p.citation, p.law, p.article, p.excerpt, text))
        return out

    def delete(self, case_id: str, actor: Actor, reason: str) -> int:
        """Delete a case (retention over, or its purpose achieved: README, "Case files"): only UNMASKED_ROLES, with a
        reason; what is left is a record of who deleted it, when, why, and the last hash of its log. Exported
        packages are files outside the store: whoever holds them deletes them."""
        self.require(actor, UNMASKED_ROLES)
        if len(reason.strip()) < 4:
            raise PermissionDenied("deleting a case needs its reason (e.g. retention period over)", field="reason")
        self.case(case_id)
        return self.store.delete(case_id, self._now(), mask_for_storage(clean_text(actor.name)),
                                 mask_for_storage(clean_text(reason)))

    # -- export and verification -------------------------------------------------------------------------------------
    def export(self, case_id: str, out_dir: Path, actor: Actor, *, unmasked: bool = False, reason: str = "",
               originals: Mapping[str, Any] | None = None) -> ExportResult:
        """Write the package (HTML, PDF, JSON, one file per exhibit, a SHA-256 manifest) under ``out_dir`` and log
        who exported it and its hash. An unmasked copy needs an UNMASKED_ROLES actor and a reason; its calls and
        letters are taken from ``originals`` (source hash -> the raw call record or the letter's raw text), which
        must match the hashes recorded when they were gathered."""
        self.require(actor)
        if unmasked:
            self.require(actor, UNMASKED_ROLES)
            if len(reason.strip()) < 4:
                raise PermissionDenied("an unmasked export needs its reason (e.g. the police request it answers)",
                                       field="reason")
        cf = self.assemble(case_id, actor)
        problems = self.check_log(cf.log) + self.check_items(cf)
        if problems:
            raise CaseError("the case store does not match its log; not exported: " + "; ".join(problems[:3]),
                            field="case_id")
        if unmasked:
            cf = unmask(cf, originals or {})
        result = write_package(cf, out_dir, actor, self._now(), self.renderer)
        detail: dict[str, Any] = {"package_sha256": result.package_sha256, "masked": not unmasked,
                                  "exhibits": {n: h for n, h in result.exhibit_hashes.items()},
                                  "path": result.path.name, "pdf": result.pdf}
        if unmasked:
            detail["reason"] = mask_for_storage(clean_text(reason))
        self._log(case_id, actor, "export_unmasked" if unmasked else "export", detail)
        return result

    @staticmethod
    def check_log(entries: Sequence[LogEntry]) -> list[str]:
        """Problems with a case log's chain (empty when every entry follows from the one before)."""
        problems, prev = [], GENESIS
        for n, e in enumerate(entries, 1):
            if e.seq != n:
                problems.append(f"log entry {e.seq} is out of place (expected {n})")
            if e.prev_hash != prev or entry_hash(prev, e.body()) != e.hash:
                problems.append(f"log entry {e.seq} ({e.action}) was changed or an entry before it removed")
            prev = e.hash
        return problems

    @staticmethod
    def check_items(cf: CaseFile) -> list[str]:
        """Items whose stored content no longer matches the hash logged when they were added."""
        logged: dict[str, str] = {}
        for e in cf.log:
            if e.action == "add":
                logged.update(e.detail.get("items", {}))
        out = []
        for ex, it in cf.exhibits:
            if sha256(canonical(it.content)) != it.content_sha256 or logged.get(it.item_id) != it.content_sha256:
                out.append(f"exhibit {ex} ({it.item_id}) differs from what was logged when it was added")
        return out

    def verify(self, package: Path, actor: Actor | None = None) -> VerifyReport:
        """Check a package: every file against the manifest, the manifest's own hash, the exhibits against the
        case's JSON, and (the case being in this store) the package hash against the case log and the log's chain."""
        report = verify_package(package)
        case_id = report.case_id
        if case_id and self.store.get(case_id) is not None:
            entries = self.store.log(case_id)
            report.problems.extend(self.check_log(entries))
            exports = {e.detail.get("package_sha256") for e in entries if e.action.startswith("export")}
            if report.package_sha256 not in exports:
                report.problems.append("the case log records no export with this package hash")
            report.checked_log = True
            if actor is not None:
                self.require(actor)
                self._log(case_id, actor, "verify", {"package_sha256": report.package_sha256, "ok": report.ok})
        return report


def summary(it: Item) -> str:
    """One line of the timeline, in Chinese."""
    c = it.content
    if it.kind == "call":
        risk = c["risk"]
        parts = [f"来电{('（' + c['calling_number'] + '）') if c['calling_number'] else ''}，借款人{c['borrower'][:6]}",
                 f"风险提示：{CATEGORY_ZH.get(risk['category'], risk['category'])}（{LEVEL_ZH.get(risk['level'], '')}）",
                 f"证据摘录{len(c['evidence'])}条"]
        if c["tag"]:
            parts.append("坐席已标注“疑似代理”")
        fees = [a for a in c["amounts"] if a["kind"] == "fee"]
        if fees:
            parts.append("提及费用：" + "、".join(a["text"] for a in fees[:2]))
        return "；".join(parts)
    if it.kind == "letter":
        high = sum(1 for f in c["findings"] if f["severity"] == "high")
        return (f"{c['kind_zh']}《{c['file_name']}》：提示{len(c['findings'])}条（高{high}条）"
                + (f"，与同簇材料共同段落{len(c['shared_passages'])}处" if c["shared_passages"] else ""))
    return f"名单命中：{c['identifier']}与借款人{c['borrower'][:6]}关联（来源：{c['source']}）"


def unmask(cf: CaseFile, originals: Mapping[str, Any]) -> CaseFile:
    """The case file with calls and letters replaced by their raw originals (matched by source hash); items without
    an original stay masked and are listed in the notes."""
    exhibits, missing = [], []
    for ex, it in cf.exhibits:
        raw = originals.get(it.source_sha256)
        if it.kind == "call" and isinstance(raw, dict) and sha256(canonical(raw)) == it.source_sha256:
            turns = [{"speaker": t.get("speaker"), "text": str(t.get("text", "")), "time": t.get("time")}
                     for t in raw.get("turns", [])]
            content = {**it.content, "turns": turns, "unmasked": True}
        elif it.kind == "letter" and isinstance(raw, str):
            content = {**it.content, "text": raw, "unmasked": True}
        else:
            if it.kind != "sighting":
                missing.append(ex)
            exhibits.append((ex, it))
            continue
        exhibits.append((ex, Item(it.item_id, it.kind, it.at, content, it.source_sha256, "", it.added_by, it.added_at)))
    notes = [*cf.notes, "本副本未遮盖个人信息，仅限依法向公安机关等有权机关移交使用。"]
    if missing:
        notes.append("以下证据未提供原件，仍为遮盖版本：" + "、".join(missing))
    return CaseFile(cf.case, exhibits, cf.timeline, cf.borrowers, cf.borrower_sources, cf.amounts, cf.conduct,
                    cf.provisions, cf.log, masked=False, notes=notes)
