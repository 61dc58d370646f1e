"""The archive's index as one object: article store + Chroma vectors + lexical index, kept consistent.

Write protocol (see `ArticleStore`): store `pending` -> vectors into Chroma -> mark `indexed`. Deletion:
mark `deleting` -> remove vectors -> purge rows. `recover()` finishes whatever a killed run left, using
only the stored articles, so it never needs the original files.

A write that fails part-way (a full disk, most often) leaves the batch `pending`: its vectors are removed
again when Chroma still accepts that, and the next run's `recover()` re-embeds it either way. Opening
checks that Chroma holds at least one vector per searchable chunk, because a deleted or emptied Chroma
database is otherwise silently recreated empty.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.chunker import chunk_embedding_text
from ingest.models import Chunk, CleanArticle, date_as_int
from vectorstore.dense.chroma_index import ChromaIndex, chroma_location, make_chroma_client
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.embedding.selection import ArchiveEmbeddings, build_embedder
from vectorstore.index_config import IndexConfig
from vectorstore.index_errors import ArchiveIndexError, EmbeddingModelMismatchError, IndexCorruptedError
from vectorstore.lexical.index import LexicalIndex
from vectorstore.store.article_store import ArticleStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedArticle:
    """An article ready to index: cleaned, chunked, its chunks' lexical terms computed."""

    article: CleanArticle
    chunks: list[Chunk]
    terms: list[str]  # space-joined exact terms per chunk
    simhash: int
    story_id: str
    source: str | None = None  # where this version's text came from (kept in the article's history)


@dataclass
class EmbeddingClock:
    """Time spent inside the embedding model, to separate it from ingestion overhead."""

    seconds: float = 0.0
    chunks: int = 0
    tokens: int = field(default=0)


