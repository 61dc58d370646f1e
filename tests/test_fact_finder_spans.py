"""The fact finder on encyclopedia-style sentences: passive agents, eras, places named with particles,
and never an answer the question already names."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.answering.answer_models import SourcePassage
from assistant.answering.answer_spans import agent_spans, era_spans, person_spans, place_spans
from assistant.answering.fact_finder import Fact, find_fact
from assistant.question.analysis import analyse_question

PASSAGE = SourcePassage(n=1, article_id="a1", title="Paris", text="")


@dataclass(frozen=True)
class Sentence:
    text: str
    passage: SourcePassage = field(default_factory=lambda: PASSAGE)
    start: int = 0
    end: int = 0
    score: float = 1.0


def _short(question: str, *sentences: str) -> str | None:
    fact = find_fact(analyse_question(question), question, [Sentence(s) for s in sentences], "Paris")
    return fact.short if isinstance(fact, Fact) else None


def test_the_agent_of_a_passive_clause_with_its_title() -> None:
    assert [
        s.display for s in agent_spans("Công viên được tái thiết kế bởi kiến trúc sư Bernard Tschumi.")
    ] == ["Kiến trúc sư Bernard Tschumi"]
    assert [s.display for s in agent_spans("Các đại lộ do Haussmann quy hoạch.")] == ["Haussmann"]
    assert agent_spans("Quyết định do Bộ Y tế ban hành.") == []  # an organisation, not a person


def test_eras_answer_when_there_is_no_date() -> None:
    assert [s.display for s in era_spans("Paris trở thành thủ đô từ thế kỷ 10.")] == ["Thế kỷ 10"]
    assert [s.display for s in era_spans("Paris lột xác vào thời Napoléon III.")] == ["Thời Napoléon III"]
    assert era_spans("Trong thời gian này, dân số tăng.") == []
    assert era_spans("Vào thời điểm đó, đứa bé mới chào đời.") == []  # "đ" is no capital letter


def test_places_keep_their_particles_and_kinds() -> None:
    assert [s.display for s in place_spans("Nhà thờ nằm trên đảo Île de la Cité.")] == ["Đảo Île de la Cité"]
    assert [s.display for s in place_spans("Bức tranh nằm trong viện bảo tàng Louvre.")] == [
        "Viện bảo tàng Louvre"
    ]
    assert place_spans("Trong khu vực này, giá nhà tăng.") == []


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "La Villette được tái thiết kế bởi ai?",
            "Khu La Villette được tái thiết kế bởi kiến trúc sư Bernard Tschumi.",
            "Kiến trúc sư Bernard Tschumi",
        ),
        (
            "Cung điện Tuileries nằm ở đâu?",
            "Cung điện Tuileries ở Paris nằm cạnh bảo tàng Louvre.",
            "Paris",
        ),
        (
            "Paris trở thành thủ đô vào lúc nào?",
            "Paris trở thành thủ đô của vương quốc vào thế kỷ 10.",
            "Thế kỷ 10",
        ),
        # Who the asked act belongs to, in nominal wording.
        (
            "Quốc lộ Saint-Germain được ai quy hoạch?",
            "Cách tổ chức thành phố phụ thuộc nhiều vào quy hoạch của nam tước Haussmann dưới thời Đệ nhị đế chế.",
            "Nam tước Haussmann",
        ),
        (
            "Công viên La Villette do ai thiết kế?",
            "Theo thiết kế của kiến trúc sư Bernard Tschumi, lò mổ cũ trở thành công viên La Villette.",
            "Kiến trúc sư Bernard Tschumi",
        ),
    ],
)
def test_the_short_answer_is_new_to_the_question(question: str, sentence: str, expected: str) -> None:
    assert _short(question, sentence) == expected


def test_a_sentence_that_only_repeats_the_question_states_no_fact() -> None:
    assert _short("Cung điện Tuileries nằm ở đâu?", "Người ta thường nhắc tới cung điện ở Tuileries.") is None
    # "quy hoạch của thành phố": the act's owner must be named with a capital.
    assert _short("Ai quy hoạch thành phố?", "Bản quy hoạch của thành phố được duyệt.") is None


def test_a_passive_agent_answers_who_when_the_sentence_holds_the_questions_name() -> None:
    sentence = (
        "Một nhà hàng sang trọng, La Taverne Anglaise, được khai trương vào năm 1786 trong khu vườn của "
        "Palais-Royal bởi Antoine Beauvilliers."
    )
    assert _short("Ai đã thành lập La Taverne Anglaise?", sentence) == "Antoine Beauvilliers"
    # Without the name in the sentence, a passive agent says nothing about the question's verb.
    assert (
        _short("Ai đã thành lập La Taverne Anglaise?", "Khu vườn được chăm sóc bởi Antoine Beauvilliers.")
        is None
    )


def test_regnal_names_are_people_but_not_inside_an_institutions_name() -> None:
    assert [s.display for s in person_spans("rồi Childéric I tới chiếm vào năm 464.")] == ["Childéric I"]
    assert [s.display for s in person_spans("Kể từ Louis XIII, các vị vua chuyển đi.")] == ["Louis XIII"]
    assert person_spans("Đại học Paris XI nằm ở Saclay.") == []
