"""Gradio tab 案件 (reviewers and admins): open a case from a watchlist identifier, a letter cluster or a tagged call,
add calls, letters and sightings, read the case as its package page, export the package (ZIP) and verify one.

``caller(request)`` says who is acting; on this branch it is ``unsigned_caller`` (the console's user acts as a
reviewer, so no unmasked export from here). With sign-in (issue 19) the lead passes the signed-in identity's account
and role, and the tab is shown only to CASE_ROLES."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr

from assist.cases.gather import call_source_hash, read_calls
from assist.cases.package import unzip_package, zip_package
from assist.cases.report import case_html
from assist.cases.service import CaseService
from assist.cases.types import CASE_ROLES, Actor
from assist.core.pii import mask_for_storage
from assist.edges.ui import Gate, Uploads
from assist.errors import AssistError

T = TypeVar("T")

ORIGINS = {"电话号码（名单）": "phone", "人员姓名（名单）": "name", "机构名称（名单）": "company",
           "雷同材料簇（材料编号或 K-…）": "cluster", "标注“疑似代理”的来电（JSONL 文件）": "call",
           "声纹（已开启声纹比对时录音来电的编号）": "voice"}
NOTE = ("<div style='font-size:11px;color:#666'>案件材料为内部线索，默认遮盖身份证号、银行卡号、手机号；"
        "未遮盖版仅限管理员依法向有权机关移交时导出，须填写理由并记入案件日志。</div>")


def unsigned_caller(request: gr.Request | None) -> Actor:
    """A console built outside the web app (no sign-in, e.g. in tests): its user acts as a reviewer."""
    return Actor("console", "reviewer")


def gate_caller(gate: Gate) -> Callable[[gr.Request | None], Actor]:
    """The signed-in console user with one of CASE_ROLES (anyone else gets a message instead of the function), as
    admin when it has that role."""

    def caller(request: gr.Request | None) -> Actor:
        ident = gate.identify(request)
        if ident is None:
            raise gr.Error("请先登录（/login）。")
        if not ident.allows(*CASE_ROLES):
            raise gr.Error("无权限：案件仅限材料评审员或管理员。")
        return Actor(mask_for_storage(ident.actor)[:130], "admin" if "admin" in ident.roles else "reviewer")

    return caller


class CaseTab:
    def __init__(self, service: CaseService, package_dir: Path, uploads: Uploads, max_bytes: int,
                 caller: Callable[[gr.Request | None], Actor] = unsigned_caller) -> None:
        self.service = service
        self.package_dir = package_dir
        self.uploads = uploads
        self.max_bytes = max_bytes
        self.caller = caller

    def _calls(self, path: str | None) -> list[dict[str, Any]]:
        if not path:
            raise gr.Error("请先上传来电记录（JSONL）")
        p = self._guard(lambda: self.uploads.take(path, self.max_bytes))
        try:
            return self._guard(lambda: read_calls(p.read_bytes(), p.name))
        finally:
            self.uploads.discard(p)

    def _guard(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except AssistError as exc:
            raise gr.Error(escape(exc.message)) from exc

    def cases(self, request: gr.Request | None = None) -> Any:
        rows = self._guard(lambda: self.service.cases(self.caller(request)))
        return gr.update(choices=[(f"{c.case_id} {c.title}", c.case_id) for c in rows])

    def view(self, case_id: str | None, request: gr.Request | None = None) -> str:
        """The case as its package page (in a sandboxed frame: the page's stylesheet must not restyle the console)."""
        if not case_id:
            return NOTE
        actor = self.caller(request)
        cf = self._guard(lambda: self.service.assemble(case_id, actor))
        page = case_html(cf, actor, cf.log[-1].at if cf.log else "", {})
        return (f"<iframe title='案件' sandbox='' srcdoc=\"{escape(page, quote=True)}\" "
                "style='width:100%;height:900px;border:1px solid #ddd'></iframe>" + NOTE)

    def open_case(self, origin_zh: str, value: str, upload: str | None, title: str,
                  request: gr.Request | None = None) -> tuple[Any, str]:
        origin = ORIGINS.get(origin_zh)
        if origin is None:
            raise gr.Error("请选择立案依据")
        actor = self.caller(request)
        raw: Any = value.strip()
        if origin == "call":
            tagged = [c for c in self._calls(upload) if c.get("tag") and (not raw or str(c["call_id"]) == raw)]
            if not tagged:
                raise gr.Error("文件中没有标注“疑似代理”的来电" + (f"（编号 {escape(raw)}）" if raw else ""))
            raw = tagged[0]
        elif not raw:
            raise gr.Error("请填写标识或材料编号")
        case = self._guard(lambda: self.service.open(origin, raw, actor, title))
        return (gr.update(choices=[(f"{c.case_id} {c.title}", c.case_id) for c in self.service.cases(actor)],
                          value=case.case_id), self.view(case.case_id, request))

    def add(self, case_id: str | None, calls: str | None, linked_only: bool, letters: str, sightings: bool,
            request: gr.Request | None = None) -> tuple[str, str]:
        if not case_id:
            raise gr.Error("请先选择案件")
        actor = self.caller(request)
        added = []
        if calls:
            records = self._calls(calls)
            added += self._guard(lambda: self.service.add_calls(case_id, records, actor, linked_only=linked_only))
        if letters.strip():
            added += self._guard(lambda: self.service.add_letters(case_id, letters.strip(), actor))
        if sightings:
            added += self._guard(lambda: self.service.add_sightings(case_id, actor))
        n = {k: sum(1 for i in added if i.kind == k) for k in ("call", "letter", "sighting")}
        return (f"新增来电 {n['call']} 通、材料 {n['letter']} 份、名单命中 {n['sighting']} 次。",
                self.view(case_id, request))

    def export(self, case_id: str | None, unmasked: bool, reason: str, originals: str | None,
               request: gr.Request | None = None) -> tuple[str | None, str]:
        if not case_id:
            raise gr.Error("请先选择案件")
        actor = self.caller(request)
        found = {call_source_hash(c): c for c in self._calls(originals)} if unmasked and originals else {}
        res = self._guard(lambda: self.service.export(case_id, self.package_dir, actor, unmasked=unmasked,
                                                      reason=reason, originals=found))
        zipped = res.path.with_suffix(".zip")
        zipped.write_bytes(zip_package(res.path))
        return str(zipped), (f"已导出 {res.path.name}（{'遮盖版' if not unmasked else '未遮盖版'}），"
                             f"材料包 SHA-256：{res.package_sha256}" + ("" if res.pdf else "；未生成 PDF"))

    def verify(self, upload: str | None, request: gr.Request | None = None) -> str:
        if not upload:
            raise gr.Error("请上传材料包（ZIP）")
        import tempfile

        p = self._guard(lambda: self.uploads.take(upload, self.max_bytes))
        try:
            data = p.read_bytes()
        finally:
            self.uploads.discard(p)
        with tempfile.TemporaryDirectory(prefix="assist-verify-") as tmp:
            folder = self._guard(lambda: unzip_package(data, Path(tmp), self.max_bytes * 4))
            report = self._guard(lambda: self.service.verify(folder, self.caller(request)))
        if report.ok:
            return f"完好：{report.files} 个文件与清单一致" + ("，与案件日志一致。" if report.checked_log else "。")
        return "已被改动：\n" + "\n".join(report.problems)

    def build(self) -> None:
        gr.Markdown("### 案件\n把同一机构的来电、书面材料和名单命中汇总成一份线索移交材料（HTML、PDF、JSON），"
                    "附每份证据的 SHA-256 校验值。")
        with gr.Row():
            case = gr.Dropdown([], label="案件", interactive=True)
            refresh = gr.Button("刷新案件列表")
        with gr.Accordion("立案", open=False):
            with gr.Row():
                origin = gr.Dropdown(list(ORIGINS), value=list(ORIGINS)[0], label="立案依据")
                value = gr.Textbox(label="标识 / 材料编号 / 来电编号")
                title = gr.Textbox(label="案件名称（可不填）")
            call_file = gr.File(label="来电记录（JSONL，按来电立案时上传）", type="filepath", file_types=[".jsonl"])
            open_btn = gr.Button("立案", variant="primary")
        with gr.Accordion("补充证据", open=False):
            calls = gr.File(label="来电记录（JSONL）", type="filepath", file_types=[".jsonl"])
            linked = gr.Checkbox(True, label="只收入提到本案标识的来电")
            letters = gr.Textbox(label="材料编号或雷同簇编号（K-…）")
            sightings = gr.Checkbox(False, label="收入名单命中记录")
            add_btn = gr.Button("补充")
            added = gr.Textbox(label="结果", interactive=False)
        with gr.Accordion("导出与校验", open=False):
            with gr.Row():
                unmasked = gr.Checkbox(False, label="导出未遮盖版（仅管理员，须填写理由）")
                reason = gr.Textbox(label="理由（如公安机关调取证据通知书文号）")
            originals = gr.File(label="未遮盖版所需的原始来电记录（JSONL）", type="filepath", file_types=[".jsonl"])
            export_btn = gr.Button("导出材料包", variant="primary")
            package = gr.File(label="材料包（ZIP）", interactive=False)
            exported = gr.Textbox(label="导出结果", interactive=False)
            check = gr.File(label="校验材料包（上传 ZIP）", type="filepath", file_types=[".zip"])
            verify_btn = gr.Button("校验")
            verified = gr.Textbox(label="校验结果", lines=4, interactive=False)
        page = gr.HTML(NOTE)
        refresh.click(self.cases, [], case, api_name="case_list")
        case.change(self.view, [case], page, api_name="case_view")
        open_btn.click(self.open_case, [origin, value, call_file, title], [case, page], api_name="case_open")
        add_btn.click(self.add, [case, calls, linked, letters, sightings], [added, page], api_name="case_add")
        export_btn.click(self.export, [case, unmasked, reason, originals], [package, exported], api_name="case_export")
        verify_btn.click(self.verify, [check], verified, api_name="case_verify")


__all__ = ["CaseTab", "gate_caller", "unsigned_caller"]
