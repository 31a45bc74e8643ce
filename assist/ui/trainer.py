"""Gradio trainer console (mounted at /trainer/): run evaluation suites with progress, read the report, filter
failures, download results, validate an uploaded dataset line by line; and practice mode, where the assistant plays
a caller and scores the trainee's replies."""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import gradio as gr

from assist.errors import AssistError
from assist.evaluation.datasets import KINDS, guess_kind, validate
from assist.evaluation.harness import FAST_SUITES, SUITE_NAMES, run_suites, summary_table, write_run
from assist.evaluation.practice import LABEL_NAMES, PracticeCoach, PracticeSession

RANDOM = "随机"
LABEL_CHOICES = [RANDOM] + [f"{v}｜{k}" for k, v in LABEL_NAMES.items()]


def _custom_dir(workdir: Path, shipped: Path) -> Path:
    """The trainer's own dataset folder: a copy of the shipped sets that uploads replace or extend."""
    d = workdir / "datasets-custom"
    if not d.exists() and shipped.is_dir():
        shutil.copytree(shipped, d)
    return d


def build_trainer(context_factory: Callable[[Path], Any], coach: PracticeCoach, shipped: Path, workdir: Path,
                  review: Any = None) -> gr.Blocks:
    """``context_factory(dataset_folder)`` returns an EvalContext over the live index; ``review`` (a ReviewService)
    adds the document-review tab."""
    workdir.mkdir(parents=True, exist_ok=True)
    folders = {"随产品提供的评测集": shipped, "自定义评测集（上传后）": _custom_dir(workdir, shipped)}

    with gr.Blocks(title="培训、评测与材料评审", analytics_enabled=False) as ui:
        gr.Markdown("## 后台：评测、陪练与材料评审\n评测：衡量助手质量、对比改动；陪练：由助手扮演来电人，练习应对；"
                    "材料评审：检查授权委托书、投诉信、困难证明。")
        with gr.Tab("评测"):
            with gr.Row():
                suites = gr.CheckboxGroup(list(SUITE_NAMES), value=list(FAST_SUITES), label="评测项目")
                dataset = gr.Dropdown(list(folders), value=list(folders)[0], label="评测集")
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

            def run(chosen: list[str], which: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
                if not chosen:
                    raise gr.Error("请至少选择一个评测项目")
                folder = folders[which]

                def tick(suite: str, i: int, n: int) -> None:
                    progress((i + 1) / max(n, 1), desc=f"{suite} {i + 1}/{n}")

                try:
                    result = run_suites(context_factory(folder), chosen, tick)
                except AssistError as exc:
                    raise gr.Error(exc.describe()) from exc
                out = Path(tempfile.mkdtemp(prefix="eval-", dir=workdir))
                res_path, rep_path = write_run(result, out)
                data = result.to_dict()
                rows = _failure_rows(data, "全部", "")
                return (summary_table(result), str(res_path), str(rep_path), rows,
                        _framed(rep_path.read_text(encoding="utf-8")), data)

            run_btn.click(run, [suites, dataset], [summary, results_file, report_file, failures, report, last_run],
                          api_name="run_eval")
            for comp in (suite_filter, text_filter):
                comp.change(lambda d, s, t: _failure_rows(d, s, t) if d else [], [last_run, suite_filter, text_filter],
                            failures, api_visibility="private")

            gr.Markdown("### 上传新的评测集（JSONL）\n每行一个 JSON 对象；格式见 eval/README.md。校验通过后存入“自定义评测集”。")
            with gr.Row():
                upload = gr.File(label="JSONL 文件", file_types=[".jsonl"])
                kind = gr.Dropdown(["自动识别"] + list(KINDS), value="自动识别", label="类型")
            check_btn = gr.Button("校验并保存")
            check_out = gr.Textbox(label="校验结果", lines=8, interactive=False)

            def check(path: str | None, chosen_kind: str) -> str:
                if not path:
                    return "请先选择文件"
                name = Path(path).name
                k = guess_kind(name) if chosen_kind == "自动识别" else chosen_kind
                if k is None:
                    return f"无法从文件名 {name} 判断类型，请手动选择类型"
                data = Path(path).read_bytes()
                dest = dataset_target(folders["自定义评测集（上传后）"], k, name)
                taken = conversation_ids(dest.parent, skip=dest) if k == "conversations" else None
                good, errors = validate(data, k, name, taken)
                if errors:
                    shown = "\n".join(errors[:50]) + (f"\n…… 另有 {len(errors) - 50} 处" if len(errors) > 50 else "")
                    return f"未保存：{len(errors)} 处问题（有效 {good} 行）\n{shown}"
                replaced = dest.exists()
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                return f"校验通过：{good} 条（{k}），已{'替换' if replaced else '保存到'} {dest}"

            check_btn.click(check, [upload, kind], check_out, api_name="validate_dataset")

        with gr.Tab("陪练"):
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

            def start(who: str, choice: str) -> tuple[Any, ...]:
                wanted = None if choice == RANDOM else choice.split("｜")[-1]
                try:
                    s, first = coach.start(who, wanted)
                except AssistError as exc:
                    raise gr.Error(exc.message) from exc
                # the caller on the left, the trainee (the agent) on the right
                return s, [{"role": "assistant", "content": first}], "", ""

            def send(s: PracticeSession | None, history: list[dict[str, str]], text: str) -> tuple[Any, ...]:
                if s is None:
                    raise gr.Error("请先开始一通练习来电")
                try:
                    score, nxt = coach.reply(s, text)
                except AssistError as exc:
                    raise gr.Error(exc.message) from exc
                history = list(history or []) + [{"role": "user", "content": text}]
                summary_text = ""
                if nxt is not None:
                    history.append({"role": "assistant", "content": nxt})
                else:
                    summary_text = coach.finish(s).text()
                return s, history, "", score.feedback(), summary_text

            def end(s: PracticeSession | None) -> str:
                if s is None:
                    raise gr.Error("请先开始一通练习来电")
                if not s.scores:
                    return "还没有回复，无法总结"
                return coach.finish(s).text()

            def export(who: str) -> str:
                path = workdir / f"practice-{_file_part((who or '').strip() or 'all')}-{int(time.time())}.csv"
                path.write_text(coach.store.export_csv(who.strip() or None), encoding="utf-8-sig")
                return str(path)

            start_btn.click(start, [trainee, label], [state, chat, feedback, result], api_name="practice_start")
            send_btn.click(send, [state, chat, reply], [state, chat, reply, feedback, result], api_name="practice_reply")
            reply.submit(send, [state, chat, reply], [state, chat, reply, feedback, result], api_visibility="private")
            end_btn.click(end, [state], result, api_name="practice_end")
            export_btn.click(export, [trainee], export_file, api_name="practice_export")

        if review is not None:
            from assist.review.ui import build_review_tab

            with gr.Tab("材料评审"):
                build_review_tab(lambda: review)
    return ui


def _framed(report: str) -> str:
    """The report inside a sandboxed frame: its own stylesheet (body width, tables) must not restyle the console."""
    return (f"<iframe title='评测报告' sandbox='' srcdoc=\"{html.escape(report, quote=True)}\" "
            "style='width:100%;height:900px;border:1px solid #ddd'></iframe>")


def dataset_target(folder: Path, kind: str, name: str) -> Path:
    """Where an uploaded file of ``kind`` goes in a dataset folder so that its suite reads it: retrieval and
    consumer have one file each (an upload replaces it), scams and attacks are read as scams*.jsonl and
    attacks*/benign*.jsonl, conversations as conversations/*.jsonl."""
    base = _file_part(Path(name).stem) + ".jsonl"
    if kind in ("retrieval", "consumer"):
        return folder / f"{kind}.jsonl"
    if kind == "scams":
        return folder / (base if base.startswith("scams") else f"scams_{base}")
    if kind == "attacks":
        return folder / (base if base.startswith(("attacks", "benign")) else f"attacks_{base}")
    if kind == "conversations":
        return folder / "conversations" / base
    raise AssistError(f"unknown dataset kind {kind!r}", field="kind")


def conversation_ids(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Conversation ids already in ``folder`` (file:line), except in ``skip``: ids must be unique across files."""
    out: dict[str, str] = {}
    for f in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        if skip is not None and f.resolve() == skip.resolve():
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                cid = json.loads(line).get("id") if line.strip() else None
            except (json.JSONDecodeError, AttributeError):
                continue        # the file's own validation reported it when it was saved
            if isinstance(cid, str):
                out.setdefault(cid, f"conversations/{f.name}:{n}")
    return out


def _file_part(text: str) -> str:
    """A name typed by a user, safe as part of a file name (no path separators, no leading dots)."""
    cleaned = re.sub(r"[^\w\-.]+", "_", text).strip("._")
    return cleaned[:60] or "x"


def _failure_rows(data: dict[str, Any], suite: str, text: str) -> list[list[str]]:
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


def mount(app: Any, settings: Any, agent: Any, review: Any = None, path: str = "/trainer") -> Any:
    """Mount the trainer console next to the sidebar (same process, same index)."""
    from assist.evaluation.practice import PracticeStore
    from assist.evaluation.suites import SHIPPED_DATASETS, EvalContext
    from assist.index import IndexLayout
    from assist.risk.dataset import load_conversations

    root = IndexLayout(settings.data_dir).root
    shipped = SHIPPED_DATASETS
    convs = load_conversations(shipped / "conversations") if (shipped / "conversations").is_dir() else []
    if not convs:   # an installed package without the source tree: practise on the demo calls
        from assist.risk.dataset import parse_line
        from assist.ui.agent_sidebar import demo_calls

        convs = [parse_line(c) for c in demo_calls()]
    embedder = agent.assessor.semantic.embedder if agent.assessor.semantic else None
    if embedder is None:
        from assist.bootstrap import build_embedder

        embedder = build_embedder(settings)

    def context(folder: Path) -> Any:
        ctx = EvalContext(settings, folder)
        ctx.__dict__["embedder"] = embedder      # share the loaded embedder (cached_property slot)
        return ctx

    coach = PracticeCoach(convs, agent, embedder, PracticeStore(root / "practice.sqlite"))
    ui = build_trainer(context, coach, shipped, root / "trainer", review)
    return gr.mount_gradio_app(app, ui, path=path)
