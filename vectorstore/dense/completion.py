"""Exact e5 similarity for the articles that approximate dense search left out but that could still win.

The dense signal comes from Chroma's nearest chunks (HNSW, approximate, `dense_candidates` of them).
An article none of whose chunks made that list used to score 0 on dense: a cliff of up to the whole
dense weight. Since HNSW is approximate, which chunks make the list can change between two builds of
the same archive, so the same question over the same articles could rank differently (a seed test,
"khách sạn Ariyana" -> article 002, passed on one build and failed on another).

So, for every article whose lexical score plus the full dense weight could still reach the top `k`,
the similarity is computed exactly from its stored chunk vectors (at most `MAX_COMPLETED_ARTICLES`
articles, strongest lexical evidence first). Scores are scaled with the candidates' own bounds, so the
articles added never shift everyone else's scale. The cap trades latency for coverage: measure both with
`bench/scale.py` (latency at 100k+ chunks) and `bench/retrieval.py` (ViNewsQA misses); the figures
behind the current cap are in the commit messages that set it (`git log -G "MAX_COMPLETED_ARTICLES ="`).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MAX_COMPLETED_ARTICLES = 10  # the latency target at 100k chunks bounds it (bench/scale.py)


def article_dense(snapshot: Any, dense: np.ndarray) -> np.ndarray:
    """Best dense similarity per article; NaN for articles none of whose chunks has a similarity."""
    best = snapshot.per_article_max(np.where(np.isnan(dense), -np.inf, dense))
    return np.where(np.isfinite(best), best, np.nan)


def candidate_bounds(dense: np.ndarray) -> tuple[float, float] | None:
    """Lowest and highest similarity among the dense candidates (None when there are none)."""
    present = dense[~np.isnan(dense)]
    return (float(present.min()), float(present.max())) if present.size else None


def spread_normalised(similarities: np.ndarray, bounds: tuple[float, float] | None) -> np.ndarray:
    """Cosine scores scaled to [0, 1] between the candidates' bounds; NaN (no similarity) scores 0."""
    out = np.zeros_like(similarities)
    present = ~np.isnan(similarities)
    if bounds is None or not present.any():
        return out
    low, high = bounds
    if high > low:
        out[present] = np.clip((similarities[present] - low) / (high - low), 0.0, 1.0)
    else:
        out[present] = (similarities[present] >= high).astype(similarities.dtype)
    return out


def complete_dense(
    *,
    snapshot: Any,
    chroma: Any,
    query_vector: np.ndarray,
    dense: np.ndarray,
    bounds: tuple[float, float] | None,
    lexical: np.ndarray,
    dense_weight: float,
    k: int,
    has_vectors: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`dense` (per chunk, NaN = not a candidate) with exact similarities filled in for the chunks of
    the articles that could still reach the top `k`, and each article's best similarity. `bounds` are
    the candidates' (`candidate_bounds`); `lexical` is the per-article fused lexical score, `-inf` for
    articles a filter excludes. `has_vectors` (per article) leaves out articles whose vectors do not
    exist yet (stored, not embedded): their score is final and Chroma is never asked for them."""
    per_article = article_dense(snapshot, dense)
    if bounds is None or not per_article.size or dense_weight <= 0:
        return dense, per_article
    current = lexical + dense_weight * spread_normalised(per_article, bounds)
    finite = current[np.isfinite(current)]
    # The k-th best score now; an article left out of the candidates can only gain the dense weight.
    kth = 0.0 if finite.size <= k else float(np.partition(finite, finite.size - k)[finite.size - k])
    could_win = np.isnan(per_article) & np.isfinite(lexical) & (lexical > 0) & (lexical + dense_weight > kth)
    if has_vectors is not None:
        could_win &= has_vectors
    rows = np.flatnonzero(could_win)
    if not rows.size:
        return dense, per_article
    rows = rows[np.argsort(-lexical[rows], kind="stable")][:MAX_COMPLETED_ARTICLES]
    chunk_rows = np.concatenate([snapshot.chunk_rows(int(row)) for row in rows])
    ids = [snapshot.chunk_ids[row] for row in chunk_rows]
    vectors = chroma.get_vectors(ids)
    if not vectors:
        return dense, per_article
    found = [
        (row, vectors[chunk_id])
        for row, chunk_id in zip(chunk_rows.tolist(), ids, strict=True)
        if chunk_id in vectors
    ]
    matrix = np.asarray([vector for _, vector in found], dtype=np.float32)
    query = np.asarray(query_vector, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
    completed = dense.copy()
    completed[[row for row, _ in found]] = matrix @ query / np.where(norms > 0, norms, 1.0)
    for row in rows.tolist():  # only the completed articles' best changes: no second pass over all chunks
        values = completed[snapshot.chunk_rows(row)]
        if not np.isnan(values).all():
            per_article[row] = np.nanmax(values)
    logger.debug("Exact dense similarity for %d articles (%d chunks)", rows.size, len(vectors))
    return completed, per_article
