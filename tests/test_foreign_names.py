"""Foreign names in Vietnamese text: accented ones are still foreign, a clause's first word is no part of
them, and the original title in brackets after a translated one is no answer about it."""

from __future__ import annotations

from assistant.answering.answer_spans import person_spans
from tests.scored_sentences import short_answer


def test_accented_foreign_names_are_people() -> None:
    sentence = "Dưới nền Quân chủ tháng bảy, Honoré de Balzac phác họa xã hội Pháp."
    assert [s.display for s in person_spans(sentence)] == ["Honoré de Balzac"]
    # "Khi" opens the clause: it is capitalised because it starts the sentence, not part of the name.
    assert [s.display for s in person_spans("Khi André Masson bắt đầu nói, khán phòng im lặng.")] == [
        "André Masson"
    ]


def test_the_original_title_in_brackets_is_no_answer_about_the_work() -> None:
    sentence = (
        "Dưới nền Quân chủ tháng bảy, Honoré de Balzac phác họa bức tranh chi tiết về xã hội Pháp trong "
        "bộ tiểu thuyết đồ sộ Tấn trò đời (La Comédie Humaine)."
    )
    assert short_answer("Tác giả của bộ tiểu thuyết Tấn trò đời là ai?", sentence) == "Honoré de Balzac"


def test_nam_nao_is_not_answered_by_a_date_without_a_year() -> None:
    assert short_answer("Vua trở lại Paris vào năm nào?", "Vua trở lại Paris ngày 15 tháng 7.") is None


def test_one_name_after_a_personal_title_is_a_person_but_not_a_country_after_an_office() -> None:
    sentence = "Hôn lễ được chuẩn bị với sự giúp đỡ của bác sĩ Frederick và nhiếp ảnh gia Amy Taylor."
    assert [s.display for s in person_spans(sentence)] == ["Bác sĩ Frederick", "Amy Taylor"]
    assert [s.display for s in person_spans("Bà Lambert khóc khi nói với phóng viên.")] == ["Bà Lambert"]
    assert person_spans("Đại sứ Mỹ phát biểu tại lễ kỷ niệm.") == []
    assert person_spans("Tàu đi dọc sông Ohio suốt hai ngày.") == []


def test_the_organisation_a_passive_names_answers_who_did_it() -> None:
    sentence = (
        "Kết quả khảo sát mức độ hài lòng của người bệnh được Bộ Y tế và Tổ chức Sáng kiến Việt Nam công bố "
        "sáng 30/5."
    )
    said = "Ông Lương Ngọc Khuê, Cục trưởng Quản lý Khám chữa bệnh, cho biết kết quả khảo sát rất đáng chú ý."
    assert short_answer("Ai tổ chức khảo sát mức độ hài lòng của người bệnh?", sentence, said) == (
        "Bộ Y tế và Tổ chức Sáng kiến Việt Nam"
    )
