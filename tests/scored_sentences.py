"""Sentences as the fact finder receives them, for tests that call `find_fact` without an index: one
article titled "Paris" unless a test gives another, best score first."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answering.answer_models import SourcePassage
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


def short_answer(question: str, *sentences: str, scores: tuple[float, ...] = ()) -> str | None:
    """The fact's short line for `question` among `sentences` (scores default to 1.0, 0.9, 0.8 …)."""
    given = [Sentence(s, score=scores[i] if scores else 1.0 - i / 10) for i, s in enumerate(sentences)]
    fact = find_fact(analyse_question(question), question, given, "Paris")
    return fact.short if isinstance(fact, Fact) else None
