"""Offline retrieval-augmented assistant for Chinese consumer-finance call centres."""

__version__ = "0.1.0"
