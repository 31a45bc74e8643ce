"""The Gradio trainer console (mounted at /trainer/): run evaluation suites with progress, read the report, filter
failures, download results, validate an uploaded dataset line by line; practice mode, where the assistant plays a
caller and scores the trainee's replies; and document review. A class that receives its services."""

from __future__ import annotations

import html
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assist.cases.service import CaseService
from assist.cases.types import CASE_ROLES
from assist.core.files import safe_name
from assist.core.pii import mask_for_storage, mask_value
from assist.core.text import clean_text
from assist.edges.ui import Gate, GradioLimits, Uploads, allow, caller, mount
from assist.edges.ui.case_tab import CaseTab, gate_caller, unsigned_caller
from assist.edges.ui.review_tab import ReviewTab
from assist.edges.ui.statute_tab import STATUTE_ROLES, StatuteSearchTab
from assist.errors import AssistError
from assist.evaluation.context import EvalContext
from assist.evaluation.datasets import KINDS, add_dataset, guess_kind
from assist.evaluation.harness import FAST_SUITES, SUITE_NAMES, run_suites, write_run
from assist.evaluation.results import summary_table
from assist.knowledge.retrieval import ReloadingArticleSearch
from assist.practice.coach import PracticeCoach, PracticeSession
from assist.practice.scoring import LABEL_NAMES
from assist.review.service import ReviewService

RANDOM = "随机"
LABEL_CHOICES = [RANDOM] + [f"{v}｜{k}" for k, v in LABEL_NAMES.items()]
SHIPPED, CUSTOM = "随产品提供的评测集", "自定义评测集（上传后）"


