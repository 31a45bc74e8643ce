"""Gradio consoles for staff (the sidebar), trainers (evaluation, practice, document review): classes that receive
their services and build their Blocks; mounted in the web app.

File access (gradio 6.31): a function's file inputs must be files a client uploaded. Gradio checks that
(``processing_utils._check_allowed``) only for a Blocks that has been ``launch()``-ed; one mounted in FastAPI with
``mount_gradio_app`` skips the check, and then any server path a client names reaches the function. ``mount`` below
marks the mounted Blocks as launched so that Gradio's own check runs (inputs: only the upload folder; outputs: the
upload folder, ``allowed_paths``, the working and temp directories), and ``Uploads`` checks again in our handlers and
deletes each upload once it has been read, so no raw document stays on disk."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from assist.errors import AssistError, DocumentError, DocumentOverBudget

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI

F = TypeVar("F", bound=Callable[..., Any])


def prepare_gradio(temp_dir: Path) -> None:
    """Gradio reads these when it is first imported: no analytics calls, and uploads kept under ``temp_dir``."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("GRADIO_TEMP_DIR", str(temp_dir))


@dataclass(frozen=True)
class GradioLimits:
    """Upload budgets of the consoles (DocumentSettings.max_upload_mb, upload_retention_minutes)."""

    max_file_bytes: int
    retention_s: int


class Uploads:
    """The files a console function was handed: accepted only from Gradio's upload folder, deleted after use."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()

    @classmethod
    def gradio(cls) -> Uploads:
        """Gradio's own upload folder (GRADIO_TEMP_DIR, see ``prepare_gradio``)."""
        from gradio.utils import get_upload_folder

        return cls(Path(get_upload_folder()))

    def take(self, path: str | Path, max_bytes: int | None = None) -> Path:
        """``path`` when it is a file uploaded to this server (and not over ``max_bytes``), else DocumentError:
        nothing outside the upload folder is read, and the message does not say whether such a file exists."""
        p = Path(path)
        try:
            real = p.resolve(strict=True)
        except (OSError, RuntimeError):
            raise DocumentError("只能处理本次上传的文件", path="upload") from None
        if not real.is_relative_to(self.folder) or not real.is_file():
            raise DocumentError("只能处理本次上传的文件", path="upload")
        size = real.stat().st_size
        if max_bytes is not None and size > max_bytes:
            self.discard(real)
            raise DocumentOverBudget(f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit",
                                     limit="documents.max_upload_mb", path="upload")
        return real

    def discard(self, path: Path) -> None:
        """Delete an upload (and the per-upload folder Gradio made for it, when now empty)."""
        path.unlink(missing_ok=True)
        parent = path.parent
        try:
            if parent != self.folder and parent.is_relative_to(self.folder) and not any(parent.iterdir()):
                parent.rmdir()
        except OSError:
            pass            # another upload landed in the same folder meanwhile: it goes when that one is used


class UploadSweeper:
    """Deletes what Gradio leaves in its upload folder: partial uploads of aborted requests (a body refused half-way
    stays there as a ``tmp…`` file in the folder's root; a successful one can leave an empty one), and anything older
    than ``retention_s`` that no function consumed. ``soon()`` schedules a sweep (at most one pending) and the sweeps
    go on, spaced out, while files remain; nothing runs while the folder is empty."""

    ORPHAN_S = 60.0          # a file in the root not written to for this long is no upload in progress

    def __init__(self, folder: Path, retention_s: float, clock: Callable[[], float] = time.time) -> None:
        self.folder = Path(folder)
        self.retention_s = retention_s
        self._clock = clock
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def sweep(self) -> int:
        """Delete orphans and expired uploads now; returns how many files went."""
        now, gone = self._clock(), 0
        if not self.folder.is_dir():
            return 0
        for root, _, files in os.walk(self.folder, topdown=False):
            here = Path(root)
            deleted = False
            for name in files:
                p = here / name
                try:
                    age = now - p.stat().st_mtime
                    if age > self.retention_s or (here == self.folder and age > self.ORPHAN_S):
                        p.unlink()
                        gone += 1
                        deleted = True
                except OSError:
                    continue
            if deleted and here != self.folder:
                try:
                    here.rmdir()           # the per-upload folder, once empty
                except OSError:
                    pass
        return gone

    def _remaining(self) -> bool:
        return self.folder.is_dir() and any(p.is_file() for p in self.folder.rglob("*"))

    def _run(self) -> None:
        with self._lock:
            self._timer = None
        self.sweep()
        if self._remaining():
            self.soon(min(self.retention_s, 300.0))

    def soon(self, delay: float | None = None) -> None:
        """Sweep in ``delay`` seconds (default: just past the orphan age), unless a sweep is already pending."""
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(self.ORPHAN_S + 5 if delay is None else delay, self._run)
            self._timer.daemon = True
            self._timer.start()


def friendly(fn: F) -> F:
    """A console handler whose refusals (AssistError) reach the user as a Gradio message, not a stack trace."""
    import gradio as gr

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssistError as exc:
            raise gr.Error(exc.message) from exc

    return wrapper  # type: ignore[return-value]


def mount(app: FastAPI, blocks: gr.Blocks, path: str, limits: GradioLimits, *, css: str | None = None,
          allowed_paths: Sequence[Path] = ()) -> FastAPI:
    """Mount ``blocks`` in ``app`` with the upload budget and Gradio's file-access check switched on (see above)."""
    import gradio as gr

    gr.mount_gradio_app(app, blocks, path=path, css=css, max_file_size=limits.max_file_bytes,
                        allowed_paths=[str(Path(p).resolve()) for p in allowed_paths])
    blocks.has_launched = True
    return app
