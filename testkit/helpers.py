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
def serve(app: object, timeout: float = 60.0, port: int | None = None) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 in a thread; yields its base URL, stops it afterwards."""
    import uvicorn

    port = port or free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",  # type: ignore[arg-type]
                                        proxy_headers=False))   # as `assist serve` runs it
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


@contextlib.contextmanager
def assist_server(data_dir: Path, log_path: Path, temp_dir: Path, env: dict[str, str] | None = None,
                  timeout: float = 180.0) -> Iterator[tuple[str, int]]:
    """`assist serve` as its own process on 127.0.0.1 (its stdout and stderr in ``log_path``, its temporary files in
    ``temp_dir``); yields (base URL, pid) once /healthz answers, stops it afterwards."""
    import os
    import subprocess
    import sys
    import urllib.request

    exe = Path(sys.executable).with_name("assist")
    port = free_port()
    temp_dir.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "ASSIST_DATA_DIR": str(data_dir), "TMPDIR": str(temp_dir), "HF_HUB_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    full_env.pop("GRADIO_TEMP_DIR", None)          # the server's own: data_dir/gradio-tmp
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=full_env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"assist serve exited: {log_path.read_text(encoding='utf-8')[-3000:]}") from None
                if time.time() > deadline:
                    raise RuntimeError(f"assist serve did not answer within {timeout} s") from None
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def chroma_server(path: Path, timeout: float = 60.0) -> Iterator[str]:
    """A Chroma server (the `chroma` CLI installed beside this Python) on 127.0.0.1 with its data in ``path``; yields
    its URL once its heartbeat answers, stops it afterwards."""
    import subprocess
    import sys
    import urllib.request

    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        raise RuntimeError(f"chroma CLI not found beside {sys.executable}; install the project")
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(path / "server.log", "a") as log:
        proc = subprocess.Popen([str(exe), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"chroma server exited: {(path / 'server.log').read_text()[-2000:]}") from None
                if time.time() > deadline:
                    raise RuntimeError(f"chroma server did not answer within {timeout} s") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
