"""Test and benchmark support, not shipped in the wheel: generated corpora (review letters, PII cases), fakes for the
ports, and small helpers for writing knowledge files and serving apps."""
