"""Resolving follow-up questions into standalone ones.

With an LLM, the condense prompt rewrites the question. Without one we carry the previous question's
topic and dates over: "Còn năm 2019 thì sao?" after a question about the 2022 conference becomes that
question with 2019 in place of 2022; "Ai chủ trì hội nghị đó?" gets the previous topic appended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.question.analysis import analyse_question
from ingest.vietnamese_text import fold_accents


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, as needed to understand the next question."""

    question: str
    standalone: str
    answer: str = ""
    date_from: date | None = None
    date_to: date | None = None


_REFERENCE = re.compile(r"\b(do|nay|ay|tren|thi sao|the con|vay con|con)\b")
_FOLLOW_UP_START = re.compile(r"^\s*(con|vay|the|thế|còn|vậy)\b", re.IGNORECASE)
_YEAR_PHRASE = re.compile(r"\b(năm|nam)\s+\d{4}\b", re.IGNORECASE)
_TRAILING_REFERENCE = re.compile(r"\s*\b(đó|này|ấy|trên|do|nay|ay)\b", re.IGNORECASE)


def is_follow_up(question: str, history: list[Turn]) -> bool:
    if not history:
        return False
    folded = fold_accents(question).lower()
    return (
        bool(_FOLLOW_UP_START.match(folded))
        or bool(_REFERENCE.search(folded))
        or len(analyse_question(question).content_terms) < 2
    )


def condense_without_llm(question: str, date_phrase: str | None, history: list[Turn]) -> str:
    """A standalone question built from the last turn's topic (no model needed)."""
    if not is_follow_up(question, history):
        return question
    previous = history[-1].standalone
    own_terms = analyse_question(_YEAR_PHRASE.sub(" ", question)).content_terms
    folded_own = set(own_terms) - {"thi", "sao", "con", "vay"}
    if date_phrase and len(folded_own) <= 1:
        # "Còn năm 2019 thì sao?": the previous question, with the new time in place of the old.
        topic = _YEAR_PHRASE.sub(" ", previous)
        topic = re.sub(r"\s+([?.!])", r"\1", re.sub(r"\s{2,}", " ", topic)).strip()
        return f"{topic.rstrip('?.! ')} {date_phrase}?"
    cleaned = _TRAILING_REFERENCE.sub("", question).strip().rstrip("?.! ")
    return f"{cleaned} ({previous.rstrip('?.! ')})?"


def carried_dates(
    own_from: date | None, own_to: date | None, history: list[Turn], follow_up: bool
) -> tuple[date | None, date | None]:
    """A follow-up without its own dates keeps the previous question's date range."""
    if own_from or own_to or not follow_up or not history:
        return own_from, own_to
    return history[-1].date_from, history[-1].date_to
