"""«Ai …?» answered by a people, an army or a government when the sentence names no person."""

from __future__ import annotations

from assistant.answering.people_groups import peoples_spans
from ingest.vietnamese_text import folded_words
from tests.scored_sentences import short_answer


def test_a_people_answers_when_no_person_is_named() -> None:
    sentence = "Trong Chiến tranh thế giới thứ nhất, Gandhi ủng hộ người Anh và kêu gọi người Ấn nhập ngũ."
    assert short_answer("Gandhi ủng hộ ai trong chiến tranh thế giới thứ nhất?", sentence) == "Người Anh"
    funded = "Nó thuê công ty Hill and Knowlton với giá 11 triệu dollar do chính phủ Kuwait cung cấp."
    assert short_answer("Tiền thuê công ty Hill and Knowlton do ai cung cấp?", funded) == "Chính phủ Kuwait"


def test_a_named_person_in_another_sentence_wins_over_a_people() -> None:
    assert (
        short_answer(
            "Ai phê bình Subhas Chandra Bose?",
            "Gandhi phê bình người Do Thái vì đã không phản kháng.",
            "Jawaharlal Nehru phê bình Subhas Chandra Bose vì đã liên minh với phe Trục.",
        )
        == "Jawaharlal Nehru"
    )


def test_a_people_the_question_names_is_no_answer() -> None:
    asked = folded_words("Ở Hy Lạp cổ đại ai là người dựng nên các đền thờ?")
    spans = peoples_spans("Người Hy Lạp và người La Mã dựng nên các đền thờ.", asked)
    assert [s.display for s in spans] == ["Người La Mã"]
    # "nhân dân Cách mạng": neither "dân" of "nhân dân" nor "Cách mạng" is a people.
    assert peoples_spans("Nhân dân Cách mạng tháng Mười ủng hộ.", "") == []
