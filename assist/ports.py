"""Every seam of the package, in our words: the narrow interfaces that services receive and adapters (or fakes in
tests) implement. A third-party library appears behind one of these, in assist/adapters, and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL.Image import Image

    from assist.audio.types import AudioInfo, Segment
    from assist.cases.types import CaseRecord, Item, LogEntry
    from assist.consumer.scams import ScamVerdict
    from assist.core.documents import DocxBlock, OcrLine
    from assist.knowledge.types import Filter, Hit
    from assist.review.types import Link, StoredDocument


# -- text and vectors -----------------------------------------------------------------------------------------------

@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length vectors. Queries and passages may be encoded differently (e5 prefixes)."""

    @property
    def name(self) -> str:
        """Identity of the model and its settings; embeddings are cached under it."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, passages: Sequence[str]) -> list[list[float]]:
        """One vector per passage, in order."""
        ...

    def embed_query(self, text: str) -> list[float]: ...


class EmbeddingCache(Protocol):
    """Vectors already computed, by (embedder name, text key): unchanged text is never embedded twice."""

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, Any]: ...

    def put_many(self, model: str, items: Sequence[tuple[str, Sequence[float]]]) -> None: ...


class TokenCounter(Protocol):
    """Counts model tokens (passage and prompt budgets)."""

    def count(self, text: str) -> int: ...


class Tokenizer(Protocol):
    """Splits text into lexical tokens (words and character n-grams) for BM25."""

    def tokens(self, text: str) -> list[str]: ...

    def words(self, text: str) -> list[str]:
        """Content words only (no character n-grams, no stop words)."""
        ...


# -- indexes --------------------------------------------------------------------------------------------------------

class VectorSearch(Protocol):
    """The read side of a dense index."""

    def query(self, vector: Sequence[float], k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine similarity), best first, filtered inside the store."""
        ...

    def count(self) -> int: ...


class VectorIndex(VectorSearch, Protocol):
    """One generation of the dense index (written once by ingestion, then only read)."""

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], texts: Sequence[str],
            metas: Sequence[dict[str, Any]]) -> None: ...


class VectorStore(Protocol):
    """Holds dense indexes, one per generation, so a rebuild can be swapped in atomically."""

    def create(self, name: str) -> VectorIndex: ...

    def open(self, name: str) -> VectorIndex: ...

    def drop(self, name: str) -> None: ...

    def names(self) -> list[str]: ...


class LexicalIndex(Protocol):
    """BM25 over one generation; the filter is applied as a mask inside scoring."""

    def query(self, tokens: Sequence[str], k: int, where: Filter | None = None) -> list[tuple[str, float]]: ...


class LexicalStore(Protocol):
    """Builds, saves and loads the lexical index of a generation, and the tokenizer that feeds it."""

    def tokenizer(self, terms: Sequence[str]) -> Tokenizer:
        """A tokenizer that keeps ``terms`` (domain words) whole."""
        ...

    def build(self, folder: Path, ids: Sequence[str], token_lists: Sequence[list[str]], audiences: Sequence[str],
              kinds: Sequence[str], tags: Sequence[list[str]]) -> None: ...

    def load(self, folder: Path) -> LexicalIndex: ...


class IndexCatalog(Protocol):
    """Where index generations are published, and which one is active. A manifest file in the data folder serves
    one host; a database that every instance reads serves many (the generation's passages, vectors and BM25 files
    are stored in it). A generation becomes active only once it is stored whole, in one step; readers never see
    part of one."""

    @property
    def shared(self) -> bool:
        """Whether a generation must be fetched from the catalog (True) or is already in the local data folder."""
        ...

    def stamp(self) -> object | None:
        """A value that changes whenever another generation becomes active; None when nothing is published. Cheap
        enough to ask before every query."""
        ...

    def manifest(self) -> dict[str, Any] | None:
        """The active generation's manifest (``active`` names it), or None when nothing is published."""
        ...

    def publish(self, gen: str, manifest: dict[str, Any], folder: Path, *, replaces: str | None) -> None:
        """Store the generation's files (``folder``) and make it active in one step. Fails (KnowledgeError) when
        the active generation is no longer ``replaces``: someone else published meanwhile."""
        ...

    def fetch(self, gen: str, folder: Path) -> None:
        """Make ``folder`` hold the generation's files, each verified, unless it already holds them."""
        ...

    def retire(self, keep: set[str]) -> None:
        """Forget every generation not in ``keep``, and what crashed publications left behind."""
        ...

    def ingestion(self) -> AbstractContextManager[None]:
        """Held for a whole ingestion run: a second run against the same catalog fails at once (KnowledgeError).
        Released by the operating system or the database if the run dies."""
        ...


