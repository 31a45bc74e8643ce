"""Curated knowledge (data). Shipped as the package assist.data.knowledge; see README.md here."""
