"""Helpers for tests: knowledge files, free ports, an ASGI app served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def doc(id: str, title: str, body: str, kind: str = "guide", audience: str = "agent", tags: str = "[]",
        extra: str = "") -> str:
    """A knowledge Markdown file as text."""
    return f"---\nid: {id}\ntitle: {title}\nkind: {kind}\naudience: {audience}\ntags: {tags}\n{extra}---\n{body}\n"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