class Reranker(Protocol):
    """Scores (query, passage) pairs; higher is more relevant."""

    def scores(self, query: str, texts: Sequence[str]) -> list[float]: ...


class Retriever(Protocol):
    """Ranked, cited passages for a question (the hybrid retriever, or one that follows index generations)."""

    def search(self, query: str, *, k: int | None = None, where: Filter | None = None, mode: str = "hybrid",
               floor: bool = True) -> list[Hit]: ...

    def query_vector(self, query: str) -> tuple[str, bytes]:
        """(the embedder's name, the float32 bytes of the dense vector) that searches for ``query`` use; computed
        once, then kept with the last queries."""
        ...

    def remember(self, query: str, embedder: str, vector: bytes) -> bool:
        """Take a vector another worker computed for ``query`` (it travels in the call's shared session), so that
        this worker does not embed the same words again; False, and nothing kept, when it was made by another
        embedder or does not have this one's size."""
        ...


# -- language model -------------------------------------------------------------------------------------------------

class ChatModel(Protocol):
    """A chat model behind an endpoint: one system and one user message in, the reply text out."""

    @property
    def name(self) -> str: ...

    def complete(self, system: str, user: str) -> str: ...


# -- consumer checks ------------------------------------------------------------------------------------------------

class ScamCheck(Protocol):
    """The schemes a consumer's message shows, with the red flags quoted, or None."""

    def check(self, message: str) -> ScamVerdict | None: ...


class AttackCheck(Protocol):
    """The attack category of a consumer's message (injection, internal request, …), or None."""

    def classify(self, message: str) -> str | None: ...


# -- stores ---------------------------------------------------------------------------------------------------------

T = TypeVar("T")


class SessionStore(Protocol[T]):
    """Live sessions by id (call sessions, consumer chats) that expire after an idle time, bounded in number. In
    process today (assist.core.ttl.ExpiringMap); a PostgreSQL or Redis adapter implements the same methods (a row
    lock for ``hold``, the value written back when the block ends) so that several workers share the sessions."""

    ttl_s: float

    def add(self, key: str, value: T) -> bool:
        """Store a session; False when the store is full and may not make room (its limit is the caller's budget)."""
        ...

    def put(self, key: str, value: T) -> None:
        """Store a session, making room if needed."""
        ...

    def get(self, key: str) -> T | None:
        """The live session (its idle time starts again), or None when unknown or expired."""
        ...

    def hold(self, key: str) -> AbstractContextManager[T | None]:
        """Exclusive use of one session for a read-modify-write (other holders of that id wait; other ids do not);
        None inside the block when the id is unknown or expired."""
        ...

    def discard(self, key: str) -> None: ...

    def __len__(self) -> int: ...


class RateLimit(Protocol):
    """A token bucket per client: ``allow`` is 0.0 when a message may go through (and counts it), else the seconds
    to wait. In process (assist.edges.http.ratelimit) or shared by every worker (assist.adapters.sql_sessions)."""

    def allow(self, client: str) -> float: ...


class FeedbackStore(Protocol):
    """What was shown to staff, what they did with it, and the 疑似代理 tags (already masked when it arrives)."""

    def record_shown(self, rows: Sequence[dict[str, Any]]) -> None:
        """The suggestions shown after one turn, written together (one transaction)."""

    def shown_row(self, suggestion_id: str) -> dict[str, Any] | None: ...

    def record_feedback(self, suggestion_id: str, action: str, edited_text: str | None, agent_id: str | None) -> None: ...

    def record_tag(self, session_id: str, tag: str, value: bool, agent_id: str | None) -> None: ...

    def tag_state(self, session_id: str, tag: str) -> bool: ...

    def knows_session(self, session_id: str) -> bool:
        """A call with this id was served (a suggestion shown or a tag set), whether it is still live or not."""
        ...

    def feedback_counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(script id, situation) -> counts of used / edited / rejected."""
        ...

    def vote_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(script id, situation, staff member, UTC day YYYY-MM-DD, action) of every vote not undone."""
        ...

    def votes(self, *, script_id: str | None = None, agent_id: str | None = None,
              limit: int = 200) -> list[dict[str, Any]]: ...

    def undo_vote(self, vote_id: int, by: str) -> bool: ...

    def ping(self) -> None:
        """Raise StoreUnavailable when the database cannot be reached (readiness)."""
        ...


