"""Property-based fuzzing of the text-handling stages: arbitrary Unicode, mixed NFC/NFD, long lines,
empty documents, huge questions. Nothing crashes; every rejection is a specific error with a reason."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.question.query_filters import parse_query_filters
from ingest.chunker import chunk_article
from ingest.models import CleanArticle, RawDocument
from ingest.page_cleaner import EmptyArticleError, clean_article
from ingest.published_date import parse_published_date
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, normalize_text
from vectorstore.diacritics.restorer import DiacriticRestorer
from vectorstore.embedding.hash_embedder import HashEmbeddings

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂƠƯ"
vietnamese_text = st.text(
    alphabet=st.sampled_from(list(VIETNAMESE + " .,:;!?/-()\n0123456789")), min_size=0, max_size=600
)
any_text = st.one_of(vietnamese_text, st.text(max_size=400))
mixed_forms = any_text.map(lambda t: unicodedata.normalize("NFD", t[: len(t) // 2]) + t[len(t) // 2 :])
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mixed_forms)
def test_normalisation_is_idempotent_nfc_and_folding_keeps_length(text: str) -> None:
    normal = normalize_text(text)
    assert unicodedata.is_normalized("NFC", normal)
    assert normalize_text(normal) == normal
    assert len(fold_accents(normal)) == len(normal)


@FUZZ
@given(mixed_forms)
def test_cleaner_never_crashes_and_rejections_have_reasons(text: str) -> None:
    raw = RawDocument("fuzz", "fuzz.txt", normalize_text(text), "txt")
    try:
        article = clean_article(raw)
    except EmptyArticleError as exc:
        assert str(exc).strip()
        return
    assert article.text.strip()
    assert unicodedata.is_normalized("NFC", article.text)


@FUZZ
@given(any_text)
def test_date_parser_returns_a_date_or_none(text: str) -> None:
    parsed = parse_published_date(text)
    assert parsed is None or isinstance(parsed, date)


@FUZZ
@given(any_text)
def test_query_filters_keep_ranges_ordered(text: str) -> None:
    parsed = parse_query_filters(text, date(2022, 12, 31))
    if parsed.date_from and parsed.date_to:
        assert parsed.date_from <= parsed.date_to
    assert isinstance(parsed.text, str)


def test_query_filters_and_normalisation_on_a_100k_character_question() -> None:
    question = "Hội nghị đối ngoại năm 2019 " * 4000
    assert len(question) > 100_000
    parsed = parse_query_filters(normalize_text(question), date(2022, 12, 31))
    assert parsed.date_from is None or parsed.date_from.year == 2019


@FUZZ
@given(vietnamese_text)
def test_sentences_and_chunks_cover_the_text_exactly(text: str) -> None:
    text = normalize_text(text)
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
    if not text.strip():
        return
    embedder = HashEmbeddings()
    article = CleanArticle("fuzz", "Tiêu đề", text)
    chunks = chunk_article(article, embedder.count_tokens, max_tokens=64, target_tokens=40)
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.token_count <= 64


@FUZZ
@given(any_text)
def test_restorer_preserves_length_of_untouched_text(text: str) -> None:
    restorer = _RESTORER
    restored = restorer.restore(text)
    assert isinstance(restored, str)
    assert fold_accents(normalize_text(restored)).lower() == fold_accents(normalize_text(text)).lower()


_RESTORER = DiacriticRestorer.train(
    ["Hội nghị đối ngoại nhân dân năm 2022 tổ chức tại Cao Bằng.", "Lớp bồi dưỡng tại khách sạn Ariyana."]
)
