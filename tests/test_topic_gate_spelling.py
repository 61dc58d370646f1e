"""The topic gate reads spelling variants as the same word, and question periods in undated archives."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answering.name_matching import missing_names, spelling_key
from assistant.answering.period_retrieval import _in_period
from assistant.answering.topic_gate import check_topic, topical_phrases
from assistant.question.query_filters import parse_query_filters
from assistant.question.query_plan import plan_question
from ingest.models import ArticleMetadata, CleanArticle
from vectorstore.hybrid_retriever import RetrievalFilters


@pytest.mark.parametrize(
    ("first", "second"), [("kí", "ký"), ("hoà", "hòa"), ("thuỷ", "thủy"), ("lí", "lý"), ("Mĩ", "mỹ")]
)
def test_spelling_variants_share_a_key(first: str, second: str) -> None:
    assert spelling_key(first) == spelling_key(second)


@pytest.mark.parametrize(("first", "second"), [("ký", "kỳ"), ("quy", "qui"), ("y", "i"), ("hoà", "hoá")])
def test_different_words_keep_different_keys(first: str, second: str) -> None:
    assert spelling_key(first) != spelling_key(second)


def test_names_match_aliases_and_one_slip_in_long_foreign_words() -> None:
    article = "Các nhà khoa học Mỹ giới thiệu áo Delusion Splash T-shirt tại TP.HCM."
    assert missing_names(["Hoa Kỳ", "Dellusion Splash", "Thành phố Hồ Chí Minh"], article) == []
    # Short or accented names need the exact spelling: "Quảng Nhin" is not "Quảng Ninh".
    assert missing_names(["Quảng Nhin", "Đà Nẵng", "Delusion Splish Splosh"], article + " Quảng Ninh") == [
        "Quảng Nhin",
        "Đà Nẵng",
        "Delusion Splish Splosh",
    ]


def test_phrases_do_not_straddle_two_words() -> None:
    phrases = topical_phrases("Vyleesi được đưa vào cơ thể phụ nữ bằng phương pháp nào?", folded=False)
    assert phrases == ["cơ thể", "phụ nữ", "phương pháp"]


def test_ki_sinh_in_the_question_matches_ky_sinh_in_the_article() -> None:
    article = "Giun đũa\nGiun đũa ký sinh trong ruột người do ăn rau sống chưa rửa sạch."
    question = "Do đâu mà giun đũa lại kí sinh trong cơ thể?"
    check = check_topic(question, ["giun", "đũa", "kí", "sinh"], article, {}, 100)
    assert check.coverage == 1.0
    # "giun đũa" and "kí sinh" = "ký sinh" are in the article, "cơ thể" is not.
    assert check.phrase_coverage == pytest.approx(2 / 3)


def test_vietnam_followed_by_a_year_is_no_nam_year_phrase() -> None:
    parsed = parse_query_filters("Hoa hậu Việt Nam 2022 là ai?", None)
    assert (parsed.matched, parsed.date_from, parsed.date_filter_strict) == ("2022", date(2022, 1, 1), False)
    assert parse_query_filters("Năm 2022 có gì mới?", None).matched == "Năm 2022"


def _plan(question: str) -> tuple[date | None, date | None]:
    plan = plan_question(question, [], RetrievalFilters(), None, lambda text: text)
    return plan.period_from, plan.period_to


def test_undated_archive_matches_closed_absolute_periods_only() -> None:
    assert _plan("Ai vô địch AFF Cup 2024?") == (date(2024, 1, 1), date(2024, 12, 31))
    assert _plan("Tỷ số trận đấu ngày mai là bao nhiêu?")[0] is not None
    # Counted back from the newest article, or open: nothing to match without dates.
    assert _plan("Vào năm ngoái bệnh viện đã làm gì?") == (None, None)
    assert _plan("Sau năm 1975 có bao nhiêu người bị dị tật?") == (None, None)


def _article(text: str) -> CleanArticle:
    return CleanArticle(
        article_id="a", title="Hội nghị", text=text, metadata=ArticleMetadata(published_date=None)
    )


def test_a_year_written_bare_in_the_article_matches_a_one_year_period() -> None:
    article = _article("Tại Hội nghị khoa học Phẫu thuật tạo hình thẩm mỹ toàn quốc 2019, ngày 15/6, …")
    assert _in_period(article, date(2019, 1, 1), date(2019, 12, 31))
    assert not _in_period(article, date(2022, 1, 1), date(2022, 12, 31))
    assert not _in_period(
        _article("Số điện thoại 02019 và mã 2019/QĐ."), date(2019, 1, 1), date(2019, 12, 31)
    )
