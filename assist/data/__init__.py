"""Packaged data: knowledge/ and prompts/ are mapped here by pyproject.toml."""