class AccountStore(Protocol):
    """Built-in accounts (scrypt password hashes) and service accounts' API keys (SHA-256 digests of the secret)."""

    def get_user(self, name: str) -> dict[str, Any] | None:
        """{name, password_hash, roles, disabled, created_at, updated_at} or None."""
        ...

    def put_user(self, name: str, password_hash: str, roles: list[str], *, disabled: bool) -> None: ...

    def users(self) -> list[dict[str, Any]]: ...

    def add_key(self, key_id: str, name: str, secret_hash: str, scopes: list[str]) -> None: ...

    def get_key(self, key_id: str) -> dict[str, Any] | None:
        """{key_id, name, secret_hash, scopes, created_at, revoked_at} or None."""
        ...

    def revoke_key(self, key_id: str) -> None: ...

    def keys(self) -> list[dict[str, Any]]: ...


class AuditStore(Protocol):
    """Append-only audit events (already masked): appended, queried, purged past the retention; never changed."""

    def append(self, rows: Sequence[dict[str, Any]]) -> None:
        """{at, actor, roles, action, target, detail} rows, in order."""
        ...

    def query(self, *, actor: str | None, action: str | None, target: str | None, since: Any, until: Any,
              limit: int) -> list[dict[str, Any]]:
        """Newest first; ``action`` matches a prefix (``call.`` is every call event)."""
        ...

    def purge_before(self, cutoff: Any) -> int: ...


class IdentityProvider(Protocol):
    """The institution's single sign-on (OpenID Connect): where to send the browser, and the verified claims of the
    user it sends back."""

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, verifier: str) -> str: ...

    def sign_in(self, code: str, redirect_uri: str, verifier: str, nonce: str) -> dict[str, Any]:
        """The verified ID token's claims (with userinfo's); AuthError when the code or token is not valid."""
        ...


