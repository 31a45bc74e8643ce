"""Gradio tab 法条检索, the staff search page: type a question as it was asked, see the matching statute articles
(law, article, the article's own text) and the regulation digests that explain them, filter by law, copy a citation.
Build it inside ``with gr.Tab("法条检索"):`` of an existing ``gr.Blocks``."""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from assist.errors import AssistError
from assist.knowledge.articles import ArticleHit, DigestHit
from assist.knowledge.retrieval import ReloadingArticleSearch

NOTE = ("<div style='font-size:11px;color:#666'>检索结果供内部参考：引用前请核对条文原文和现行有效版本；"
        "摘要是本公司对条文的通俗解读，不是条文本身。</div>")
EMPTY = "<p style='font-size:13px'>还没有检索。输入客户或同事的原话即可，例如“催收能不能打给我家里人”。</p>"


def _paragraphs(text: str) -> str:
    return "".join(f"<p style='margin:2px 0'>{escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


def articles_html(hits: list[ArticleHit], digests: list[DigestHit]) -> str:
    """Articles first (each with its citation, where it sits in the law, its text and the digests that led to it),
    then the matching digests. Everything is escaped: nothing typed or indexed can run as markup."""
    if not hits and not digests:
        return "<p style='font-size:13px'>没有找到相关条文。可以换一种说法，或取消法律筛选。</p>" + NOTE
    parts = []
    for i, h in enumerate(hits, 1):
        where = " / ".join(h.headings)
        via = f"<div style='font-size:11px;color:#666'>经由摘要：{escape('、'.join(h.digests))}</div>" if h.digests else ""
        parts.append(f"<div style='border-bottom:1px solid #eee;padding:6px 0'>"
                     f"<b>{i}. {escape(h.citation)}</b>"
                     + (f" <span style='font-size:11px;color:#666'>{escape(where)}</span>" if where else "")
                     + f"<div style='font-size:13px'>{_paragraphs(h.text)}</div>{via}</div>")
    if digests:
        parts.append("<h4 style='margin:10px 0 4px'>相关解读（知识库摘要）</h4>")
        for d in digests:
            parts.append(f"<div style='padding:4px 0'><b>{escape(d.title)}</b> "
                         f"<span style='font-size:11px;color:#666'>{escape(d.citation)}</span>"
                         f"<div style='font-size:12px;color:#333'>{_paragraphs(d.text[:400])}</div></div>")
    return "".join(parts) + NOTE


def citation_line(h: ArticleHit) -> str:
    """What the copy box holds for one article: the citation, then its text on one line."""
    return f"{h.citation}：{' '.join(h.text.split())}"


class StatuteSearchTab:
    """``search`` follows the index (a new `assist ingest` is picked up on the next question)."""

    def __init__(self, search: ReloadingArticleSearch) -> None:
        self.search = search

    def laws(self) -> list[str]:
        try:
            return self.search.current().laws
        except AssistError:
            return []

    def run(self, question: str, laws: list[str] | None, k: float) -> tuple[Any, ...]:
        if not (question or "").strip():
            raise gr.Error("请输入问题")
        try:
            s = self.search.current()
            hits = s.search(question, k=int(k), laws=laws or None, audience="agent")
            digests = [] if laws else s.digests(question, k=2, audience="agent")
        except AssistError as exc:
            raise gr.Error(exc.describe()) from exc
        choices = [(h.citation, i) for i, h in enumerate(hits)]
        first = citation_line(hits[0]) if hits else ""
        return (articles_html(hits, digests), gr.update(choices=choices, value=0 if hits else None), first,
                [citation_line(h) for h in hits])

    @staticmethod
    def pick(index: int | None, lines: list[str] | None) -> str:
        if index is None or not lines or not 0 <= int(index) < len(lines):
            return ""
        return lines[int(index)]

    def build(self) -> None:
        """The tab's components and events, added to the Blocks context that is open when this is called."""
        gr.Markdown("### 法条检索\n用客户或同事的原话提问，找到对应的法律条文（法律名称、条号和条文原文）和知识库里的通俗解读。"
                    "可按法律筛选，可一键复制引用。")
        with gr.Row():
            question = gr.Textbox(label="问题", placeholder="例如：催收的人把我欠钱的事告诉我同事，这合法吗", scale=4)
            k = gr.Slider(1, 10, value=5, step=1, label="条数", scale=1)
        laws = gr.Dropdown(self.laws(), multiselect=True, label="只看这些法律（可多选，留空为全部）")
        button = gr.Button("检索", variant="primary")
        output = gr.HTML(EMPTY)
        with gr.Row():
            which = gr.Radio([], label="复制哪一条", type="value")
            copy = gr.Textbox(label="引用（点右上角复制）", lines=3, buttons=["copy"], interactive=False)
        lines = gr.State([])
        button.click(self.run, [question, laws, k], [output, which, copy, lines], api_name="search_articles")
        question.submit(self.run, [question, laws, k], [output, which, copy, lines], api_visibility="private")
        which.change(self.pick, [which, lines], copy, api_visibility="private")
