"""`build_assistant(settings)`: the one place that wires the pipeline's parts together.

The layers below receive only their own small configs, mapped from `Settings` (`Settings.index_config`):
the storage layer learns where the index lives and how to embed, never the LLM key or the login file.
"""

from __future__ import annotations

from assistant.answering.llm_answerer import LLMAnswerer
from assistant.archive_assistant import ArchiveAssistant
from assistant.settings import Settings
from vectorstore.archive_index import ArchiveIndex
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.hybrid_retriever import HybridRetriever


def build_retriever(settings: Settings, index: ArchiveIndex) -> HybridRetriever:
    return HybridRetriever(
        index=index,
        restorer=RestorerFile(settings.db_dir, index.store.iter_article_texts),
        k=settings.retrieval_k,
        max_chunks_per_article=settings.max_chunks_per_article,
    )


def build_assistant(settings: Settings, index: ArchiveIndex | None = None) -> ArchiveAssistant:
    """Open the index of `settings` and return an assistant over it."""
    index = index or ArchiveIndex(settings.index_config())
    llm = None
    if settings.llm_mode != "none":
        llm = LLMAnswerer.from_settings(settings, lambda article_id: _article_text(index, article_id))
    return ArchiveAssistant(settings, index, build_retriever(settings, index), llm)


def _article_text(index: ArchiveIndex, article_id: str) -> str:
    article = index.store.get_article(article_id)
    return article.text if article else ""
