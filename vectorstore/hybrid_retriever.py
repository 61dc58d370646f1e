"""Hybrid retrieval: BM25 (exact + accent-folded) and e5 dense vectors, fused, aggregated to articles.

Questions typed without diacritics are the norm, not the exception: the folded BM25 field matches them
directly, and a diacritic restorer learned from the archive rebuilds the accented query for the exact
field and the dense model (which cannot read unaccented Vietnamese well). Signals are aggregated to
articles (best chunk, or the whole article) and fused as a weighted sum of per-query normalised scores;
the weights live in `FusionWeights` and were tuned on ViNewsQA dev with `bench/fusion_study.py`.

An article stored but not embedded yet (lexical-first ingestion, `archive_index.py`) has no dense signal.
Scoring it 0 there would sink it below every embedded article, so its lexical signals are renormalised
to the whole weight instead (`FusionWeights.lexical_only_scale`): the weights keep their proportions and
a perfect lexical match scores what a perfect match on every signal would. While no article has vectors
the query is not embedded at all, and dense completion never asks Chroma for vectors that do not exist.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ingest.models import date_as_int
from ingest.vietnamese_text import has_diacritics, normalize_text, word_tokens
from vectorstore.archive_index import ArchiveIndex
from vectorstore.dense.completion import candidate_bounds, complete_dense, spread_normalised
from vectorstore.diacritics.restorer_protocol import Restorer
from vectorstore.lexical.terms import exact_terms, folded_terms, syllable_bigrams

logger = logging.getLogger(__name__)

# A query with at least this share of accented syllables was typed with diacritics (Vietnamese text has
# about two in three; a query typed without them has none).
ACCENTED_SHARE = 0.3


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the article-level signals; tuned on ViNewsQA dev by `bench/fusion_study.py`."""

    chunk_exact: float = 0.1  # BM25 of the article's best chunk, diacritics as restored
    chunk_folded: float = 0.05  # the same, accent-folded, query as typed
    article_exact: float = 0.1  # BM25 of the whole article
    article_bigrams: float = 0.3  # BM25 of the whole article's folded syllable bigrams
    dense: float = 0.3  # e5 similarity of the article's best chunk
    dense_candidates: int = 300

    @property
    def lexical_only_scale(self) -> float:
        """Factor on the lexical sum of an article without vectors: the lexical weights renormalised so
        they add up to all the weights (dense included). Chosen over refitting lexical-only weights on
        ViNewsQA dev: it needs no second set of weights to keep tuned (bench/lexical_first.py measures it)."""
        lexical = self.chunk_exact + self.chunk_folded + self.article_exact + self.article_bigrams
        return (lexical + self.dense) / lexical if lexical > 0 else 1.0


@dataclass(frozen=True)
class RetrievalFilters:
    date_from: date | None = None
    date_to: date | None = None
    category: str | None = None
    outlet: str | None = None

    @property
    def active(self) -> bool:
        return any((self.date_from, self.date_to, self.category, self.outlet))


@dataclass
class ScoredChunk:
    chunk_id: str
    article_id: str
    score: float
    lexical: float = 0.0
    dense: float = 0.0


