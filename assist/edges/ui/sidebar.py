"""The Gradio staff sidebar: narrow, Chinese, offline (no CDN assets, analytics off), mounted in the web app at
/assist. A class that receives the staff service; its handlers are methods, testable without a server."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assist.edges.ui import Gate, GradioLimits, allow, caller, friendly, mount
from assist.staff.assist import StaffAssist
from assist.staff.transcript import parse_transcript
from assist.staff.types import Assistance

LEVEL_COLOURS = {"low": ("#2e7d32", "低"), "medium": ("#ef6c00", "中"), "high": ("#c62828", "高")}
CATEGORY_ZH = {"intermediary": "疑似第三方代理", "coached": "疑似受人指导", "victim": "可能是代理受害者", "none": "未见异常"}
SLOTS = 3
CSS = ".assist-sidebar {max-width: 420px} .risk-badge {padding:6px 10px;border-radius:6px;color:#fff;font-weight:600}"


def _risk_html(a: Assistance | None) -> str:
    if a is None:
        return "<div>尚无通话内容</div>"
    r = a.risk
    colour, zh = LEVEL_COLOURS[r["level"]]
    probs = " · ".join(f"{CATEGORY_ZH[k]} {v:.0%}" for k, v in r["probabilities"].items())
    ev = "".join(f"<li>{html.escape(e['signal_id'])} {html.escape(e['signal_name'])}：“{html.escape(e['quote'][:40])}”</li>"
                 for e in r["evidence"][:4])
    return (f"<div class='risk-badge' style='background:{colour}'>风险 {zh} · {CATEGORY_ZH[r['category']]}</div>"
            f"<div style='font-size:12px;margin-top:4px'>{probs}</div><ul style='font-size:12px'>{ev}</ul>"
            "<div style='font-size:11px;color:#666'>内部参考提示，不得据此拒绝服务或投诉，也不要告知客户。</div>")


def _highlight(turns: list[dict[str, str]], a: Assistance | None) -> list[tuple[str, str | None]]:
    marks: dict[int, list[dict[str, Any]]] = {}
    if a is not None:
        for e in a.risk["evidence"]:
            if e["layer"] in ("rule", "discourse"):     # verbatim spans (a semantic window is approximate)
                marks.setdefault(e["turn_index"], []).append(e)
    out: list[tuple[str, str | None]] = []
    for i, t in enumerate(turns):
        who = "来电人：" if t["speaker"] == "caller" else "坐席："
        out.append((who, None))
        text, pos = t["text"], 0
        for e in sorted(marks.get(i, []), key=lambda e: e["start"]):
            if e["start"] >= pos:
                out.append((text[pos:e["start"]], None))
                out.append((text[e["start"]:e["end"]], e["signal_id"]))
                pos = e["end"]
        out.append((text[pos:] + "\n", None))
    return out


Transcript = list[dict[str, str]]


class StaffSidebar:
    """The sidebar over one StaffAssist; ``demo_calls`` are replayed turn by turn from the 演示 section."""

    def __init__(self, staff: StaffAssist, demo_calls: list[dict[str, Any]], gate: Gate | None = None) -> None:
        self.staff = staff
        self.calls = demo_calls
        self.gate = gate

    def _start(self, meta: dict[str, Any]) -> str:
        sid = self.staff.start(meta)
        self._record("call.open", sid)
        return sid

    def _record(self, action: str, target: str, **detail: Any) -> None:
        if self.gate is not None:
            self.gate.auth.record(caller(), action, target, **detail)

    # -- handlers (a refusal such as a turn over agent.max_turn_chars reaches the user as a message) ----------------
    def _turn(self, sid: str, ts: Transcript, turn: dict[str, Any], signal: bool = False) -> tuple[Assistance, Transcript]:
        a = self.staff.on_turn(sid, turn, signal_scripts=bool(signal))
        kept = self.staff.session(sid).turns[-1]     # as stored: masked
        return a, ts + [{"speaker": kept.speaker, "text": kept.text}]

    @allow("agent")
    @friendly
    def add(self, sid: str, ts: Transcript, num: str, who: str, said: str, signal: bool = False) -> list[Any]:
        if not said.strip():
            raise gr.Error("请先输入本轮内容")
        sid = sid or self._start({"number_matches": num})
        a, ts = self._turn(sid, ts, {"speaker": who, "text": said}, signal)
        return self.render(sid, ts, a) + [""]

    @allow("agent")
    @friendly
    def import_all(self, sid: str, ts: Transcript, num: str, block: str, signal: bool = False) -> list[Any]:
        turns = parse_transcript(block)
        if not turns:
            raise gr.Error("没有可导入的内容")
        sid = sid or self._start({"number_matches": num})
        a = None
        for t in turns:
            a, ts = self._turn(sid, ts, t, signal)
        return self.render(sid, ts, a)

    @allow("agent")
    @friendly
    def play(self, sid: str, ts: Transcript, call_id: str, pos: int, signal: bool = False) -> list[Any]:
        call = next(c for c in self.calls if c["id"] == call_id)
        if not sid or pos >= len(call["turns"]) or pos == 0:
            sid, ts, pos = self._start(call["meta"]), [], 0
        a, ts = self._turn(sid, ts, call["turns"][pos], signal)
        return self.render(sid, ts, a) + [pos + 1]

    @allow("agent")
    def reset(self) -> list[Any]:
        return self.render("", [], None) + [0, False, ""]

    @allow("agent")
    @friendly
    def feedback(self, a: Assistance | None, i: int, action: str, edited: str) -> str:
        if a is None or i >= len(a.suggestions):
            return "没有可反馈的话术"
        who = caller()
        self.staff.feedback(a.suggestions[i].id, action, edited if action == "edited" else None,
                            who.actor if who else None)
        return {"used": "已记录：采用", "edited": "已记录：修改后采用", "rejected": "已记录：不采用"}[action]

    @allow("agent")
    @friendly
    def set_tag(self, sid: str, value: bool) -> str:
        if not sid:
            return "请先开始通话"
        who = caller()
        self.staff.tag(sid, value, who.actor if who else None)
        self._record("call.tag", sid, tag="疑似代理", value=value)
        return "已标注“疑似代理”" if value else "已取消“疑似代理”标注"

    @staticmethod
    def render(sid: str, ts: Transcript, a: Assistance | None) -> list[Any]:
        outs: list[Any] = [sid, ts, a, _risk_html(a), _highlight(ts, a), (a.message if a else "")]
        sugs = list(a.suggestions) if a else []
        for i in range(SLOTS):
            if i < len(sugs):
                s = sugs[i]
                c = "\n".join(f"- **{html.escape(x.title)}** {html.escape(x.article)}：{html.escape(x.snippet)}"
                              for x in s.citations)
                outs += [gr.update(value=s.text, label=f"推荐话术 {i + 1} · {s.title}", visible=True),
                         f"**推荐理由**：{html.escape(s.reason)}\n\n{c}"]
            else:
                outs += [gr.update(value="", visible=i == 0), ""]
        acts = [x["label"] for x in a.actions] if a else []
        outs += [gr.update(choices=acts, value=[]), "\n".join(f"- {html.escape(q)}" for q in (a.probes if a else ()))]
        return outs

    # -- layout ------------------------------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        calls = self.calls
        with gr.Blocks(title="坐席助手", analytics_enabled=False) as ui:   # no file inputs or outputs
            session = gr.State("")
            turns = gr.State([])
            last = gr.State(None)
            demo_pos = gr.State(0)
            show_signal = gr.State(False)      # staff asked for intermediary-signal scripts at any risk level
            with gr.Column(elem_classes="assist-sidebar"):
                gr.Markdown("### 坐席助手")
                with gr.Row():
                    number = gr.Radio([("是", "yes"), ("否", "no"), ("不确定", "unknown")], value="unknown",
                                      label="来电号码是否为预留号码")
                    new_btn = gr.Button("新通话", size="sm")
                risk = gr.HTML(_risk_html(None))
                transcript = gr.HighlightedText(label="通话记录（证据高亮）", combine_adjacent=False, show_legend=False)
                with gr.Row():
                    speaker = gr.Radio([("来电人", "caller"), ("坐席", "agent")], value="caller", label="说话人")
                text = gr.Textbox(label="本轮内容", lines=2, placeholder="输入或粘贴这一轮的话")
                add_btn = gr.Button("添加", variant="primary")
                with gr.Accordion("粘贴整段通话 / 演示", open=False):
                    paste = gr.Textbox(label="每行一轮，以“客户：”或“坐席：”开头", lines=4)
                    paste_btn = gr.Button("导入整段")
                    demo = gr.Dropdown([(c["title"], c["id"]) for c in calls], label="演示通话", value=calls[0]["id"])
                    demo_btn = gr.Button("播放下一轮")
                    gr.HTML("<a href='/live' target='_blank' rel='noopener'>语音通话：实时语音演示（麦克风）</a>")
                signal_box = gr.Checkbox(label="也显示代理信号话术（风险为低时默认不显示）", value=False)
                message = gr.Markdown()
                boxes, cites, fb = [], [], []
                for i in range(SLOTS):
                    with gr.Group():
                        boxes.append(gr.Textbox(label=f"推荐话术 {i + 1}（可修改后点“修改后采用”）", lines=3,
                                                buttons=["copy"], interactive=True))
                        with gr.Accordion("推荐理由 · 依据", open=True):
                            cites.append(gr.Markdown())
                        with gr.Row():
                            fb.append((gr.Button("采用", size="sm"), gr.Button("修改后采用", size="sm"),
                                       gr.Button("不采用", size="sm")))
                actions = gr.CheckboxGroup(label="下一步")
                probes = gr.Markdown()
                tag = gr.Checkbox(label="标注“疑似代理”（内部标签）")
                status = gr.Markdown()

            outputs = [session, turns, last, risk, transcript, message]
            for i in range(SLOTS):
                outputs += [boxes[i], cites[i]]
            outputs += [actions, probes]
            signal_box.change(lambda v: bool(v), signal_box, show_signal, api_visibility="private")
            add_btn.click(self.add, [session, turns, number, speaker, text, show_signal], outputs + [text],
                          api_name="add_turn")
            paste_btn.click(self.import_all, [session, turns, number, paste, show_signal], outputs,
                            api_name="import_transcript")
            demo_btn.click(self.play, [session, turns, demo, demo_pos, show_signal], outputs + [demo_pos],
                           api_name="demo_next")
            new_btn.click(self.reset, [], outputs + [demo_pos, tag, status], api_name="new_call")
            for i, (used, edited, rejected) in enumerate(fb):
                for button, action in ((used, "used"), (edited, "edited"), (rejected, "rejected")):
                    button.click(self._feedback_on(i, action), [last, boxes[i]], status,
                                 api_name=f"feedback_{action}_{i + 1}")
            tag.change(self.set_tag, [session, tag], status, api_name="set_tag")
        blocks: gr.Blocks = ui
        return blocks

    def _feedback_on(self, i: int, action: str) -> Any:
        def handler(a: Assistance | None, edited: str, request: gr.Request) -> str:
            return self.feedback(a, i, action, edited, request=request)  # type: ignore[call-arg]
        handler.__annotations__ = {"request": gr.Request}
        return handler

    def mount(self, app: FastAPI, path: str, limits: GradioLimits) -> FastAPI:
        """Mount into the FastAPI app (same process as the JSON API), behind the gate."""
        return mount(app, self.build(), path, limits, css=CSS, gate=self.gate)
