"""One plan per question: what to search, for which period, and what kind of fact to answer with.

Before this, the chain parsed the date words three times and asked the store for its date range twice
per question. The plan is built once (`plan_question`) and read by retrieval, the answerers and the UI.

The period a question names ("… năm 2022", "tháng 6/2020") says when the *event* happened. It is kept
apart from the user's filter panel (`filters`, a hard filter on the publication date): the chain matches
it against the dates each article states and its publication date, so a 2022 event reported in 2023
is still found, and a period the archive does not cover is refused with what it does hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.question.analysis import QuestionAnalysis, analyse_question
from assistant.question.follow_up import Turn, carried_dates, condense_without_llm, is_follow_up, points_back
from assistant.question.query_filters import ParsedQuery, parse_query_filters
from vectorstore.hybrid_retriever import RetrievalFilters

Condenser = Callable[[str, list[Turn]], str | None]


@dataclass(frozen=True)
class QueryPlan:
    """Everything the chain decides about a question before it searches."""

    question: str  # as asked (NFC)
    standalone: str  # follow-ups rewritten into a question that stands alone
    search_text: str  # what the retriever searches: explicit time phrases removed
    restored: str  # `standalone` with diacritics restored (what the answerers read)
    analysis: QuestionAnalysis  # answer type and topical words, from `restored`
    filters: RetrievalFilters  # the user's own filters: hard
    period_from: date | None = None  # the period the question names: soft (see the module docstring)
    period_to: date | None = None
    is_follow_up: bool = False

    @property
    def has_period(self) -> bool:
        return self.period_from is not None or self.period_to is not None

    @property
    def pinned(self) -> bool:
        """A follow-up naming the previous event with a pointer ("lớp đó"): answered from that event's
        article only, and its new words need not be in it (`follow_up.points_back`)."""
        return self.is_follow_up and points_back(self.question)


def plan_question(
    question: str,
    history: list[Turn],
    filters: RetrievalFilters,
    newest: date | None,
    restore: Callable[[str], str],
    condense: Condenser | None = None,
    use_question_dates: bool = True,
) -> QueryPlan:
    """The plan for `question`; `newest` is the archive's newest publication date (None: no dates),
    `condense` an LLM rewriter for follow-ups (None: the rule-based one)."""
    own = parse_query_filters(question, newest)
    follow_up = is_follow_up(question, history)
    standalone = None
    if condense is not None and follow_up:
        standalone = condense(question, history)
    if not standalone:
        standalone = condense_without_llm(question, own.matched, history)
    parsed = parse_query_filters(standalone, newest)
    # Date words leave the search text only when they can be matched; in an archive without dates
    # ("ngày 23/12/2018") they are words of the topic.
    search_text = (parsed.text or standalone) if newest is not None else standalone
    period_from, period_to = (
        (parsed.date_from, parsed.date_to) if _matchable(parsed, newest) else (None, None)
    )
    if (period_from or period_to) and newest is not None:
        # The period is matched against each article's dates, so "năm 2022" in the search text would
        # only favour articles that repeat the year (a headline "… năm 2022") over the best match.
        search_text = _without(search_text, parsed.matched) or search_text
    period_from, period_to = carried_dates(period_from, period_to, history, follow_up)
    if not use_question_dates:
        period_from = period_to = None
        search_text = standalone
    restored = restore(standalone)
    return QueryPlan(
        question=question,
        standalone=standalone,
        search_text=search_text,
        restored=restored,
        analysis=analyse_question(restored),
        filters=filters,
        period_from=period_from,
        period_to=period_to,
        is_follow_up=follow_up,
    )


def _matchable(parsed: ParsedQuery, newest: date | None) -> bool:
    """Whether the question's period can be matched against the articles. In an archive without
    publication dates only a closed, absolute period can ("năm 2024", "tháng 2/2023", "ngày mai"): it is
    matched against the dates the articles state, so "AFF Cup 2024" is not answered from a 2018 story.
    "Gần đây", "năm ngoái" count back from the newest article, and "sau năm 1975" is open: neither can."""
    if newest is not None:
        return True
    return parsed.date_from is not None and parsed.date_to is not None and not parsed.archive_relative


def _without(text: str, phrase: str | None) -> str:
    if not phrase:
        return text
    index = text.lower().find(phrase.lower())
    if index < 0:
        return text
    return " ".join(f"{text[:index]} {text[index + len(phrase) :]}".split())
