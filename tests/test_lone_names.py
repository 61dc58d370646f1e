"""People named by one word, with initials, or after a rank: «Chirac», «E. O. Wilson», «Đại tá French»."""

from __future__ import annotations

from assistant.answering.answer_spans import person_spans
from assistant.answering.lone_names import acting_lone_names, known_places, known_surnames, lone_names
from tests.scored_sentences import short_answer


def _people(sentence: str) -> list[str]:
    return [s.display for s in person_spans(sentence)]


def test_initials_stay_in_the_name() -> None:
    assert _people("Năm 1966, E. O. Wilson và đồng sự đã xác định các hóa thạch kiến.") == ["E. O. Wilson"]
    assert _people("Thủ tướng tương lai Lester B. Pearson làm giảm căng thẳng.") == ["Lester B. Pearson"]
    # "Ý" is a country, not an initial: the name starts after it.
    assert _people("Kiến trúc sư người Ý Renzo Piano thiết kế trung tâm.") == ["Renzo Piano"]


def test_one_name_after_a_rank_or_an_office() -> None:
    assert _people("Sau khi nhận được thông điệp, Đại tá French đích thân gửi nó đi.") == ["Đại tá French"]
    assert _people("Tổng thống Museveni lên án các nước công nghiệp.") == ["Tổng thống Museveni"]
    assert _people("Hôm qua, Thủ tướng Anh đã đến.") == []  # a country after an office is no name


def test_a_lone_word_is_a_person_the_article_names_in_full() -> None:
    known = known_surnames(["François Mitterrand", "Ông Jacques Chirac phát biểu."])
    assert known == {"mitterrand", "chirac"}
    sentence = "Chirac xử lý hầu hết các chính sách trong nước trong khi Mitterrand lo việc đối ngoại."
    assert [s.display for s in lone_names(sentence, known)] == ["Chirac", "Mitterrand"]
    assert lone_names("Ông sống ở Paris nhiều năm.", frozenset({"paris"})) == []  # a place, not a person


def test_a_foreign_lone_word_acts_where_the_subject_stands() -> None:
    places = known_places(["Ông sống tại Paris.", "Họ đến Washington."])
    assert places == {"paris", "washington"}
    sentence = "Mitterrand thoát được không bị bắt giữ nhờ Piatzook đã yểm trợ cho ông."
    assert [s.display for s in acting_lone_names(sentence, places)] == ["Mitterrand", "Piatzook"]
    assert acting_lone_names("Paris là thủ đô của nước Pháp.", places) == []
    assert acting_lone_names("Trong năm đó, Thanh tuyên bố.", places) == []  # spelled as Vietnamese


def test_who_is_answered_by_a_lone_name_the_title_gives_in_full() -> None:
    assert (
        short_answer(
            "Ai xử lý các chính sách trong nước?",
            "Jacques Chirac trở thành thủ tướng năm 1986.",
            "Chirac xử lý hầu hết các chính sách trong nước.",
            scores=(0.5, 1.0),
        )
        == "Chirac"
    )
    # The name the question gives is no answer: "Chirac" asks about Chirac.
    assert short_answer("Chirac xử lý các chính sách nào?", "Chirac xử lý các chính sách trong nước.") is None


def test_who_is_answered_by_an_acting_lone_name_when_nothing_else_is() -> None:
    assert (
        short_answer(
            "Nhờ ai mà Mitterrand không bị bắt?", "Mitterrand không bị bắt giữ nhờ Piatzook đã yểm trợ."
        )
        == "Piatzook"
    )


def test_a_title_is_a_word_of_its_own() -> None:
    # "Đông Nam Á" and "Mông Ngột Quốc" hold no title "ông".
    assert _people("Vịt được chăn nuôi tại nhiều nước Đông Nam Á từ lâu.") == []
    assert _people("Sau đó bang liên Mông Ngột Quốc nổi lên.") == []


def test_the_vietnamese_people_are_no_author() -> None:
    from assistant.question.analysis import analyse_question

    assert analyse_question("Người Việt Nam chăn nuôi vịt từ lúc nào?").kind == "when"
    assert analyse_question("Người viết bài này là ai?").kind == "author"


def test_a_person_turned_to_is_no_place() -> None:
    sentence = (
        "Để nhận ý kiến cố vấn về ngoại giao, Roosevelt nhờ đến Harry Hopkins, người sau đó trở thành cố vấn."
    )
    assert _people(sentence) == ["Harry Hopkins"]
    assert _people("Đoàn đi đến New York ngày 3/5.") == []


def test_who_asked_by_the_day_is_answered_by_the_sentence_of_that_day() -> None:
    assert (
        short_answer(
            "Ai là người đứng đầu Mông Cổ kể từ ngày 26 tháng 1 năm 1952?",
            "Ngày 26 tháng 1 năm 1952, Yumjaagiin Tsedenbal lên nắm quyền tại Mông Cổ.",
        )
        == "Yumjaagiin Tsedenbal"
    )
    assert (
        short_answer(
            "Vào năm 1642, ai là người thành lập ra một làng thuộc Montréal ngày nay?",
            "Đến 1642 các nhà truyền giáo Paul de Chomedey de Maisonneuve và Jeanne Mance lập ra một làng ở đó.",
        )
        == "Paul de Chomedey de Maisonneuve và Jeanne Mance"
    )


def test_a_year_that_names_the_event_anchors_no_sentence() -> None:
    from assistant.answering.answer_models import SourcePassage
    from assistant.answering.fact_finder import MissingFact, find_fact
    from assistant.question.analysis import analyse_question
    from tests.scored_sentences import Sentence

    headline = "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"
    passage = SourcePassage(n=1, article_id="a1", title=headline, text="")
    opening = Sentence(
        "Sáng nay, Liên hiệp các tổ chức hữu nghị Việt Nam khai mạc Hội nghị toàn quốc công tác đối ngoại "
        "nhân dân năm 2022.",
        passage=passage,
    )
    question = "Ai chủ trì Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022?"
    assert isinstance(find_fact(analyse_question(question), question, [opening], headline), MissingFact)