class ArchiveIndex:
    """Opens (or creates) the index described by `config`; `embedder` replaces the configured one.

    `check_vectors=False` skips the vector count check; only `rebuild`, which replaces the vectors, uses it."""

    def __init__(
        self, config: IndexConfig, embedder: ArchiveEmbeddings | None = None, *, check_vectors: bool = True
    ) -> None:
        self.config = config
        self.embedder = embedder or build_embedder(config.embedding)
        self.store = ArticleStore(config.db_dir)
        recorded = self.store.get_meta("embedding_model")
        if recorded and recorded != self.embedder.model_name:
            raise EmbeddingModelMismatchError(recorded, self.embedder.model_name)
        if not recorded:
            self.store.set_meta("embedding_model", self.embedder.model_name)
        client = make_chroma_client(config.db_dir, config.chroma_url)
        self.chroma = ChromaIndex(
            client,
            config.collection,
            self.embedder.model_name,
            self.embedder.dimension,
            chroma_location(config.db_dir, config.chroma_url),
        )
        self.lexical = LexicalIndex(self.store, config.db_dir / "lexical")
        self.clock = EmbeddingClock()
        if check_vectors:
            self._check_vector_count()

    def _check_vector_count(self) -> None:
        """Every searchable chunk has a vector, so Chroma can never hold fewer (the write protocol adds
        vectors before and removes them after an article is searchable). Fewer means lost vectors."""
        searchable = self.store.counts()["chunks"]
        vectors = self.chroma.count() if searchable else 0
        if vectors < searchable:
            raise IndexCorruptedError(
                self.chroma.location,
                f"kho vector chỉ còn {vectors} vector cho {searchable} đoạn văn đã lập chỉ mục",
            )

    def close(self) -> None:
        """Release Chroma and the article store (needed before Chroma's folder is moved)."""
        self.chroma.close()
        self.store.close()

    # --- writing -------------------------------------------------------------------------------
    def index(self, prepared: list[PreparedArticle], *, new_version: bool = False) -> int:
        """Make `prepared` articles searchable (replacing older versions). Returns chunks embedded.
        `new_version`: each becomes a new version even if its hashed content is unchanged (see
        `ArticleStore.write_pending`)."""
        if not prepared:
            return 0
        with self.store.transaction() as conn:
            for item in prepared:
                self.store.write_pending(
                    conn,
                    item.article,
                    item.chunks,
                    item.terms,
                    item.simhash,
                    item.story_id,
                    source=item.source,
                    new_version=new_version,
                )
        return self._finish([(p.article, p.chunks) for p in prepared])

    def _finish(self, items: list[tuple[CleanArticle, list[Chunk]]]) -> int:
        """Vectors into Chroma, then the articles become searchable. On failure they stay `pending`."""
        article_ids = [article.article_id for article, _ in items]
        try:
            embedded = self._embed_and_store(items)
            self.store.mark_indexed(article_ids)
        except ArchiveIndexError:
            self._drop_unfinished_vectors(article_ids)
            raise
        return embedded

    def _drop_unfinished_vectors(self, article_ids: list[str]) -> None:
        """Best effort: a full disk may refuse even the deletion; `recover()` then replaces them."""
        try:
            self.chroma.delete_articles(article_ids)
        except ArchiveIndexError as exc:
            logger.warning(
                "Vectors of %d unfinished article(s) left for the next run: %s", len(article_ids), exc
            )

    def _embed_and_store(self, items: list[tuple[CleanArticle, list[Chunk]]]) -> int:
        texts: list[str] = []
        ids: list[str] = []
        metadatas: list[dict[str, Any]] = []
        for article, chunks in items:
            for chunk in chunks:
                texts.append(chunk_embedding_text(article.title, chunk))
                ids.append(chunk.chunk_id)
                metadatas.append(
                    {
                        "article_id": article.article_id,
                        "position": chunk.position,
                        "date_int": date_as_int(article.metadata.published_date),
                        "category": article.metadata.category or "",
                        "outlet": article.metadata.outlet or "",
                        "start": chunk.start,
                        "end": chunk.end,
                    }
                )
        started = time.perf_counter()
        vectors = (
            self.embedder.embed_documents_array(texts)
            if texts
            else np.zeros((0, self.embedder.dimension), dtype=np.float32)
        )
        self.clock.seconds += time.perf_counter() - started
        self.clock.chunks += len(texts)
        self.chroma.delete_articles([article.article_id for article, _ in items])
        self.chroma.upsert(ids, vectors, metadatas)
        return len(texts)

    def delete(self, article_ids: list[str]) -> None:
        if not article_ids:
            return
        self.store.mark_deleting(article_ids)
        self.chroma.delete_articles(article_ids)
        self.store.purge(article_ids)

    def recover(self) -> dict[str, int]:
        """Finish what an interrupted run left: re-embed `pending`, complete `deleting`."""
        deleting = self.store.ids_with_status("deleting")
        if deleting:
            logger.warning("Finishing the removal of %d article(s) left by an interrupted run", len(deleting))
            self.delete(deleting)
        pending = self.store.ids_with_status("pending")
        if pending:
            logger.warning("Re-indexing %d article(s) left half-indexed by an interrupted run", len(pending))
            self._reembed(pending)
        return {"pending": len(pending), "deleting": len(deleting)}

    def rebuild(self) -> int:
        """Re-embed every stored article into a fresh collection and rebuild the lexical index."""
        ids = self.store.ids_with_status("indexed") + self.store.ids_with_status("pending")
        self.chroma.reset()
        self._reembed(ids)
        self.lexical.invalidate()
        RestorerFile(self.config.db_dir).retrain(self.store.iter_article_texts())
        return len(ids)

    def _reembed(self, article_ids: list[str], batch: int = 16) -> None:
        for start in range(0, len(article_ids), batch):
            part = article_ids[start : start + batch]
            items = []
            for article_id in part:
                article = self.store.clean_article(article_id)
                if article is None:
                    continue
                chunks = [
                    Chunk(c.article_id, c.position, c.text, c.start, c.end, 0)
                    for c in self.store.chunks_of(article_id)
                ]
                items.append((article, chunks))
            self._finish(items)

    # --- reading -------------------------------------------------------------------------------
    def consistency(self) -> dict[str, int]:
        """Compare the searchable chunks in the store with the vectors in Chroma.

        Vectors of `pending`/`deleting` articles (a run that stopped part-way) are counted apart as
        `unfinished_vectors`: the journal explains them and the next run completes them. Orphans are
        vectors no stored chunk explains."""
        stored = {c.chunk_id for c in self.store.iter_indexed_chunks()}
        unfinished = {
            c.chunk_id
            for status in ("pending", "deleting")
            for article_id in self.store.ids_with_status(status)
            for c in self.store.chunks_of(article_id)
        }
        vectors = self.chroma.all_ids()
        return {
            "store_chunks": len(stored),
            "chroma_chunks": len(vectors),
            "missing_vectors": len(stored - vectors),
            "unfinished_vectors": len(vectors & unfinished),
            "orphan_vectors": len(vectors - stored - unfinished),
        }
