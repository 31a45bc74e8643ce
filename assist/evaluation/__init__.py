"""Evaluation harness (datasets live in eval/; code lives here so `assist eval` works after install)."""