def masked_jsonl(data: bytes) -> bytes:
    """An uploaded JSONL file with personal numbers masked in every string value of every line that parses (lines
    that do not parse are left for validation to report; nothing is saved unless every line is good)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    out = []
    for line in text.splitlines():
        try:
            out.append(json.dumps(mask_value(json.loads(line)), ensure_ascii=False) if line.strip() else line)
        except ValueError:
            out.append(line)
    return ("\n".join(out) + "\n").encode("utf-8")


class TrainerConsole:
    """``eval_context(folder)`` gives an evaluation over the live index; ``review`` adds the document-review tab,
    ``statutes`` the staff search page (法条检索); ``uploads`` is where files handed to its functions may come from
    (Gradio's upload folder)."""

    def __init__(self, eval_context: Callable[[Path], EvalContext], coach: PracticeCoach, shipped: Path,
                 workdir: Path, review: ReviewService | None = None,
                 statutes: ReloadingArticleSearch | None = None, uploads: Uploads | None = None,
                 max_upload_bytes: int | None = None, gate: Gate | None = None,
                 cases: tuple[CaseService, Path] | None = None) -> None:
        self.gate = gate
        self.eval_context = eval_context
        self.coach = coach
        self.workdir = workdir
        self.review = review
        self.uploads = uploads or Uploads.gradio()
        self.max_upload_bytes = max_upload_bytes
        self.statutes = statutes
        self.cases = cases
        workdir.mkdir(parents=True, exist_ok=True)
        custom = workdir / "datasets-custom"     # the trainer's own copy of the shipped sets; uploads change it
        if not custom.exists() and shipped.is_dir():
            shutil.copytree(shipped, custom)
        self.folders = {SHIPPED: shipped, CUSTOM: custom}

    def _record(self, action: str, target: str, **detail: Any) -> None:
        if self.gate is not None:
            self.gate.auth.record(caller(), action, target, **detail)

    # -- evaluation --------------------------------------------------------------------------------------------------
    @allow("trainer")
    def run_eval(self, chosen: list[str], which: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not chosen:
            raise gr.Error("请至少选择一个评测项目")

        def tick(suite: str, i: int, n: int) -> None:
            progress((i + 1) / max(n, 1), desc=f"{suite} {i + 1}/{n}")

        try:
            result = run_suites(self.eval_context(self.folders[which]), chosen, tick)
        except AssistError as exc:
            raise gr.Error(exc.describe()) from exc
        out = Path(tempfile.mkdtemp(prefix="eval-", dir=self.workdir))
        res_path, rep_path = write_run(result, out)
        self._record("eval.run", out.name, suites=sorted(chosen), dataset=which)
        data = result.to_dict()
        return (summary_table(result), str(res_path), str(rep_path), failure_rows(data, "全部", ""),
                framed(rep_path.read_text(encoding="utf-8")), data)

    @allow("trainer")
    def check_dataset(self, path: str | None, chosen_kind: str) -> str:
        """Validate an uploaded JSONL file (only an upload: no server path is read) and, when every line is good,
        save it masked into the trainer's datasets; the upload itself is deleted either way."""
        if not path:
            return "请先选择文件"
        try:
            upload = self.uploads.take(path, self.max_upload_bytes)
        except AssistError as exc:
            return f"无法读取：{exc.message}"
        try:
            data = upload.read_bytes()
        finally:
            self.uploads.discard(upload)
        name = safe_name(mask_for_storage(clean_text(upload.name)))
        kind = guess_kind(name) if chosen_kind == "自动识别" else chosen_kind
        if kind is None:
            return f"无法从文件名 {name} 判断类型，请手动选择类型"
        up = add_dataset(self.folders[CUSTOM], masked_jsonl(data), name, kind)
        if not up.saved:
            shown = "\n".join(up.errors[:50]) + (f"\n…… 另有 {len(up.errors) - 50} 处" if len(up.errors) > 50 else "")
            return f"未保存：{len(up.errors)} 处问题（有效 {up.good} 行）\n{shown}"
        self._record("dataset.change", name, kind=kind, lines=up.good, replaced=up.replaced)
        return f"校验通过：{up.good} 条（{kind}），已{'替换' if up.replaced else '保存到'} {up.path}"

    # -- practice ----------------------------------------------------------------------------------------------------
    @staticmethod
    def _trainee(typed: str) -> str:
        """Who practises: the signed-in staff member (what they type is used only outside the web app)."""
        who = caller()
        return who.actor if who is not None else typed

    @allow("agent", "trainer")
    def practice_start(self, who: str, choice: str) -> tuple[Any, ...]:
        who = self._trainee(who)
        wanted = None if choice == RANDOM else choice.split("｜")[-1]
        try:
            s, first = self.coach.start(who, wanted)
        except AssistError as exc:
            raise gr.Error(exc.message) from exc
        # the caller on the left, the trainee (the agent) on the right
        return s, [{"role": "assistant", "content": first}], "", ""

    @allow("agent", "trainer")
    def practice_send(self, s: PracticeSession | None, history: list[dict[str, str]], text: str) -> tuple[Any, ...]:
        if s is None:
            raise gr.Error("请先开始一通练习来电")
        try:
            score, nxt = self.coach.reply(s, text)
        except AssistError as exc:
            raise gr.Error(exc.message) from exc
        history = list(history or []) + [{"role": "user", "content": score.reply}]     # shown back masked
        summary_text = ""
        if nxt is not None:
            history.append({"role": "assistant", "content": nxt})
        else:
            summary_text = self.coach.finish(s).text()
        return s, history, "", score.feedback(), summary_text

    @allow("agent", "trainer")
    def practice_end(self, s: PracticeSession | None) -> str:
        if s is None:
            raise gr.Error("请先开始一通练习来电")
        if not s.scores:
            return "还没有回复，无法总结"
        return self.coach.finish(s).text()

    @allow("agent", "trainer")
    def practice_export(self, who: str) -> str:
        me = caller()
        if me is not None and not me.allows("trainer"):
            who = me.actor                  # staff export their own record; trainers anyone's, or everyone's
        self._record("practice.export", who.strip() or "all")
        label = mask_for_storage(clean_text(who or "").strip()) or "all"
        path = self.workdir / f"practice-{safe_name(label)}-{int(time.time())}.csv"
        path.write_text(self.coach.export_csv(who.strip() or None), encoding="utf-8-sig")
        return str(path)

    # -- layout ------------------------------------------------------------------------------------------------------
    def build(self, retention_s: int | None = None) -> gr.Blocks:
        """The console; ``retention_s``: uploads and downloads older than this are deleted from Gradio's folder."""
        delete = (max(60, retention_s // 4), retention_s) if retention_s else None
        with gr.Blocks(title="培训、评测与材料评审", analytics_enabled=False, delete_cache=delete) as ui:
            gr.Markdown("## 后台：评测、陪练与材料评审\n评测：衡量助手质量、对比改动；陪练：由助手扮演来电人，练习应对；"
                        "材料评审：检查授权委托书、投诉信、困难证明；法条检索：用原话找法律条文。")
            tabs: list[tuple[Any, tuple[str, ...]]] = []
            if self.statutes is not None:
                with gr.Tab("法条检索") as t:
                    StatuteSearchTab(self.statutes, self.gate).build()
                tabs.append((t, STATUTE_ROLES))
            with gr.Tab("评测") as t:
                self._evaluation_tab()
            tabs.append((t, ("trainer",)))
            with gr.Tab("陪练") as t:
                self._practice_tab()
            tabs.append((t, ("agent", "trainer")))
            if self.review is not None:
                with gr.Tab("材料评审") as t:
                    ReviewTab(self.review, self.uploads, self.gate).build()
                tabs.append((t, ("reviewer",)))
            if self.cases is not None:
                with gr.Tab("案件") as t:
                    CaseTab(*self.cases, self.uploads, self.max_upload_bytes or 10 * 2**20,
                            gate_caller(self.gate) if self.gate is not None else unsigned_caller).build()
                tabs.append((t, CASE_ROLES))
            if self.gate is not None:
                gate = self.gate

                def visible(request: gr.Request) -> list[Any]:
                    """Each tab only for its roles (the functions check again: hiding is not the protection)."""
                    ident = gate.identify(request)
                    return [gr.update(visible=ident is not None and ident.allows(*roles)) for _, roles in tabs]
                ui.load(visible, None, [t for t, _ in tabs], api_visibility="private")
        blocks: gr.Blocks = ui
        return blocks

    def _evaluation_tab(self) -> None:
        with gr.Row():
            suites = gr.CheckboxGroup(list(SUITE_NAMES), value=list(FAST_SUITES), label="评测项目")
            dataset = gr.Dropdown(list(self.folders), value=SHIPPED, label="评测集")
        run_btn = gr.Button("开始评测", variant="primary")
        summary = gr.Textbox(label="结果摘要", lines=12, interactive=False)
        with gr.Row():
            results_file = gr.File(label="下载 results.json", interactive=False)
            report_file = gr.File(label="下载 report.html", interactive=False)
        with gr.Row():
            suite_filter = gr.Dropdown(["全部"] + list(SUITE_NAMES), value="全部", label="筛选失败案例：评测项目")
            text_filter = gr.Textbox(label="关键词", placeholder="例如 coached 或 12378")
        failures = gr.Dataframe(headers=["评测项目", "案例", "原因"], label="失败案例", wrap=True, interactive=False)
        report = gr.HTML(label="评测报告")
        last_run = gr.State(None)
        run_btn.click(self.run_eval, [suites, dataset], [summary, results_file, report_file, failures, report, last_run],
                      api_name="run_eval")
        for comp in (suite_filter, text_filter):
            comp.change(lambda d, s, t: failure_rows(d, s, t) if d else [], [last_run, suite_filter, text_filter],
                        failures, api_visibility="private")
        gr.Markdown("### 上传新的评测集（JSONL）\n每行一个 JSON 对象；格式见 eval/README.md。校验通过后存入“自定义评测集”。")
        with gr.Row():
            upload = gr.File(label="JSONL 文件", file_types=[".jsonl"])
            kind = gr.Dropdown(["自动识别"] + list(KINDS), value="自动识别", label="类型")
        check_btn = gr.Button("校验并保存")
        check_out = gr.Textbox(label="校验结果", lines=8, interactive=False)
        check_btn.click(self.check_dataset, [upload, kind], check_out, api_name="validate_dataset")

    def _practice_tab(self) -> None:
        gr.Markdown("助手扮演来电人，您作为坐席逐句回复；每句回复都会即时检查合规、要点和与推荐话术的接近度。")
        with gr.Row():
            trainee = gr.Textbox(label="学员姓名/工号")
            label = gr.Dropdown(LABEL_CHOICES, value=RANDOM, label="来电类型")
        start_btn = gr.Button("开始一通练习来电", variant="primary")
        chat = gr.Chatbot(label="练习通话", height=360)
        reply = gr.Textbox(label="您的回复", lines=2)
        with gr.Row():
            send_btn = gr.Button("发送回复", variant="primary")
            end_btn = gr.Button("结束并查看总结")
        feedback = gr.Textbox(label="即时反馈", lines=4, interactive=False)
        result = gr.Textbox(label="本次总结", lines=6, interactive=False)
        with gr.Row():
            export_btn = gr.Button("导出练习记录（CSV，姓名留空则导出全部学员）")
            export_file = gr.File(label="CSV", interactive=False)
        state = gr.State(None)
        start_btn.click(self.practice_start, [trainee, label], [state, chat, feedback, result], api_name="practice_start")
        send_btn.click(self.practice_send, [state, chat, reply], [state, chat, reply, feedback, result],
                       api_name="practice_reply")
        reply.submit(self.practice_send, [state, chat, reply], [state, chat, reply, feedback, result],
                     api_visibility="private")
        end_btn.click(self.practice_end, [state], result, api_name="practice_end")
        export_btn.click(self.practice_export, [trainee], export_file, api_name="practice_export")

    def mount(self, app: FastAPI, path: str, limits: GradioLimits) -> FastAPI:
        """Mount next to the sidebar (same process, same index). Downloads (results, reports, CSV exports) are
        written under ``workdir``, the only folder besides Gradio's own that outputs may come from."""
        self.max_upload_bytes = limits.max_file_bytes
        allowed = [self.workdir] + ([self.cases[1]] if self.cases is not None else [])
        return mount(app, self.build(limits.retention_s), path, limits, allowed_paths=allowed, gate=self.gate)


def framed(report: str) -> str:
    """The report inside a sandboxed frame: its own stylesheet (body width, tables) must not restyle the console."""
    return (f"<iframe title='评测报告' sandbox='' srcdoc=\"{html.escape(report, quote=True)}\" "
            "style='width:100%;height:900px;border:1px solid #ddd'></iframe>")


def failure_rows(data: dict[str, Any], suite: str, text: str) -> list[list[str]]:
    """Failed and unscorable cases of a run, filtered by suite and a keyword."""
    rows = []
    for s in data.get("suites", []):
        if suite not in ("全部", s["name"]):
            continue
        for c in s["cases"]:
            if c["outcome"] != "pass":
                row = [s["name"], c["id"], c["reason"] or c["outcome"]]
                blob = " ".join(row) + " " + str(c.get("details", ""))
                if not text or text.lower() in blob.lower():
                    rows.append(row)
    return rows
