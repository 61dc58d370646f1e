"""Question kinds, topical words, follow-up resolution without an LLM, people and roles for briefings."""

from __future__ import annotations

from datetime import date

from assistant.briefing.extraction import lead_sentence, organisations_in, people_in
from assistant.question.analysis import analyse_question, answer_cue_bonus
from assistant.question.follow_up import Turn, carried_dates, condense_without_llm, is_follow_up


def test_question_kinds_with_and_without_diacritics() -> None:
    assert analyse_question("Hội nghị tổ chức ở đâu?").kind == "where"
    assert analyse_question("hoi nghi to chuc o dau").kind == "where"
    assert analyse_question("Ai chủ trì hội nghị?").kind == "who"
    assert analyse_question("Lớp học khai mạc ngày nào?").kind == "when"
    assert analyse_question("Có bao nhiêu đại biểu?").kind == "how_many"
    assert analyse_question("Tóm tắt các hoạt động đối ngoại").kind == "list"
    assert analyse_question("Những hội nghị nào đã diễn ra?").kind == "list"
    terms = analyse_question("Khách sạn nào tổ chức lớp bồi dưỡng?").content_terms
    assert "khách" in terms and "nào" not in terms


def test_answer_cues() -> None:
    assert answer_cue_bonus("where", "Hội nghị diễn ra tại Cao Bằng.") == 1.0
    assert answer_cue_bonus("when", "Ngày 26/6, hội nghị khai mạc.") == 1.0
    assert answer_cue_bonus("when", "Hội nghị khai mạc sáng nay.") == 0.0
    assert answer_cue_bonus("who", "Ông Phan Anh Sơn phát biểu.") == 1.0


def test_follow_up_with_a_new_year_reuses_the_previous_topic() -> None:
    history = [
        Turn("Hội nghị đối ngoại năm 2020 tổ chức ở đâu?", "Hội nghị đối ngoại năm 2020 tổ chức ở đâu?")
    ]
    assert is_follow_up("Còn năm 2019 thì sao?", history)
    assert condense_without_llm("Còn năm 2019 thì sao?", "năm 2019", history) == (
        "Hội nghị đối ngoại năm 2019 tổ chức ở đâu?"
    )


def test_follow_up_with_a_reference_appends_the_previous_topic() -> None:
    history = [Turn("Hội nghị toàn quốc năm 2022 ở đâu?", "Hội nghị toàn quốc năm 2022 ở đâu?")]
    standalone = condense_without_llm("Ai chủ trì hội nghị đó?", None, history)
    assert standalone == "Ai chủ trì Hội nghị toàn quốc năm 2022?"  # natural Vietnamese, not pasted
    assert condense_without_llm("Giá vàng hôm nay ra sao?", None, []) == "Giá vàng hôm nay ra sao?"


def test_dates_carry_over_only_to_follow_ups_without_their_own() -> None:
    history = [Turn("q", "q", "", date(2019, 1, 1), date(2019, 12, 31))]
    assert carried_dates(None, None, history, True) == (date(2019, 1, 1), date(2019, 12, 31))
    assert carried_dates(date(2020, 1, 1), None, history, True) == (date(2020, 1, 1), None)
    assert carried_dates(None, None, history, False) == (None, None)


def test_people_with_roles_and_organisations() -> None:
    text = (
        "Tham dự có Tiến sỹ Lê Hải Bình – Phó Giám đốc Học viện Ngoại giao. "
        "Tiếp theo, ông Nguyễn Ngọc Hùng, Trưởng Ban Điều phối viện trợ nhân dân (PACCOM) chia sẻ. "
        "Đại sứ Nguyễn Phương Nga tham quan. Sở Ngoại vụ đã chủ trì."
    )
    people = dict(people_in(text))
    assert people["Lê Hải Bình"] == "Phó Giám đốc Học viện Ngoại giao"
    assert people["Nguyễn Ngọc Hùng"] == "Trưởng Ban Điều phối viện trợ nhân dân"
    assert people["Nguyễn Phương Nga"] == "Đại sứ"
    assert "Sở Ngoại vụ" in organisations_in(text)
    assert lead_sentence("Câu đầu tiên của bài. Câu thứ hai.") == "Câu đầu tiên của bài."
