"""The archive's index as one object: article store + Chroma vectors + lexical index, kept consistent.

Write protocol (see `ArticleStore`), two stages per article: (1) `stored` — text, chunks and lexical
terms in SQLite in one transaction; the article is searchable lexically from that commit on; (2) vectors
into Chroma, then `indexed`. `index()` runs both; `store_articles()` only the first, and
`embed_articles()` / the background embedder (`background_embedding.py`) the second, later. Deletion:
mark `deleting` -> remove vectors -> purge rows. Nothing here needs the original files: `recover()`
finishes a killed deletion, and every `stored` article is simply embedded by the next run.

A vector write that fails part-way (a full disk, most often) leaves the batch `stored`: its vectors are
removed again when Chroma still accepts that, and the next embedding pass replaces them either way
(vectors of an article that is not `indexed` are never used by retrieval). Opening checks that Chroma
holds at least one vector per chunk of an `indexed` article, because a deleted or emptied Chroma
database is otherwise silently recreated empty.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from ingest.models import Chunk, CleanArticle
from vectorstore.dense.chroma_index import ChromaIndex, chroma_location, make_chroma_client
from vectorstore.dense.vector_batch import VectorBatch, compute_vectors
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.embedding.selection import ArchiveEmbeddings, build_embedder
from vectorstore.index_config import IndexConfig
from vectorstore.index_errors import ArchiveIndexError, EmbeddingModelMismatchError, IndexCorruptedError
from vectorstore.lexical.index import LexicalIndex
from vectorstore.store.article_store import ArticleStore

logger = logging.getLogger(__name__)

WAITING_FOR_VECTORS = frozenset({"stored", "pending"})  # `pending`: written by older versions
SPEED_KEY = "embedding_tokens_per_second"  # meta key: measured by the last embedding batches


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

    `check_vectors=False` skips the vector count check, and `switch_model=True` accepts an index whose
    vectors another model made; only `rebuild`, which replaces the vectors, uses them."""

    def __init__(
        self,
        config: IndexConfig,
        embedder: ArchiveEmbeddings | None = None,
        *,
        check_vectors: bool = True,
        switch_model: bool = False,
    ) -> None:
        self.config = config
        self.embedder = embedder or build_embedder(config.embedding)
        self.store = ArticleStore(config.db_dir)
        recorded = self.store.get_meta("embedding_model")
        if recorded and recorded != self.embedder.model_name and not switch_model:
            raise EmbeddingModelMismatchError(recorded, self.embedder.model_name)
        self.previous_model = recorded if recorded and recorded != self.embedder.model_name else None
        if not recorded:
            self.store.set_meta("embedding_model", self.embedder.model_name)
        client = make_chroma_client(config.db_dir, config.chroma_url)
        self.chroma = ChromaIndex(
            client,
            config.collection,
            self.embedder.model_name,
            self.embedder.dimension,
            chroma_location(config.db_dir, config.chroma_url),
            accept_other_model=switch_model,
        )
        self.lexical = LexicalIndex(self.store, config.db_dir / "lexical")
        self.clock = EmbeddingClock()
        self._coverage_lock = threading.Lock()
        self._coverage: tuple[tuple[int, int], frozenset[str]] | None = None
        if check_vectors and self.previous_model is None and self.chroma.other_model is None:
            self._check_vector_count()

    def _check_vector_count(self) -> None:
        """Every chunk of an `indexed` article has a vector, so Chroma can never hold fewer (vectors are
        added before an article becomes `indexed` and removed after it stops being). Fewer means lost
        vectors. `stored` articles have none yet, or some from a killed run: neither counts."""
        embedded = self.store.embedding_progress()["embedded_chunks"]
        vectors = self.chroma.count() if embedded else 0
        if vectors < embedded:
            raise IndexCorruptedError(
                self.chroma.location,
                f"kho vector chỉ còn {vectors} vector cho {embedded} đoạn văn đã lập chỉ mục",
            )

    def close(self) -> None:
        """Release Chroma and the article store (needed before Chroma's folder is moved)."""
        self.chroma.close()
        self.store.close()

    # --- writing -------------------------------------------------------------------------------
    def index(self, prepared: list[PreparedArticle], *, new_version: bool = False) -> int:
        """Both stages: store `prepared` (replacing older versions), then embed them. Returns chunks
        embedded. `new_version`: each becomes a new version even if its hashed content is unchanged
        (see `ArticleStore.write_pending`)."""
        ids = self.store_articles(prepared, new_version=new_version)
        return self.embed_articles(ids)

    def store_articles(self, prepared: list[PreparedArticle], *, new_version: bool = False) -> list[str]:
        """Stage 1: the articles, chunks and lexical terms in one transaction, `stored` (searchable
        lexically from the commit on). Returns their ids."""
        if not prepared:
            return []
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
        return [item.article.article_id for item in prepared]

    def embed_articles(self, article_ids: list[str], batch_chunks: int = 64) -> int:
        """Stage 2 for `article_ids` (those still waiting for vectors), in batches; the caller holds the
        writer lock or owns the index. Returns chunks embedded."""
        embedded = 0
        batch: list[str] = []
        size = 0
        for article_id in article_ids:
            batch.append(article_id)
            size += len(self.store.chunks_of(article_id))
            if size >= batch_chunks:
                embedded += self.write_vectors(self.compute_vectors(batch))
                batch, size = [], 0
        if batch:
            embedded += self.write_vectors(self.compute_vectors(batch))
        return embedded

    def compute_vectors(
        self,
        article_ids: list[str],
        texts_per_call: int | None = None,
        pause_s: float = 0.0,
        embedder: ArchiveEmbeddings | None = None,
    ) -> VectorBatch:
        """The vectors of the articles' stored chunks (no lock needed: nothing is written); `embedder`
        must be the index's model (a background worker's own instance of it)."""
        items = []
        for article_id in article_ids:
            stored = self.store.get_article(article_id)
            if stored is None or stored.status not in WAITING_FOR_VECTORS:
                continue
            chunks = [
                Chunk(c.article_id, c.position, c.text, c.start, c.end, 0)
                for c in self.store.chunks_of(article_id)
            ]
            items.append((stored.as_clean_article(), chunks, stored.version))
        batch = compute_vectors(embedder or self.embedder, items, texts_per_call, pause_s)
        self.clock.seconds += batch.seconds
        self.clock.chunks += len(batch.chunk_ids)
        return batch

    def write_vectors(self, batch: VectorBatch) -> int:
        """Vectors into Chroma, then the articles become `indexed`; the caller holds the writer lock.
        Articles that changed since `batch` was computed (another version, deleted, already indexed)
        are left out. On failure the articles stay `stored`. Returns chunks written."""
        current = {
            article_id
            for article_id, version in batch.versions.items()
            if (stored := self.store.get_article(article_id)) is not None
            and stored.status in WAITING_FOR_VECTORS
            and stored.version == version
        }
        if not current:
            return 0
        keep = [i for i, meta in enumerate(batch.metadatas) if meta["article_id"] in current]
        article_ids = sorted(current)
        try:
            self.chroma.delete_articles(article_ids)  # vectors of an older version or a killed run
            self.chroma.upsert(
                [batch.chunk_ids[i] for i in keep], batch.vectors[keep], [batch.metadatas[i] for i in keep]
            )
            self.store.mark_indexed(article_ids)
        except ArchiveIndexError:
            self._drop_unfinished_vectors(article_ids)
            raise
        self._record_speed(article_ids, batch.seconds * len(keep) / max(len(batch.chunk_ids), 1))
        return len(keep)

    def _record_speed(self, article_ids: list[str], seconds: float) -> None:
        """Model tokens per second, smoothed over batches: what the time-left estimate divides by."""
        tokens = self.store.token_total(article_ids)
        if seconds <= 0 or tokens <= 0:
            return
        measured = tokens / seconds
        previous = float(self.store.get_meta(SPEED_KEY) or 0.0)
        self.store.set_meta(SPEED_KEY, f"{0.7 * previous + 0.3 * measured if previous else measured:.3f}")

    def _drop_unfinished_vectors(self, article_ids: list[str]) -> None:
        """Best effort: a full disk may refuse even the deletion; the next pass then replaces them."""
        try:
            self.chroma.delete_articles(article_ids)
        except ArchiveIndexError as exc:
            logger.warning(
                "Vectors of %d unfinished article(s) left for the next run: %s", len(article_ids), exc
            )

    def delete(self, article_ids: list[str]) -> None:
        if not article_ids:
            return
        self.store.mark_deleting(article_ids)
        self.chroma.delete_articles(article_ids)
        self.store.purge(article_ids)

    def recover(self) -> dict[str, int]:
        """Finish what an interrupted run left: complete `deleting`. Articles waiting for vectors
        (`stored`, or `pending` from an older version) are searchable already; the embedding stage
        fills them in. Returns how many were deleting and how many wait for vectors."""
        deleting = self.store.ids_with_status("deleting")
        if deleting:
            logger.warning("Finishing the removal of %d article(s) left by an interrupted run", len(deleting))
            self.delete(deleting)
        return {"pending": len(self.store.ids_with_status("pending")), "deleting": len(deleting)}

    def rebuild(self) -> int:
        """Re-embed every stored article into a fresh collection (with the configured model, which may
        differ from the one that made the old vectors) and rebuild the lexical index.

        Kill-safe in any order: every article is first marked `stored` (searchable lexically, waiting
        for vectors), then the model is recorded and the collection replaced, so a killed rebuild leaves
        an index the next `rebuild` or `ingest embed` finishes."""
        ids = self.store.ids_with_status("indexed")
        self.store.mark_stored(ids)
        self.store.set_meta("embedding_model", self.embedder.model_name)
        self.chroma.reset()
        self.previous_model = None
        self.lexical.invalidate()
        RestorerFile(self.config.db_dir).retrain(self.store.iter_article_texts())
        waiting = self.store.ids_without_vectors()
        self.embed_articles(waiting)
        return len(waiting)

    # --- reading -------------------------------------------------------------------------------
    def articles_without_vectors(self) -> frozenset[str]:
        """Searchable articles retrieval must score on their lexical signals alone (cached until the
        store's generation or vector generation moves: two tiny queries per question)."""
        key = (self.store.generation(), self.store.vector_generation())
        with self._coverage_lock:
            if self._coverage is None or self._coverage[0] != key:
                self._coverage = (key, frozenset(self.store.ids_without_vectors()))
            return self._coverage[1]

    def consistency(self) -> dict[str, int]:
        """Compare the chunks of `indexed` articles with the vectors in Chroma.

        Vectors of articles waiting for vectors or being deleted (a run that stopped part-way) are
        counted apart as `unfinished_vectors`: the next run completes them. Orphans are vectors no
        stored chunk explains."""
        waiting = [*self.store.ids_without_vectors(), *self.store.ids_with_status("deleting")]
        unfinished = {c.chunk_id for article_id in waiting for c in self.store.chunks_of(article_id)}
        stored = {c.chunk_id for c in self.store.iter_indexed_chunks()} - unfinished
        vectors = self.chroma.all_ids()
        return {
            "store_chunks": len(stored),
            "chroma_chunks": len(vectors),
            "missing_vectors": len(stored - vectors),
            "unfinished_vectors": len(vectors & unfinished),
            "orphan_vectors": len(vectors - stored - unfinished),
        }
