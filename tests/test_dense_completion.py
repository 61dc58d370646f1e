"""Dense completion on a hand-built snapshot: which articles left out of the approximate dense candidates
get their exact similarity, what that similarity is, and what stays untouched.

Before these tests only the real-model seed tests reached `complete_dense`, and it changed in four of
five commits. Each expectation here is worked out by hand from the vectors (`at_cosine`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.fake_index import QUERY, FakeChroma, FakeChunk, at_cosine, build_snapshot
from vectorstore.dense.completion import (
    MAX_COMPLETED_ARTICLES,
    article_dense,
    candidate_bounds,
    complete_dense,
    spread_normalised,
)
from vectorstore.lexical.index import LexicalSnapshot

DENSE_WEIGHT = 0.3


def chunk(article_id: str, position: int, similarity: float, length: float = 1.0) -> FakeChunk:
    return FakeChunk(article_id, position, f"bài {article_id} đoạn {position}", at_cosine(similarity, length))


# Two dense candidates (what HNSW returned) set the bounds 0.1 .. 0.9. "ngoai" has two chunks, neither a
# candidate, stored at other lengths than 1 (the cosine must not depend on it); "vang" and "loc" are
# left out too. Rows are interleaved so an article's chunks are not adjacent.
CHUNKS = [
    chunk("cao", 0, 0.9),
    chunk("ngoai", 0, 0.3, length=2.0),
    chunk("thap", 0, 0.1),
    chunk("vang", 0, 0.95),
    chunk("ngoai", 1, 0.7, length=0.5),
    chunk("loc", 0, 0.99),
]
CANDIDATES = ["cao#0", "thap#0"]


def article_row(snapshot: LexicalSnapshot, article_id: str) -> int:
    return list(snapshot.article_of_row).index(article_id)


def lexical_of(snapshot: LexicalSnapshot, scores: dict[str, float]) -> np.ndarray:
    lexical = np.zeros(len(snapshot.article_of_row), dtype=np.float32)
    for article_id, score in scores.items():
        lexical[article_row(snapshot, article_id)] = score
    return lexical


def run(
    chunks: list[FakeChunk],
    candidates: list[str],
    lexical_scores: dict[str, float],
    k: int = 5,
    missing: frozenset[str] = frozenset(),
) -> tuple[LexicalSnapshot, FakeChroma, np.ndarray, np.ndarray, np.ndarray]:
    snapshot = build_snapshot(chunks)
    chroma = FakeChroma(chunks, candidates, missing=missing)
    dense = candidate_dense(snapshot, chunks, candidates)
    before = dense.copy()
    completed, best = complete_dense(
        snapshot=snapshot,
        chroma=chroma,
        query_vector=np.asarray(QUERY, dtype=np.float32),
        dense=dense,
        bounds=candidate_bounds(dense),
        lexical=lexical_of(snapshot, lexical_scores),
        dense_weight=DENSE_WEIGHT,
        k=k,
    )
    np.testing.assert_array_equal(dense, before)  # the caller's array is never changed
    return snapshot, chroma, dense, completed, best


def candidate_dense(snapshot: LexicalSnapshot, chunks: list[FakeChunk], candidates: list[str]) -> np.ndarray:
    """Per-chunk similarity as the retriever has it: exact for the candidates, NaN for the rest."""
    dense = np.full(len(snapshot.chunk_ids), np.nan, dtype=np.float32)
    for c in chunks:
        if c.chunk_id in candidates:
            dense[snapshot.chunk_ids.index(c.chunk_id)] = c.vector[0] / math.hypot(*c.vector)
    return dense


def test_an_article_left_out_of_the_candidates_gets_its_exact_best_cosine() -> None:
    snapshot, chroma, _, completed, best = run(CHUNKS, CANDIDATES, {"ngoai": 0.5, "cao": 0.2})
    ngoai = article_row(snapshot, "ngoai")
    assert best[ngoai] == pytest.approx(0.7, abs=1e-5)  # the better of its two chunks, lengths ignored
    rows = [snapshot.chunk_ids.index("ngoai#0"), snapshot.chunk_ids.index("ngoai#1")]
    assert completed[rows] == pytest.approx([0.3, 0.7], abs=1e-5)
    # the candidates keep what dense search gave them
    assert best[article_row(snapshot, "cao")] == pytest.approx(0.9, abs=1e-5)
    assert best[article_row(snapshot, "thap")] == pytest.approx(0.1, abs=1e-5)
    assert chroma.vector_requests == [["ngoai#0", "ngoai#1"]]


def test_articles_without_words_of_the_question_or_excluded_by_a_filter_stay_without_similarity() -> None:
    # "vang" has no lexical evidence, "loc" is excluded by a filter (-inf): however close their vectors
    # are, they are never completed and their vectors are never fetched.
    snapshot, chroma, _, completed, best = run(CHUNKS, CANDIDATES, {"ngoai": 0.5, "loc": -np.inf})
    for article_id in ("vang", "loc"):
        assert np.isnan(best[article_row(snapshot, article_id)])
        assert np.isnan(completed[snapshot.chunk_ids.index(f"{article_id}#0")])
    assert all("vang#0" not in ids and "loc#0" not in ids for ids in chroma.vector_requests)


def test_only_articles_that_could_still_reach_the_top_k_are_completed() -> None:
    # k = 1: "cao" holds the top with 0.5 + 0.3 * 1 = 0.8. "ngoai" (0.6 + 0.3 = 0.9) could pass it,
    # "vang" (0.4 + 0.3 = 0.7) could not, even with the full dense weight.
    snapshot, chroma, _, _, best = run(CHUNKS, CANDIDATES, {"cao": 0.5, "ngoai": 0.6, "vang": 0.4}, k=1)
    assert best[article_row(snapshot, "ngoai")] == pytest.approx(0.7, abs=1e-5)
    assert np.isnan(best[article_row(snapshot, "vang")])
    assert chroma.vector_requests == [["ngoai#0", "ngoai#1"]]


@pytest.mark.parametrize(("k", "completed"), [(1, set()), (2, {"ngoai"}), (5, {"ngoai", "vang"})])
def test_the_bar_is_the_kth_best_score(k: int, completed: set[str]) -> None:
    # Scores now: cao 0.5 + 0.3 = 0.8, thap 0.45 + 0 (at the low bound), loc 0. With the full dense
    # weight ngoai could reach 0.2 + 0.3 = 0.5 and vang 0.1 + 0.3 = 0.4: above the 2nd best (0.45) only
    # ngoai, above the 5th best (0) both, above the best (0.8) neither.
    lexical = {"cao": 0.5, "thap": 0.45, "ngoai": 0.2, "vang": 0.1}
    snapshot, _, _, _, best = run(CHUNKS, CANDIDATES, lexical, k=k)
    assert {a for a in ("ngoai", "vang") if not np.isnan(best[article_row(snapshot, a)])} == completed


def test_at_most_the_cap_of_articles_are_completed_strongest_lexical_first() -> None:
    outside = [chunk(f"ngoai{n:02d}", 0, 0.5) for n in range(MAX_COMPLETED_ARTICLES + 2)]
    chunks = [chunk("cao", 0, 0.9), chunk("thap", 0, 0.1), *outside]
    scores = {c.article_id: 0.01 * (n + 1) for n, c in enumerate(outside)}  # ngoai00 weakest
    snapshot, chroma, _, _, best = run(chunks, CANDIDATES, scores, k=50)
    completed = {c.article_id for c in outside if not np.isnan(best[article_row(snapshot, c.article_id)])}
    assert completed == {c.article_id for c in outside[2:]}
    assert len(chroma.vector_requests) == 1 and len(chroma.vector_requests[0]) == MAX_COMPLETED_ARTICLES


def test_chunks_whose_vectors_are_not_stored_stay_without_similarity() -> None:
    snapshot, _, _, completed, best = run(CHUNKS, CANDIDATES, {"ngoai": 0.5}, missing=frozenset({"ngoai#1"}))
    assert np.isnan(completed[snapshot.chunk_ids.index("ngoai#1")])
    assert best[article_row(snapshot, "ngoai")] == pytest.approx(0.3, abs=1e-5)


def test_nothing_is_completed_without_candidates_or_dense_weight() -> None:
    snapshot = build_snapshot(CHUNKS)
    lexical = lexical_of(snapshot, {"ngoai": 0.5})
    for candidates, weight in (([], DENSE_WEIGHT), (CANDIDATES, 0.0)):
        chroma = FakeChroma(CHUNKS, candidates)
        dense = candidate_dense(snapshot, CHUNKS, candidates)
        completed, best = complete_dense(
            snapshot=snapshot,
            chroma=chroma,
            query_vector=np.asarray(QUERY, dtype=np.float32),
            dense=dense,
            bounds=candidate_bounds(dense),
            lexical=lexical,
            dense_weight=weight,
            k=5,
        )
        assert chroma.vector_requests == []
        np.testing.assert_array_equal(completed, dense)
        assert np.isnan(best[article_row(snapshot, "ngoai")])


# --- the helpers the fusion uses -----------------------------------------------------------------


def test_article_dense_is_each_articles_best_chunk_and_nan_without_any() -> None:
    snapshot = build_snapshot(CHUNKS)
    dense = np.full(len(CHUNKS), np.nan, dtype=np.float32)
    dense[snapshot.chunk_ids.index("ngoai#0")] = 0.3
    dense[snapshot.chunk_ids.index("ngoai#1")] = 0.7
    dense[snapshot.chunk_ids.index("cao#0")] = -0.2  # a negative cosine is still a similarity
    best = article_dense(snapshot, dense)
    assert best[article_row(snapshot, "ngoai")] == pytest.approx(0.7)
    assert best[article_row(snapshot, "cao")] == pytest.approx(-0.2)
    assert np.isnan(best[article_row(snapshot, "vang")])


def test_candidate_bounds_are_the_lowest_and_highest_similarity_present() -> None:
    assert candidate_bounds(np.array([np.nan, 0.4, 0.2, np.nan, 0.8], dtype=np.float32)) == pytest.approx(
        (0.2, 0.8)
    )
    assert candidate_bounds(np.array([np.nan, np.nan], dtype=np.float32)) is None
    assert candidate_bounds(np.array([], dtype=np.float32)) is None


def test_spread_normalised_scales_between_the_bounds_clips_and_scores_nan_zero() -> None:
    values = np.array([0.2, 0.4, 0.6, 0.9, 0.0, np.nan], dtype=np.float32)
    assert spread_normalised(values, (0.2, 0.6)) == pytest.approx([0.0, 0.5, 1.0, 1.0, 0.0, 0.0])
    # equal bounds: at or above them is 1, below is 0
    assert spread_normalised(np.array([0.5, 0.4, np.nan]), (0.5, 0.5)) == pytest.approx([1.0, 0.0, 0.0])
    assert spread_normalised(values, None) == pytest.approx([0.0] * 6)
