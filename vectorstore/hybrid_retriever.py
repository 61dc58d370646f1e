"""Hybrid retrieval: BM25 (exact + accent-folded) and e5 dense vectors, fused, aggregated to articles.

Questions typed without diacritics are the norm, not the exception: the folded BM25 field matches them
directly, and a diacritic restorer learned from the archive rebuilds the accented query for the exact
field and the dense model (which cannot read unaccented Vietnamese well). Scores are fused as a weighted
sum of per-query max-normalised scores; the weights live in `FusionWeights` and were tuned on dev data
with `bench/retrieval.py` (see README), not guessed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest.models import date_as_int
from ingest.vietnamese_text import has_diacritics, normalize_text, word_tokens
from vectorstore.archive_index import ArchiveIndex
from vectorstore.diacritic_restorer import DiacriticRestorer
from vectorstore.lexical_terms import exact_terms, folded_terms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the three signals; tuned by `bench/retrieval.py --tune`."""

    exact: float = 0.1
    folded: float = 0.2
    dense: float = 0.3
    article: float = 0.4  # BM25 of the whole article (exact terms), shared by its chunks
    dense_candidates: int = 300
    second_chunk_bonus: float = 0.05


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
    term_coverage: float = 0.0  # share of the query's content syllables found in the top article


class HybridRetriever(BaseRetriever):
    """LangChain retriever over an `ArchiveIndex`. `invoke(question)` returns `Document`s."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Any
    restorer: Any = None
    weights: FusionWeights = FusionWeights()
    k: int = 5
    max_chunks_per_article: int = 2
    filters: RetrievalFilters = RetrievalFilters()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.to_documents(self.search(query, self.filters, self.k))

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
        exact_scores = snapshot.exact.scores(restored_terms)
        article_scores = _max_normalised(snapshot.article_exact.scores(restored_terms))[snapshot.article_row]
        folded_scores = snapshot.folded.scores(folded_terms(exact_terms(query)))
        dense_scores = self._dense(restored, snapshot.row_of, len(snapshot.chunk_ids), filters)
        w = self.weights
        combined = (
            w.exact * _max_normalised(exact_scores)
            + w.folded * _max_normalised(folded_scores)
            + w.dense * _spread_normalised(dense_scores)
            + w.article * article_scores
        )
        if mask is not None:
            combined = np.where(mask, combined, -np.inf)
        result.chunks = self._by_article(snapshot, combined, exact_scores + folded_scores, dense_scores, k)
        result.term_coverage = self._coverage(query, result)
        return result

    def restore(self, query: str) -> str:
        """The query with diacritics restored where they were missing (unchanged if fully accented)."""
        if self.restorer is None:
            return query
        tokens = word_tokens(query)
        if tokens and all(has_diacritics(t) or not t.isalpha() for t in tokens):
            return query
        restorer: DiacriticRestorer = self.restorer
        return restorer.restore(query)

    def _dense(
        self, query: str, row_of: dict[str, int], n_rows: int, filters: RetrievalFilters
    ) -> np.ndarray:
        index: ArchiveIndex = self.index
        scores = np.full(n_rows, np.nan, dtype=np.float32)
        vector = np.asarray(index.embedder.embed_query(query), dtype=np.float32)
        for hit in index.chroma.search(vector, self.weights.dense_candidates, _chroma_where(filters)):
            row = row_of.get(hit.chunk_id)
            if row is not None:  # vectors of half-indexed articles are not searchable
                scores[row] = hit.similarity
        return scores

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
        self, snapshot: Any, combined: np.ndarray, lexical: np.ndarray, dense: np.ndarray, k: int
    ) -> list[ScoredChunk]:
        """Best `k` articles by their best chunk (small bonus for a strong second chunk)."""
        candidates = np.flatnonzero(np.isfinite(combined) & (combined > 0))
        if candidates.size == 0:
            return []
        order = candidates[np.argsort(-combined[candidates], kind="stable")][: 50 * k]
        per_article: dict[str, list[int]] = {}
        for row in order:
            rows = per_article.setdefault(str(snapshot.article_ids[row]), [])
            if len(rows) < self.max_chunks_per_article:
                rows.append(int(row))
        bonus = self.weights.second_chunk_bonus

        def article_score(rows: list[int]) -> float:
            return float(combined[rows[0]] + (bonus * combined[rows[1]] if len(rows) > 1 else 0.0))

        best = sorted(per_article.items(), key=lambda item: -article_score(item[1]))[:k]
        return [
            ScoredChunk(
                snapshot.chunk_ids[row],
                article_id,
                article_score(rows) if i == 0 else float(combined[row]),
                float(lexical[row]),
                float(np.nan_to_num(dense[row])),
            )
            for article_id, rows in best
            for i, row in enumerate(rows)
        ]

    def _coverage(self, query: str, result: RetrievalResult) -> float:
        """Share of the (restored) question's topical syllables that occur in the best article.

        Compared with diacritics: folded forms collide ("giá" price, "gia" in "quốc gia")."""
        if not result.chunks:
            return 0.0
        from assistant.question_analysis import analyse_question

        index: ArchiveIndex = self.index
        article = index.store.get_article(result.chunks[0].article_id) or {}
        haystack = set(word_tokens(f"{article.get('title', '')}\n{article.get('text', '')}"))
        wanted = analyse_question(result.restored_query).content_terms
        return sum(t in haystack for t in wanted) / len(wanted) if wanted else 0.0

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
                        "dense_similarity": chunk.dense,
                    },
                )
            )
        return documents


def _max_normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def _spread_normalised(similarities: np.ndarray) -> np.ndarray:
    """Dense cosine scores squeezed to [0, 1] over the candidates; non-candidates score 0."""
    present = ~np.isnan(similarities)
    if not present.any():
        return np.zeros_like(similarities)
    values = similarities[present]
    low, high = float(values.min()), float(values.max())
    out = np.zeros_like(similarities)
    out[present] = (values - low) / (high - low) if high > low else 1.0
    return out


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
