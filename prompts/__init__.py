"""Prompt templates (data). Shipped as the package assist.data.prompts."""