class WatchlistStore(Protocol):
    """Keyed-hash sightings of identifiers (never raw values)."""

    def add(self, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
        """(kind, id_hash, borrower_hash, seen ISO time, source) rows; a repeat keeps the latest time."""
        ...

    def linkage(self, kind: str, id_hash: str, since: str, until: str) -> tuple[int, int]:
        """(distinct borrowers, sightings) of one identifier between two ISO times."""
        ...

    def rows(self) -> Iterator[tuple[str, str, str, str, str]]: ...

    def close(self) -> None: ...


class PracticeStore(Protocol):
    """Finished practice sessions, one row each (trainee replies already masked)."""

    def save(self, row: dict[str, Any]) -> None: ...

    def rows(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """Every saved session (of one trainee), oldest first."""
        ...


class ReviewStore(Protocol):
    """Reviewed documents (masked text, sketch) and the near-copy links between them."""

    def get(self, doc_id: str) -> StoredDocument | None: ...

    def get_many(self, doc_ids: list[str]) -> dict[str, StoredDocument]: ...

    def add(self, doc: StoredDocument, links: Sequence[Link]) -> bool: ...

    def sketches(self) -> Iterable[tuple[str, bytes]]: ...

    def cluster(self, doc_id: str) -> tuple[str | None, list[str]]: ...

    def now(self) -> str: ...

    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot be reached (readiness)."""
        ...

    def close(self) -> None: ...


class CaseStore(Protocol):
    """Cases, their gathered items (masked) and each case's append-only, hash-chained log. No method changes or
    removes an item or a log entry."""

    def create(self, case: CaseRecord) -> None:
        """Store a new case; CaseError when its id exists."""
        ...

    def get(self, case_id: str) -> CaseRecord | None: ...

    def cases(self) -> list[CaseRecord]:
        """Every case, newest first."""
        ...

    def add_items(self, case_id: str, items: Sequence[Item]) -> list[Item]:
        """Add items in one transaction; an item already in the case is left as it was. Returns the ones added."""
        ...

    def items(self, case_id: str) -> list[Item]: ...

    def append_log(self, case_id: str, at: str, actor: str, role: str, action: str,
                   detail: dict[str, Any]) -> LogEntry:
        """Append an entry chained to the case's last one (assist.cases.types.entry_hash)."""
        ...

    def log(self, case_id: str) -> list[LogEntry]:
        """The case's log, oldest first."""
        ...

    def delete(self, case_id: str, at: str, actor: str, reason: str) -> int:
        """Remove a case with its items and log, leaving only a record of the deletion; returns the items removed."""
        ...

    def deleted(self) -> list[dict[str, Any]]: ...

    def ping(self) -> None: ...


class PdfRenderer(Protocol):
    """A self-contained HTML page printed to PDF (A4), offline."""

    def render(self, html_path: Path, pdf_path: Path) -> None: ...


# -- documents ------------------------------------------------------------------------------------------------------

class PdfPages(Protocol):
    """An opened PDF: its text layer and, for scanned pages, its images (0-based page numbers)."""

    title: str | None

    @property
    def pages(self) -> int: ...

    def text(self, page: int) -> str: ...

    def image_sizes(self, page: int) -> list[tuple[int, int]]:
        """(width, height) of the page's images, without decoding them."""
        ...

    def images(self, page: int) -> list[Image | None]:
        """The page's images, decoded (an image over the pixel budget is refused before decoding)."""
        ...


class OfficeReader(Protocol):
    """DOCX and PDF reading; a file that cannot be read is a DocumentError naming it."""

    def read_docx(self, data: bytes, name: str) -> tuple[list[DocxBlock], str | None]: ...

    def open_pdf(self, data: bytes, name: str) -> PdfPages: ...


class OcrEngine(Protocol):
    """An image in, its text lines out, top to bottom."""

    def recognise(self, image: Image) -> list[OcrLine]: ...


class NearDuplicateIndex(Protocol):
    """Candidate near copies of a sketch among the sketches added (recall first; the caller confirms)."""

    def add(self, key: str, sketch: bytes) -> None: ...

    def candidates(self, sketch: bytes) -> list[str]: ...


class Sketcher(Protocol):
    """Compact sketches of shingle sets and indexes over them (MinHash LSH)."""

    @property
    def params(self) -> dict[str, str]:
        """What makes two sketches comparable (a store refuses sketches made with other parameters)."""
        ...

    def sketch(self, shingles: Iterable[str]) -> bytes: ...

    def index(self) -> NearDuplicateIndex: ...


# -- call audio -----------------------------------------------------------------------------------------------------

if TYPE_CHECKING:
    Samples = npt.NDArray[np.float32]     # mono audio at 16 kHz, float32 in [-1, 1]


class AudioDecoder(Protocol):
    """Reads recordings (WAV, MP3, M4A, AMR …) as 16 kHz float32 channels, in bounded chunks. A file that is not
    audio, is empty, corrupt or in an unsupported format is an AudioError naming it."""

    def probe(self, path: Path) -> AudioInfo: ...

    def chunks(self, path: Path, seconds: float) -> Iterator[npt.NDArray[np.float32]]:
        """(channels, samples) blocks of about ``seconds`` each, resampled to 16 kHz, in order; a file that ends
        early (truncated) simply ends: the caller compares what it got with ``probe``'s duration."""
        ...


class SpeechToText(Protocol):
    """Speech in, recognised segments out (times in seconds from the start of ``audio``, words with times)."""

    @property
    def name(self) -> str:
        """Engine and model (shown in results and benchmarks)."""
        ...

    def transcribe(self, audio: Samples, *, language: str = "zh") -> list[Segment]: ...


class SpeakerEncoder(Protocol):
    """A voice in, a unit-length speaker embedding out (the same voice gives nearby vectors)."""

    @property
    def name(self) -> str: ...

    def embed(self, audio: Samples) -> list[float] | None:
        """None when there is too little voiced audio to say anything about the speaker."""
        ...


class VoiceprintStore(Protocol):
    """Speaker embeddings of caller channels, with the (keyed-hash) borrower they spoke for. Never audio."""

    def add(self, borrower_hash: str, call_hash: str, seen: str, vector: Sequence[float]) -> None: ...

    def since(self, since: str) -> list[tuple[str, str, str, list[float]]]:
        """(borrower_hash, call_hash, seen, vector) of every embedding seen at or after ``since`` (ISO time)."""
        ...

    def delete_borrower(self, borrower_hash: str) -> int: ...

    def delete_before(self, before: str) -> int: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


__all__ = ["AccountStore", "AudioDecoder", "AuditStore", "IdentityProvider", "SpeakerEncoder", "SpeechToText",
           "VoiceprintStore", "CaseStore", "PdfRenderer",
           "AttackCheck", "ChatModel", "EmbeddingCache", "Embedder", "FeedbackStore", "LexicalIndex", "LexicalStore",
           "NearDuplicateIndex", "OcrEngine", "OfficeReader", "PdfPages", "PracticeStore", "RateLimit", "Reranker", "Retriever",
           "ReviewStore", "ScamCheck", "SessionStore",
           "Sketcher", "TokenCounter", "Tokenizer", "VectorIndex", "VectorSearch", "VectorStore", "WatchlistStore"]
