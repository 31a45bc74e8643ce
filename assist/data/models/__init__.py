"""Shipped model artefacts (trained files, loaded by assist.bootstrap)."""
