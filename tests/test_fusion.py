"""Fusion in `HybridRetriever.search` on a hand-built archive: the ranking follows the weights, the
score is a weighted sum of the signals, filtered articles never come back, unaccented questions are
found through the folded field, and dense completion decides between lexical twins.

The archive is `tests/fake_index.py`: a real lexical snapshot over a few chunks, vectors chosen by hand
and a fake dense search that returns the chosen candidates. No model, no Chroma."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.fake_index import QUERY, FakeChunk, at_cosine, fake_index
from vectorstore.hybrid_retriever import FusionWeights, HybridRetriever, RetrievalFilters

QUESTION = "Hội nghị đối ngoại nhân dân tổ chức tại Cao Bằng"
NO_WEIGHTS = FusionWeights(chunk_exact=0, chunk_folded=0, article_exact=0, article_bigrams=0, dense=0)
LEXICAL_ONLY = replace(FusionWeights(), dense=0)
DENSE_ONLY = replace(NO_WEIGHTS, dense=FusionWeights().dense)

# "cao_bang" has the question's words but a distant vector; "huu_nghi" none of its words but the closest
# vector; "tong_ket" some words, a middling vector. All three are dense candidates.
ARCHIVE = [
    FakeChunk(
        "cao_bang", 0, "Hội nghị đối ngoại nhân dân toàn quốc tổ chức tại Cao Bằng.", at_cosine(0.2), 20220707
    ),
    FakeChunk("huu_nghi", 0, "Buổi gặp mặt bạn bè quốc tế đầu xuân.", at_cosine(0.95), 20190105),
    FakeChunk("tong_ket", 0, "Hội nghị tổng kết công tác năm của Sở.", at_cosine(0.6), 20210110),
]


def scores(weights: FusionWeights, question: str = QUESTION, **options: object) -> dict[str, float]:
    """Article -> fused score, best first (articles without evidence are not returned)."""
    index = fake_index(ARCHIVE, [c.chunk_id for c in ARCHIVE], QUERY)
    retriever = HybridRetriever(index=index, weights=weights, k=10)
    result = retriever.search(question, **options)
    return {c.article_id: c.score for c in result.chunks}


def top(found: dict[str, float]) -> str | None:
    return next(iter(found), None)


def test_the_ranking_follows_the_weights() -> None:
    assert list(scores(LEXICAL_ONLY)) == ["cao_bang", "tong_ket"]  # no words of the question: not found
    # Dense alone: the closest vector first; the farthest candidate is at the low bound, so it scores 0.
    assert list(scores(DENSE_ONLY)) == ["huu_nghi", "tong_ket"]
    assert scores(DENSE_ONLY)["huu_nghi"] == pytest.approx(FusionWeights().dense)
    leaning_dense = replace(LEXICAL_ONLY, dense=5.0)
    assert top(scores(leaning_dense)) == "huu_nghi"


def test_each_signal_is_max_normalised_and_weighted() -> None:
    # One lexical signal at a time: the best article scores exactly the weight, the others less.
    for name in ("chunk_exact", "chunk_folded", "article_exact", "article_bigrams"):
        only = scores(replace(NO_WEIGHTS, **{name: 0.4}))
        assert top(only) == "cao_bang" and only["cao_bang"] == pytest.approx(0.4), name
        assert 0 < only["tong_ket"] < 0.4, name


def test_the_fused_score_is_the_sum_of_the_weighted_signals() -> None:
    lexical, dense, both = scores(LEXICAL_ONLY), scores(DENSE_ONLY), scores(FusionWeights())
    assert set(both) == set(lexical) | set(dense)
    for article_id, score in both.items():
        assert score == pytest.approx(lexical.get(article_id, 0.0) + dense.get(article_id, 0.0)), article_id
    doubled = scores(
        FusionWeights(**{k: 2 * v for k, v in vars(FusionWeights()).items() if k != "dense_candidates"})
    )
    assert doubled == pytest.approx({article_id: 2 * score for article_id, score in both.items()})


def test_a_filtered_article_never_comes_back_however_close_its_vector() -> None:
    found = scores(FusionWeights(), filters=RetrievalFilters(date_from=date(2020, 1, 1)))
    assert "huu_nghi" not in found and list(found) == ["cao_bang", "tong_ket"]
    assert scores(FusionWeights(), filters=RetrievalFilters(date_from=date(2030, 1, 1))) == {}


def test_a_question_typed_without_diacritics_is_found_through_the_folded_field() -> None:
    unaccented = "hoi nghi doi ngoai nhan dan"  # no restorer: searched as typed
    assert top(scores(replace(NO_WEIGHTS, chunk_folded=1.0), unaccented)) == "cao_bang"
    assert scores(replace(NO_WEIGHTS, chunk_exact=1.0), unaccented) == {}  # exact terms carry the marks


def test_completion_ranks_lexical_twins_by_their_exact_similarity() -> None:
    # Two articles with the same text (equal lexical scores), neither among the dense candidates. The
    # farther one comes first in the rows, so without completion the tie would put it first.
    text = "Hội nghị đối ngoại nhân dân toàn quốc tổ chức tại Cao Bằng."
    archive = [
        FakeChunk("xa", 0, text, at_cosine(0.2)),
        FakeChunk("gan", 0, text, at_cosine(0.8)),
        FakeChunk("cao", 0, "Gặp mặt bạn bè quốc tế.", at_cosine(0.9)),
        FakeChunk("thap", 0, "Thời tiết mùa hè.", at_cosine(0.1)),
    ]
    retriever = HybridRetriever(index=fake_index(archive, ["cao#0", "thap#0"], QUERY), k=10)
    result = retriever.search(QUESTION)
    found = {c.article_id: c for c in result.chunks}
    assert [c.article_id for c in result.chunks][:2] == ["gan", "xa"]
    assert found["gan"].dense == pytest.approx(0.8, abs=1e-5) and found["xa"].dense == pytest.approx(
        0.2, abs=1e-5
    )
    # bounds 0.1 .. 0.9: the twins differ by the dense weight times (0.8 - 0.2) / 0.8
    gap = found["gan"].score - found["xa"].score
    assert gap == pytest.approx(FusionWeights().dense * 0.6 / 0.8, abs=1e-5)


def test_completed_articles_never_shift_the_candidates_scale() -> None:
    # "ngoai" is left out of the candidates (bounds 0.1 .. 0.9) but is closer than any of them: it is
    # capped at the full dense weight, and the candidates keep the scores their own bounds give them.
    archive = [
        FakeChunk("ngoai", 0, "Hội nghị đối ngoại nhân dân toàn quốc tổ chức tại Cao Bằng.", at_cosine(0.99)),
        FakeChunk("cao", 0, "Gặp mặt bạn bè quốc tế.", at_cosine(0.9)),
        FakeChunk("thap", 0, "Thời tiết mùa hè.", at_cosine(0.1)),
    ]

    def search(weights: FusionWeights) -> dict[str, float]:
        retriever = HybridRetriever(
            index=fake_index(archive, ["cao#0", "thap#0"], QUERY), weights=weights, k=10
        )
        return {c.article_id: c.score for c in retriever.search(QUESTION).chunks}

    found, lexical = search(FusionWeights()), search(LEXICAL_ONLY)
    assert found["cao"] == pytest.approx(FusionWeights().dense)  # the top candidate: the full weight
    assert found["ngoai"] == pytest.approx(lexical["ngoai"] + FusionWeights().dense)


# --- articles stored without vectors (lexical-first ingestion) ----------------------------------


def lexical_first_scores(without: frozenset[str], candidates: list[str]) -> tuple[dict[str, float], list]:
    """Fused scores when `without` have no vectors yet, and the vectors completion asked Chroma for."""
    index = replace(fake_index(ARCHIVE, candidates, QUERY), without_vectors=without)
    result = HybridRetriever(index=index, k=10).search(QUESTION)
    return {c.article_id: c.score for c in result.chunks}, index.chroma.vector_requests


def test_an_article_without_vectors_is_scored_on_its_lexical_signals_renormalised() -> None:
    lexical, fused = scores(LEXICAL_ONLY), scores(FusionWeights())
    # With vectors, "cao_bang" (distant vector, at the candidates' low bound) gets nothing from dense.
    assert fused["cao_bang"] == pytest.approx(lexical["cao_bang"])
    found, _ = lexical_first_scores(frozenset({"cao_bang"}), [c.chunk_id for c in ARCHIVE])
    scale = FusionWeights().lexical_only_scale
    assert scale == pytest.approx(0.85 / 0.55)
    # Without vectors its lexical weights are renormalised to the whole weight: never 0 on dense.
    assert found["cao_bang"] == pytest.approx(lexical["cao_bang"] * scale)
    assert found["cao_bang"] > lexical["cao_bang"]
    # The nearest vector keeps the full dense weight (the scale is set by the candidates with vectors).
    assert found["huu_nghi"] == pytest.approx(fused["huu_nghi"]) == pytest.approx(FusionWeights().dense)


def test_an_article_without_vectors_can_rank_first_and_its_vectors_are_never_asked_for() -> None:
    # "cao_bang" has every word of the question; "huu_nghi" none, but the nearest vector.
    found, requests = lexical_first_scores(frozenset({"cao_bang"}), ["huu_nghi#0", "tong_ket#0"])
    assert top(found) == "cao_bang"
    assert found["cao_bang"] == pytest.approx(
        FusionWeights().lexical_only_scale * scores(LEXICAL_ONLY)["cao_bang"]
    )
    assert all("cao_bang#0" not in asked for asked in requests)  # dense completion left it alone
    # Even a stale vector Chroma still holds for it (an older version's) is not used.
    stale, _ = lexical_first_scores(frozenset({"cao_bang"}), ["cao_bang#0", "huu_nghi#0"])
    assert stale["cao_bang"] == pytest.approx(found["cao_bang"])


def test_with_no_vectors_at_all_the_ranking_is_the_lexical_one() -> None:
    everything = frozenset(c.article_id for c in ARCHIVE)
    found, requests = lexical_first_scores(everything, [c.chunk_id for c in ARCHIVE])
    lexical = scores(LEXICAL_ONLY)
    assert list(found) == list(lexical) and requests == []
    assert found == pytest.approx({a: s * FusionWeights().lexical_only_scale for a, s in lexical.items()})
