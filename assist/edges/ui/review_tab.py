"""Gradio tab 材料评审: upload documents, see findings (Chinese), near copies and clusters. Build it inside
``with gr.Tab("材料评审"):`` of an existing ``gr.Blocks``."""

from __future__ import annotations

from html import escape

import gradio as gr

from assist.edges.ui import Uploads
from assist.errors import DocumentError
from assist.review.reader import SUPPORTED
from assist.review.service import ReviewService
from assist.review.types import SEVERITY_ZH, ReviewResult

COLOURS = {"high": "#c62828", "warn": "#ef6c00", "info": "#555"}
NOTE = ("<div style='font-size:11px;color:#666'>内部参考：提示和雷同不等于结论，不得据此拒绝受理投诉或指责客户；"
        "身份证号、银行卡号、手机号已遮盖。</div>")


def result_html(result: ReviewResult) -> str:
    """One document's review as escaped HTML."""
    head = (f"<h4 style='margin:8px 0 4px'>{escape(result.file_name)} · {escape(result.kind_zh)}</h4>"
            f"<div style='font-size:12px;color:#666'>来源 {escape(result.source)}，{result.pages} 页 {result.lines} 行"
            + (f"，OCR 置信度 {result.ocr_confidence:.2f}" if result.ocr_confidence is not None else "")
            + ("，此文件以前评审过" if result.seen_before else "") + "</div>")
    items = []
    for f in result.findings:
        where = f"（第{f.page}页第{f.line}行）" if f.line is not None else ""
        quote = f"<br><span style='color:#333'>原文：“{escape(f.quote)}”</span>" if f.quote else ""
        items.append(f"<li><b style='color:{COLOURS[f.severity]}'>[{escape(SEVERITY_ZH[f.severity])}]</b> "
                     f"{escape(f.message)}{escape(where)}{quote}</li>")
    findings = f"<ul style='font-size:13px'>{''.join(items)}</ul>" if items else "<p style='font-size:13px'>没有需要提示的发现。</p>"
    if result.similar:
        rows = "".join(f"<tr><td>{escape(s.file_name)}</td><td>{s.jaccard:.2f}</td><td>{s.containment:.0%}</td>"
                       f"<td>{escape(s.reviewed_at)}</td></tr>" for s in result.similar[:10])
        similar = (f"<div style='font-size:13px'>雷同簇 <b>{escape(result.cluster_id or '')}</b>，共 {result.cluster_size} 份："
                   "<table style='font-size:12px'><tr><th>此前材料</th><th>Jaccard</th><th>覆盖率</th><th>评审时间</th></tr>"
                   f"{rows}</table></div>")
    else:
        similar = "<p style='font-size:13px'>未发现与此前材料雷同。</p>"
    return head + findings + similar


class ReviewTab:
    """``uploads``: where the files handed to this tab may come from (Gradio's upload folder); each is deleted once
    reviewed, so only the masked review is kept."""

    def __init__(self, service: ReviewService, uploads: Uploads) -> None:
        self.service = service
        self.uploads = uploads

    def review_files(self, paths: list[str] | None) -> str:
        """Review each uploaded file; a file that cannot be read is reported and the others still reviewed."""
        if not paths:
            raise gr.Error("请先上传材料")
        parts = []
        for p in paths:
            shown = self.service.shown_name(str(p).replace("\\", "/").rsplit("/", 1)[-1])
            try:
                path = self.uploads.take(p, self.service.max_bytes)
                try:
                    data = path.read_bytes()
                finally:
                    self.uploads.discard(path)
                parts.append(result_html(self.service.review(data, path.name)))
            except DocumentError as exc:      # unreadable, over a budget, or not an upload
                parts.append(f"<h4>{escape(shown)}</h4><p style='color:#c62828'>无法读取：{escape(exc.message)}</p>")
        return "".join(parts) + NOTE

    def build(self) -> None:
        """The tab's components and events, added to the Blocks context that is open when this is called."""
        gr.Markdown("### 材料评审\n上传授权委托书、投诉信、困难证明（文本、PDF、Word 或照片），查看需要核实的要点和与此前材料的雷同情况。")
        files = gr.File(label="上传材料（可多选）", file_count="multiple", type="filepath", file_types=list(SUPPORTED))
        button = gr.Button("开始评审", variant="primary")
        output = gr.HTML(NOTE)
        button.click(self.review_files, [files], output, api_name="review_documents")

