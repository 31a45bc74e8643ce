"""Offline retrieval-augmented assistant for Chinese consumer-finance call centres (docs/architecture.md)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("assist")        # pyproject.toml is the one place the version is written
except PackageNotFoundError:               # pragma: no cover - running from a tree that was never installed
    __version__ = "0+unknown"