@dataclass
class RetrievalResult:
    """Chunks grouped by article, best article first, plus what the query became."""

    query: str
    restored_query: str
    chunks: list[ScoredChunk] = field(default_factory=list)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over an `ArchiveIndex`. `invoke(question)` returns `Document`s."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Any
    restorer: Restorer | None = None
    weights: FusionWeights = FusionWeights()
    k: int = 5
    max_chunks_per_article: int = 2
    filters: RetrievalFilters = RetrievalFilters()
    # The last query vectors: a question naming a period searches twice with the same text.
    _query_vectors: OrderedDict[str, np.ndarray] = PrivateAttr(default_factory=OrderedDict)
    _vectors_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    # Which article rows have vectors, for the last (snapshot generation, articles without vectors).
    _coverage: tuple[int, frozenset[str], np.ndarray] | None = PrivateAttr(default=None)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.to_documents(self.search(query, self.filters, self.k))

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for: the lexical arrays, the embedding
        model and the diacritic model (an unaccented query is restored). Seconds at 100k chunks."""
        self.search("khoi dong")

    # --- the search ----------------------------------------------------------------------------
    def search(
        self, query: str, filters: RetrievalFilters | None = None, k: int | None = None
    ) -> RetrievalResult:
        index: ArchiveIndex = self.index
        filters = filters or RetrievalFilters()
        k = k or self.k
        query = normalize_text(query)
        restored = self.restore(query)
        snapshot = index.lexical.snapshot()
        result = RetrievalResult(query=query, restored_query=restored)
        if not snapshot.chunk_ids or not word_tokens(query):
            return result
        mask = self._mask(snapshot, filters)
        if mask is not None and not mask.any():
            return result  # a filter that matches nothing returns nothing, never everything

        restored_terms = exact_terms(restored)
        folded_query = folded_terms(exact_terms(query))
        chunk_exact = snapshot.exact.scores(restored_terms)
        chunk_folded = snapshot.folded.scores(folded_query)
        bigrams = syllable_bigrams(folded_terms(restored_terms)) + syllable_bigrams(folded_query)
        w = self.weights
        # Fusion happens per article (the unit users cite): each signal is the article's best chunk or
        # the whole article, scaled to [0, 1] over the articles, then weighted.
        lexical = (
            w.chunk_exact * _max_normalised(snapshot.per_article_max(chunk_exact))
            + w.chunk_folded * _max_normalised(snapshot.per_article_max(chunk_folded))
            + w.article_exact * _max_normalised(snapshot.article_exact.scores(restored_terms))
            + w.article_bigrams * _max_normalised(snapshot.article_bigrams.scores(bigrams))
        )
        if mask is not None:
            lexical = np.where(snapshot.per_article_max(mask.astype(np.float32)) > 0, lexical, -np.inf)
        without_vectors = index.articles_without_vectors()
        has_vectors = self._has_vectors(snapshot, without_vectors)
        lexical = np.where(has_vectors, lexical, lexical * w.lexical_only_scale)
        dense = np.full(len(snapshot.chunk_ids), np.nan, dtype=np.float32)
        best = np.full(len(has_vectors), np.nan, dtype=np.float32)
        bounds = None
        if has_vectors.any() and w.dense > 0:  # else nothing to compare the query with: not embedded
            vector, dense = self._dense(restored, snapshot.row_of, dense, filters, without_vectors)
            bounds = candidate_bounds(dense)
            dense, best = complete_dense(
                snapshot=snapshot,
                chroma=index.chroma,
                query_vector=vector,
                dense=dense,
                bounds=bounds,
                lexical=lexical,
                dense_weight=w.dense,
                k=max(k, 10),
                has_vectors=has_vectors,
            )
        fused = lexical + w.dense * spread_normalised(best, bounds)
        # Within an article, passages are ordered by their own evidence.
        chunk_score = (
            _max_normalised(chunk_exact) + _max_normalised(chunk_folded) + spread_normalised(dense, bounds)
        )
        result.chunks = self._by_article(snapshot, fused, chunk_score, chunk_exact + chunk_folded, dense, k)
        return result

    def restore(self, query: str) -> str:
        """The query with diacritics restored where they were missing. A query typed with diacritics is
        left alone: many Vietnamese syllables carry none ("bao nhiêu", "tham gia"), and restoring them
        turned "bao nhiêu" into "bảo nhiêu" and "tham gia" into "tham giá"."""
        if self.restorer is None:
            return query
        words = [t for t in word_tokens(query) if t.isalpha()]
        if words and sum(has_diacritics(t) for t in words) >= ACCENTED_SHARE * len(words):
            return query
        return self.restorer.restore(query)

    def _dense(
        self,
        query: str,
        row_of: dict[str, int],
        scores: np.ndarray,
        filters: RetrievalFilters,
        without_vectors: frozenset[str],
    ) -> tuple[np.ndarray, np.ndarray]:
        """The query vector and each chunk's similarity in `scores` (NaN where not among Chroma's
        candidates). Vectors of articles not `indexed` (an older version's, a killed run's) are ignored."""
        index: ArchiveIndex = self.index
        vector = self._query_vector(query)
        for hit in index.chroma.search(vector, self.weights.dense_candidates, _chroma_where(filters)):
            row = row_of.get(hit.chunk_id)
            if row is not None and hit.article_id not in without_vectors:
                scores[row] = hit.similarity
        return vector, scores

    def _has_vectors(self, snapshot: Any, without_vectors: frozenset[str]) -> np.ndarray:
        """Per article row (as in the snapshot's article-level fields): whether it has vectors."""
        rows = len(snapshot.article_of_row)
        if not without_vectors:
            return np.ones(rows, dtype=bool)
        cached = self._coverage
        if cached is not None and cached[0] == snapshot.generation and cached[1] is without_vectors:
            return cached[2]
        has = ~np.isin(snapshot.article_of_row, list(without_vectors))
        self._coverage = (snapshot.generation, without_vectors, has)
        return has

    def _mask(self, snapshot: Any, filters: RetrievalFilters) -> np.ndarray | None:
        if not filters.active:
            return None
        mask = np.ones(len(snapshot.chunk_ids), dtype=bool)
        if filters.date_from:
            mask &= snapshot.date_ints >= date_as_int(filters.date_from)
        if filters.date_to:
            mask &= (snapshot.date_ints <= date_as_int(filters.date_to)) & (snapshot.date_ints > 0)
        if filters.category or filters.outlet:
            allowed = self.index.store.ids_matching(filters.category, filters.outlet)
            mask &= np.isin(snapshot.article_ids, list(allowed))
        return mask

    def _by_article(
        self,
        snapshot: Any,
        fused: np.ndarray,
        chunk_score: np.ndarray,
        lexical: np.ndarray,
        dense: np.ndarray,
        k: int,
    ) -> list[ScoredChunk]:
        """The best `k` articles with evidence, each with its best `max_chunks_per_article` chunks."""
        candidates = np.flatnonzero(np.isfinite(fused) & (fused > 0))
        if candidates.size == 0:
            return []
        best = candidates[np.argsort(-fused[candidates], kind="stable")][:k]
        wanted = {str(snapshot.article_of_row[row]): (float(fused[row]), int(row)) for row in best}
        chunks = []
        for article_id, (score, article_row) in wanted.items():
            own = snapshot.chunk_rows(article_row)
            rows = sorted(own.tolist(), key=lambda r: -chunk_score[r])[: self.max_chunks_per_article]
            chunks += [
                ScoredChunk(
                    snapshot.chunk_ids[row],
                    article_id,
                    score,
                    float(lexical[row]),
                    float(np.nan_to_num(dense[row])),
                )
                for row in rows
            ]
        return chunks

    def _query_vector(self, query: str, keep: int = 32) -> np.ndarray:
        with self._vectors_lock:
            cached = self._query_vectors.get(query)
            if cached is not None:
                self._query_vectors.move_to_end(query)
                return cached
        index: ArchiveIndex = self.index
        vector = index.embedder.embed_query_array(query)
        with self._vectors_lock:
            self._query_vectors[query] = vector
            while len(self._query_vectors) > keep:
                self._query_vectors.popitem(last=False)
        return vector

    def article_frequencies(self, terms: list[str]) -> tuple[dict[str, int], int]:
        """How many articles hold each (accented, lower-cased) term, and how many articles there are:
        what the answerer needs to weigh a question's words by rarity."""
        index: ArchiveIndex = self.index
        field = index.lexical.snapshot().article_exact
        pointers = field.matrix.indptr
        frequencies = {}
        for term in terms:
            column = field.vocabulary.get(term.lower())
            frequencies[term] = int(pointers[column + 1] - pointers[column]) if column is not None else 0
        return frequencies, int(field.matrix.shape[0])

    def to_documents(self, result: RetrievalResult) -> list[Document]:
        index: ArchiveIndex = self.index
        metadata = index.store.articles_metadata(c.article_id for c in result.chunks)
        documents = []
        for chunk in result.chunks:
            stored = index.store.chunk(chunk.chunk_id)
            article = metadata.get(chunk.article_id, {})
            if stored is None:
                continue
            documents.append(
                Document(
                    page_content=stored.text,
                    metadata={
                        "chunk_id": chunk.chunk_id,
                        "article_id": chunk.article_id,
                        "title": article.get("title", ""),
                        "published_date": article.get("published_date"),
                        "url": article.get("url"),
                        "author": article.get("author"),
                        "outlet": article.get("outlet"),
                        "category": article.get("category"),
                        "start": stored.start,
                        "end": stored.end,
                        "score": chunk.score,
                        "lexical_score": chunk.lexical,
                        "dense_similarity": chunk.dense,  # 0.0 without a vector (see `_by_article`)
                    },
                )
            )
        return documents


def _max_normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def _chroma_where(filters: RetrievalFilters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.date_from:
        clauses.append({"date_int": {"$gte": date_as_int(filters.date_from)}})
    if filters.date_to:
        clauses.append({"date_int": {"$lte": date_as_int(filters.date_to)}})
        clauses.append({"date_int": {"$gt": 0}})
    if filters.category:
        clauses.append({"category": filters.category})
    if filters.outlet:
        clauses.append({"outlet": filters.outlet})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
