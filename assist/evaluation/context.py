"""What an evaluation run measures: the real components (built by assist.bootstrap, each at most once and only
when a suite needs it) and the dataset folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from assist.consumer.chat import ConsumerChat
from assist.errors import AssistError
from assist.evaluation.conversations import LabelledConversation, load_conversations
from assist.knowledge.articles import ArticleSearch
from assist.knowledge.types import Document
from assist.ports import Embedder, Retriever
from assist.risk.assessor import RiskAssessor
from assist.staff.assist import StaffAssist

Progress = Callable[[str, int, int], None]      # (suite, case index, number of cases)


@dataclass(frozen=True)
class EvalServices:
    """How a run gets each component; assist.bootstrap.eval_services builds these from Settings."""

    embedder: Callable[[], Embedder]
    retriever: Callable[[], Retriever]
    documents: Callable[[], list[Document]]
    assessor: Callable[[], RiskAssessor]
    staff: Callable[[], StaffAssist]        # with a throw-away feedback store: earlier feedback cannot change ranking
    consumer: Callable[[], ConsumerChat]
    articles: Callable[[Path | None], ArticleSearch]   # over this corpus folder (+ the knowledge), else the index


class EvalContext:
    """The components of one run over ``data``. ``shipped`` says the folder is the shipped eval/datasets: the risk
    suites then default to conversations the model never trained on (dev + held-out writers); on another folder,
    every conversation counts."""

    def __init__(self, services: EvalServices, data: Path, risk_split: str | None = None, shipped: bool = False,
                 corpus: Path | None = None, questions: Path | None = None,
                 benchmark: Path | None = None, benchmark_split: str = "validation") -> None:
        """``questions`` (with an optional ``corpus`` folder): the retrieval suite scores that article question
        file against the corpus indexed with the knowledge base (or against the active index) instead of the
        shipped retrieval.jsonl. ``benchmark``: the TeleAntiFraud folder the scams suite also scores
        (``benchmark_split`` of it)."""
        self._services = services
        self.data = Path(data)
        self.risk_split = risk_split or ("dev,heldout" if shipped else "all")
        self.corpus = corpus
        self.questions = questions
        self.benchmark = Path(benchmark) if benchmark is not None else None     # the TeleAntiFraud folder, if scored
        self.benchmark_split = benchmark_split

    def describe(self) -> dict[str, Any]:
        """What this run used (only what was actually built)."""
        out: dict[str, Any] = {"embedder": self.embedder.name}
        if self.questions is not None:
            out["questions"] = str(self.questions)
            out["corpus"] = str(self.corpus) if self.corpus is not None else "the active index"
        if "assessor" in self.__dict__:
            m = self.assessor.model
            out["risk_scorer"] = f"model:{m.data_hash[:12]}" if m is not None else "rules+semantic"
            out["risk_split"] = self.risk_split
        if self.benchmark is not None:
            out["teleantifraud"] = f"{self.benchmark} ({self.benchmark_split})"
        return out

    def file(self, name: str) -> Path:
        p = self.data / name
        if not p.exists():
            raise AssistError(f"dataset file missing: {name}", path=str(p))
        return p

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.data.glob(pattern))

    @cached_property
    def embedder(self) -> Embedder:
        return self._services.embedder()

    @cached_property
    def retriever(self) -> Retriever:
        return self._services.retriever()

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {d.id: d for d in self._services.documents()}

    @cached_property
    def articles(self) -> ArticleSearch:
        return self._services.articles(self.corpus)

    @cached_property
    def assessor(self) -> RiskAssessor:
        return self._services.assessor()

    @cached_property
    def staff(self) -> StaffAssist:
        return self._services.staff()

    @cached_property
    def consumer(self) -> ConsumerChat:
        return self._services.consumer()

    @cached_property
    def conversations(self) -> list[LabelledConversation]:
        convs = load_conversations(self.file("conversations"))
        if self.risk_split == "all":
            return convs
        wanted = set(self.risk_split.split(","))      # split names, or writers (w06, f01 …)
        return [c for c in convs if c.split in wanted or c.writer in wanted]
