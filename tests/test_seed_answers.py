"""The assistant on the five customer seeds, offline extractive mode, real embedding model."""

from __future__ import annotations

import pytest

from assistant.question.follow_up import Turn
from ingest.vietnamese_text import fold_accents

pytestmark = pytest.mark.integration

CAO_BANG_QUESTION = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"


def _cited_ids(answer) -> list[str]:
    return [c.article_id for c in answer.citations]


def test_where_was_the_2022_conference(seed_assistant) -> None:
    answer = seed_assistant.ask(CAO_BANG_QUESTION)
    assert answer.found
    assert "Cao Bằng" in answer.text
    assert "[1]" in answer.text
    assert _cited_ids(answer)[0] == "004_955a1fbb71e7f89b"
    citation = answer.citations[0]
    assert str(citation.published_date) == "2022-07-07"
    article = seed_assistant.index.store.get_article(citation.article_id)
    start, end = citation.span
    assert article is not None and article.text[start:end] == citation.quote


def test_which_hotel_hosted_the_2019_training(seed_assistant) -> None:
    answer = seed_assistant.ask("Lớp bồi dưỡng nghiệp vụ đối ngoại năm 2019 ở khách sạn nào?")
    assert answer.found
    assert "Ariyana" in answer.text
    assert _cited_ids(answer)[0] == "002_6ae507ffac44b24d"


def test_question_typed_without_diacritics(seed_assistant) -> None:
    answer = seed_assistant.ask(fold_accents(CAO_BANG_QUESTION))
    assert answer.found
    assert "Cao Bằng" in answer.text
    assert _cited_ids(answer)[0] == "004_955a1fbb71e7f89b"


def test_year_outside_the_archive_is_refused_with_suggestions(seed_assistant) -> None:
    answer = seed_assistant.ask("Hội nghị đối ngoại nhân dân năm 2025 tổ chức ở đâu?")
    assert not answer.found
    assert answer.text.startswith("Không tìm thấy thông tin này trong kho lưu trữ")
    assert answer.citations == []
    assert answer.suggestions, "the closest articles should be suggested"


def test_off_topic_question_is_refused(seed_assistant) -> None:
    answer = seed_assistant.ask("Giá vàng SJC hôm nay bao nhiêu một lượng?")
    assert not answer.found
    assert "Không tìm thấy" in answer.text


def test_follow_up_carries_the_topic_and_changes_the_year(seed_assistant) -> None:
    first = seed_assistant.ask("Hội nghị về công tác đối ngoại năm 2020 tổ chức ở đâu?")
    assert "Đầm Vạc" in first.text
    history = [
        Turn(
            first.question,
            first.standalone_question,
            first.text,
            first.question_date_from,
            first.question_date_to,
        )
    ]
    follow_up = seed_assistant.ask("Còn năm 2019 thì sao?", history)
    assert follow_up.found
    assert follow_up.question_date_from is not None and follow_up.question_date_from.year == 2019
    assert set(_cited_ids(follow_up)) <= {"001_9a84a7000a87e853", "002_6ae507ffac44b24d"}


def test_who_question_names_the_person(seed_assistant) -> None:
    answer = seed_assistant.ask("Ai là Trưởng Ban Điều phối viện trợ nhân dân PACCOM?")
    assert answer.found
    assert "Nguyễn Ngọc Hùng" in answer.text


def test_summary_question_lists_articles_by_date(seed_assistant) -> None:
    answer = seed_assistant.ask("Tóm tắt các hoạt động đối ngoại năm 2019")
    assert answer.found
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(lines) >= 2
    assert set(_cited_ids(answer)) == {"001_9a84a7000a87e853", "002_6ae507ffac44b24d"}
    assert lines[0].startswith("- 26/06/2019") and lines[1].startswith("- 08/10/2019")


def test_summary_of_a_named_article_summarises_that_article(seed_assistant) -> None:
    answer = seed_assistant.ask("Tóm tắt: Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022")
    assert answer.found
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert 2 <= len(lines) <= 4
    assert set(_cited_ids(answer)) == {"004_955a1fbb71e7f89b"}
    assert "tại Cao Bằng" in lines[0], "the lead comes first"


def test_empty_and_huge_questions_get_clear_answers(seed_assistant) -> None:
    assert seed_assistant.ask("   ").text == "Vui lòng nhập câu hỏi."
    huge = seed_assistant.ask("đối ngoại " * 20000)
    assert huge.notice and "quá dài" in huge.notice


def test_warm_up_loads_the_diacritic_model_before_the_first_question(seed_settings) -> None:
    from assistant.build import build_assistant

    assistant = build_assistant(seed_settings)
    restorer_file = assistant.retriever.restorer
    assert restorer_file._loaded is None  # nothing is loaded until asked
    assistant.warm_up()
    assert restorer_file._loaded is not None and restorer_file._loaded.read_only
