"""LangChain views of our ports: an ``Embeddings`` over any Embedder and a ``BaseRetriever`` over the hybrid retriever."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assist.knowledge.types import Filter
from assist.ports import Embedder


class LangChainEmbeddings(Embeddings):
    """Use any of our embedders where LangChain expects ``Embeddings`` (keeps e5 query/passage prefixes)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


class KnowledgeRetriever(BaseRetriever):
    """Hybrid retrieval as a LangChain retriever; each Document carries its citation in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 5
    audience: str | None = None
    kinds: tuple[str, ...] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        where = Filter.for_audience(self.audience, self.kinds)
        hits = self.retriever.search(query, k=self.k, where=where)
        return [LCDocument(page_content=h.chunk.text, id=h.chunk.id,
                           metadata={**h.chunk.to_meta(), "score": h.score, "relevance": h.relevance}) for h in hits]
