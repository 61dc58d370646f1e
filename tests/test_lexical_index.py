"""BM25 weights, the accent-folded field, the on-disk cache and its recovery from damage."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from ingest.models import ArticleMetadata, Chunk, CleanArticle
from ingest.near_duplicates import hamming_distance, simhash
from tests.conftest import SAMPLE_ARCHIVE
from vectorstore.lexical.build import build_fields
from vectorstore.lexical.index import K1, B, BM25Field, LexicalIndex
from vectorstore.lexical.terms import exact_terms, folded_terms, syllable_bigrams
from vectorstore.store.article_store import ArticleStore


def _reference_bm25(documents: list[list[str]], query: list[str]) -> list[float]:
    n = len(documents)
    average = sum(map(len, documents)) / n
    scores = []
    for document in documents:
        counts = Counter(document)
        score = 0.0
        for term in set(query):
            df = sum(term in d for d in documents)
            if not counts[term]:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = counts[term]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(document) / average))
        scores.append(score)
    return scores


def test_bm25_matches_the_textbook_formula() -> None:
    documents = [
        "hội nghị đối ngoại nhân dân tại cao bằng".split(),
        "lớp bồi dưỡng nghiệp vụ đối ngoại tại khách sạn ariyana".split(),
        "giá vàng hôm nay tăng mạnh".split(),
    ]
    field = BM25Field.build(documents)
    query = "đối ngoại cao bằng".split()
    np.testing.assert_allclose(field.scores(query), _reference_bm25(documents, query), rtol=1e-5)
    assert field.scores(["không", "có"]).tolist() == [0.0, 0.0, 0.0]


def test_terms_keep_identifiers_and_add_compounds_and_folded_twins() -> None:
    terms = exact_terms("Thực hiện Chỉ thị 12-CT/TW về hội nghị ngày 26/6/2019")
    assert "12-ct/tw" in terms and "26/6/2019" in terms and "hội_nghị" in terms
    assert "hoi_nghi" in folded_terms(terms) and "chi" in folded_terms(terms)


def _store_with(tmp_path: Path, texts: dict[str, str]) -> ArticleStore:
    store = ArticleStore(tmp_path)
    with store.transaction() as conn:
        for article_id, text in texts.items():
            article = CleanArticle(article_id, f"Tiêu đề {article_id}", text, ArticleMetadata())
            chunk = Chunk(article_id, 0, text, 0, len(text), 10)
            store.write_pending(conn, article, [chunk], [" ".join(exact_terms(text))], 0, article_id)
    store.mark_indexed(list(texts))
    return store


def test_index_follows_the_store_and_survives_a_damaged_cache(tmp_path: Path) -> None:
    store = _store_with(
        tmp_path, {"a": "Hội nghị đối ngoại tại Cao Bằng", "b": "Khách sạn Ariyana ở Đà Nẵng"}
    )
    index = LexicalIndex(store, tmp_path / "lexical")
    snapshot = index.snapshot()
    scores = snapshot.folded.scores(folded_terms(exact_terms("khach san ariyana")))
    assert snapshot.article_ids[int(np.argmax(scores))] == "b"
    # A second process loads the cache instead of rebuilding.
    assert LexicalIndex(store, tmp_path / "lexical").snapshot().chunk_ids == snapshot.chunk_ids
    # A half-written cache file is not fatal: the index is rebuilt from the store.
    (tmp_path / "lexical" / "bm25.npz").write_bytes(b"PK\x03\x04 truncated")
    rebuilt = LexicalIndex(store, tmp_path / "lexical").snapshot()
    assert sorted(rebuilt.chunk_ids) == ["a#0", "b#0"]


def test_stored_articles_are_searchable_before_their_vectors_and_deleting_ones_are_not(
    tmp_path: Path,
) -> None:
    # Lexical-first ingestion (issue 17): an article is searchable once its text and terms are stored,
    # before it has vectors; one being deleted is not, even before its rows are gone.
    store = _store_with(tmp_path, {"a": "Hội nghị đối ngoại tại Cao Bằng"})
    with store.transaction() as conn:
        text = "Bài chưa nhúng xong"
        article = CleanArticle("p", "Đang nạp", text, ArticleMetadata())
        store.write_pending(conn, article, [Chunk("p", 0, text, 0, len(text), 3)], [text.lower()], 0, "p")
    assert store.ids_with_status("stored") == ["p"]
    assert sorted(LexicalIndex(store, tmp_path / "lexical").snapshot().chunk_ids) == ["a#0", "p#0"]
    store.mark_deleting(["a"])
    assert LexicalIndex(store, tmp_path / "lexical").snapshot().chunk_ids == ["p#0"]


def test_simhash_links_near_duplicates_only() -> None:
    seeds = sorted(SAMPLE_ARCHIVE.glob("*.txt"))
    text = seeds[4].read_text(encoding="utf-8")
    edited = text.replace("nhiều vấn đề quan trọng", "nhiều vấn đề rất quan trọng").replace(
        "hơn 200", "gần 200"
    )
    assert hamming_distance(simhash(text), simhash(edited)) <= 3
    for other in seeds[:4]:
        assert hamming_distance(simhash(text), simhash(other.read_text(encoding="utf-8"))) > 10
    assert simhash("") == 0


def test_streamed_fields_equal_fields_built_from_term_lists() -> None:
    """`build_fields` (integer ids, folded and article fields derived from counts) scores exactly like
    BM25 fields built naively from the term lists it replaces."""
    texts = {
        "a": ["Hội nghị đối ngoại nhân dân tại Cao Bằng.", "Đại sứ Nguyễn Phương Nga dự hội nghị."],
        "b": ["Lớp bồi dưỡng nghiệp vụ đối ngoại tại khách sạn Ariyana, Đà Nẵng."],
        "c": ["Giá vàng hôm nay tăng mạnh.", "Gia đình ông Hùng ở Đà Nẵng.", "Hội nghị về giá cả."],
    }
    rows = []
    for article_id, chunks in texts.items():
        for position, text in enumerate(chunks):
            rows.append((f"{article_id}#{position}", article_id, " ".join(exact_terms(text)), 20200101))
    built = build_fields(rows)
    exact_docs = [terms.split() for _, _, terms, _ in rows]
    folded_docs = [folded_terms(d) for d in exact_docs]
    article_docs: dict[str, list[str]] = {x: [] for x in texts}
    article_bigrams: dict[str, list[str]] = {x: [] for x in texts}
    for (_, article_id, _, _), exact, folded in zip(rows, exact_docs, folded_docs, strict=True):
        article_docs[article_id].extend(exact)
        article_bigrams[article_id].extend(syllable_bigrams(folded))
    reference = {
        "exact": BM25Field.build(exact_docs),
        "folded": BM25Field.build(folded_docs),
        "article_exact": BM25Field.build(list(article_docs.values())),
        "article_bigrams": BM25Field.build(list(article_bigrams.values())),
    }
    query = exact_terms("hội nghị đối ngoại ở Đà Nẵng, giá vàng")
    queries = {
        "exact": query,
        "folded": folded_terms(query),
        "article_exact": query,
        "article_bigrams": syllable_bigrams(folded_terms(query)),
    }
    assert built.chunk_ids == [r[0] for r in rows] and built.article_row.tolist() == [0, 0, 1, 2, 2, 2]
    for name, field in reference.items():
        ours = getattr(built, name)
        streamed = BM25Field(ours.vocabulary, ours.matrix).scores(queries[name])
        assert streamed.any(), name
        np.testing.assert_allclose(streamed, field.scores(queries[name]), rtol=1e-5, err_msg=name)


def test_streamed_fields_of_an_empty_archive() -> None:
    built = build_fields([])
    assert built.chunk_ids == [] and built.exact.matrix.shape[0] == 0
    assert BM25Field(built.article_bigrams.vocabulary, built.article_bigrams.matrix).scores(["a~b"]).size == 0
