"""The honest "not in the archive" answers, with the nearest articles as suggestions to click.

Two cases read differently to a briefing officer: nothing on the topic at all (or nothing within the
filter they set), and the topic is in the archive but not for the period the question names ("… năm
2025": the archive holds the 2022 conference). Both are `found=False` with no citations: nothing is
presented as an answer.
"""

from __future__ import annotations

from datetime import date

from assistant.answering.answer_models import Answer, SourcePassage, Suggestion
from assistant.answering.extractive_answerer import NOT_FOUND

MAX_SUGGESTIONS = 3


def refusal_answer(
    base: Answer, closest: list[SourcePassage], date_from: date | None = None, date_to: date | None = None
) -> Answer:
    """Nothing on topic (within the user's filter `date_from`–`date_to`, when set)."""
    suggestions = suggestions_from(closest)
    text = NOT_FOUND
    if date_from or date_to:
        text = f"{NOT_FOUND[:-1]} trong khoảng thời gian {_date_label(date_from)} – {_date_label(date_to)}."
    if suggestions:
        text += f" Các bài gần nhất: {_titles(suggestions)}."
    return base.model_copy(update={"text": text, "found": False, "suggestions": suggestions})


def period_refusal_answer(
    base: Answer, outside: list[SourcePassage], period_from: date | None, period_to: date | None
) -> Answer:
    """The topic is in the archive, but not for the period the question names."""
    suggestions = suggestions_from(outside)
    period = f"{_date_label(period_from)} – {_date_label(period_to)}"
    text = f"{NOT_FOUND[:-1]} trong khoảng thời gian câu hỏi nêu ({period})."
    if suggestions:
        text += f" Kho có bài về nội dung này ở thời gian khác: {_titles(suggestions)}."
    return base.model_copy(update={"text": text, "found": False, "suggestions": suggestions})


def suggestions_from(passages: list[SourcePassage]) -> list[Suggestion]:
    """The first articles of `passages`, each once."""
    unique = {
        p.article_id: Suggestion(article_id=p.article_id, title=p.title, published_date=p.published_date)
        for p in passages
    }
    return list(unique.values())[:MAX_SUGGESTIONS]


def _titles(suggestions: list[Suggestion]) -> str:
    return "; ".join(
        f"«{s.title}»" + (f" ({s.published_date:%d/%m/%Y})" if s.published_date else "") for s in suggestions
    )


def _date_label(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "…"
