"""Spans that answer typed questions, cut from real sentences of the sample archive (no model)."""

from __future__ import annotations

from datetime import date

from assistant.answering.answer_spans import (
    date_spans,
    document_spans,
    organisation_spans,
    person_spans,
)
from assistant.answering.count_answers import counted_noun
from assistant.answering.fact_question import relation_phrases
from assistant.answering.number_spans import number_spans
from assistant.answering.place_answers import place_spans
from assistant.answering.topic_gate import check_topic, question_names
from assistant.question.analysis import analyse_question
from assistant.question.follow_up import Turn, condense_without_llm, topic_phrase

CAO_BANG = (
    "Sáng nay (7/7), tại Cao Bằng, Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh "
    "Cao Bằng khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022."
)
DIRECTIVE = (
    "Thực hiện Kế hoạch số 109-KH/TU ngày 17/10/2018 của Tỉnh ủy Vĩnh Phúc về triển khai thực hiện Chỉ thị số "
    "25-CT/TW ngày 08/8/2018 của Ban Bí thư về đẩy mạnh, ngày 26/6 tại Trung tâm Hội nghị tỉnh, Sở Ngoại vụ đã "
    "chủ trì tổ chức Hội nghị cho hơn 100 đồng chí là lãnh đạo."
)


def _shown(spans) -> list[str]:
    return [span.display for span in spans]


def test_a_relative_date_is_resolved_with_its_part_of_day_and_place() -> None:
    assert _shown(date_spans(CAO_BANG, date(2022, 7, 7)))[0] == "Sáng 7/7/2022, tại Cao Bằng"


def test_a_day_without_a_year_takes_the_publication_year() -> None:
    assert "26/6/2019, tại Trung tâm Hội nghị tỉnh" in _shown(date_spans(DIRECTIVE, date(2019, 6, 26)))


def test_people_come_with_their_title_and_role_and_places_are_not_people() -> None:
    sentence = "Ông Vũ Duy Thành – Phó Vụ trưởng Vụ Chính sách đối ngoại tập huấn về tình hình thế giới"
    assert _shown(person_spans(sentence)) == ["Ông Vũ Duy Thành, Phó Vụ trưởng Vụ Chính sách đối ngoại"]
    assert person_spans(CAO_BANG) == [], "Cao Bằng is a province, though Cao is a surname"
    former = (
        "Đại sứ Bùi Thế Giang, Nguyên Phó trưởng Phái đoàn đại diện thường trực Việt Nam tại Liên hiệp quốc"
    )
    assert _shown(person_spans(former))[0].startswith("Đại sứ Bùi Thế Giang, Nguyên Phó trưởng")


def test_places_stop_before_the_organisation_that_follows() -> None:
    sentence = (
        "Ngày 23/6/2020, tại nhà khách Đầm Vạc Liên hiệp các tổ chức hữu nghị tỉnh Vĩnh Phúc đã tổ chức"
    )
    assert _shown(place_spans(sentence)) == ["Nhà khách Đầm Vạc"]
    assert place_spans("Tại Hội nghị, các đại biểu đã thảo luận.") == []


def test_numbers_keep_their_noun_and_skip_dates_and_document_numbers() -> None:
    assert _shown(number_spans(DIRECTIVE, "đồng chí")) == ["Hơn 100 đồng chí"]
    assert number_spans(DIRECTIVE, "đại biểu") == []
    assert "25" not in " ".join(_shown(number_spans(DIRECTIVE, None)))


def test_documents_with_their_date_and_issuer() -> None:
    assert "Chỉ thị số 25-CT/TW ngày 08/8/2018 của Ban Bí thư" in _shown(document_spans(DIRECTIVE))


def test_the_organiser_is_the_subject_before_the_verb() -> None:
    assert _shown(organisation_spans(CAO_BANG)) == [
        "Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao Bằng"
    ]


def test_question_parts() -> None:
    assert counted_noun("Có bao nhiêu đại biểu tham dự?") == "đại biểu"
    assert counted_noun("Có bảo nhiêu đại biểu?") == "đại biểu", "a restored 'bảo' is still 'bao nhiêu'"
    assert relation_phrases("Ai chủ trì hội nghị?", ["chủ", "trì"]) == ["chu tri"]
    assert question_names("Giá vé máy bay từ Hà Nội đi Đà Nẵng là bao nhiêu?") == ["Hà Nội", "Đà Nẵng"]
    assert analyse_question("Giá vé máy bay bao nhiêu?").content_terms[:3] == ["giá", "vé", "máy"]


def test_topic_gate_needs_the_phrases_and_names_of_the_question() -> None:
    question = "Giá vé máy bay từ Hà Nội đi Đà Nẵng là bao nhiêu?"
    terms = analyse_question(question).content_terms
    # Article frequencies in a 300-article archive: place names and "giá" are common, "vé", "máy" rare.
    frequencies = {"giá": 100, "bay": 50, "hà": 200, "nội": 200, "đi": 250, "đà": 100, "nẵng": 100}
    unrelated = "Bộ Giao thông vận tải họp tại Hà Nội về bay thử; giá xăng tăng; Đà Nẵng đón khách."
    assert not check_topic(question, terms, unrelated, frequencies, 300).on_topic
    related = "Giá vé máy bay chặng Hà Nội đi Đà Nẵng dịp Tết tăng lên 3 triệu đồng."
    assert check_topic(question, terms, related, frequencies, 300).on_topic
    elsewhere = "Giá vé máy bay chặng Hà Nội đi Phú Quốc dịp Tết tăng lên 3 triệu đồng."
    assert check_topic(question, terms, elsewhere, frequencies, 300).missing_names == ["Đà Nẵng"]


def test_follow_ups_read_as_natural_questions() -> None:
    previous = "Hội nghị toàn quốc về đối ngoại nhân dân năm 2022 được tổ chức vào ngày nào?"
    assert topic_phrase(previous) == "Hội nghị toàn quốc về đối ngoại nhân dân năm 2022"
    history = [Turn(question=previous, standalone=previous)]
    assert condense_without_llm("Ai chủ trì hội nghị đó?", None, history) == (
        "Ai chủ trì Hội nghị toàn quốc về đối ngoại nhân dân năm 2022?"
    )
    assert condense_without_llm("Có bao nhiêu đại biểu tham dự?", None, history) == (
        "Có bao nhiêu đại biểu tham dự Hội nghị toàn quốc về đối ngoại nhân dân năm 2022?"
    )
    assert condense_without_llm("Còn năm 2019 thì sao?", "năm 2019", history) == (
        "Hội nghị toàn quốc về đối ngoại nhân dân năm 2019 được tổ chức vào ngày nào?"
    )
    unaccented = [Turn(question="q", standalone="lop boi duong nghiep vu doi ngoai nam 2019 o khach san nao")]
    assert condense_without_llm("Ai phát biểu khai mạc lớp đó?", None, unaccented) == (
        "Ai phát biểu khai mạc lop boi duong nghiep vu doi ngoai nam 2019?"
    )
