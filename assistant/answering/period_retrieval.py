"""Retrieval for a question that names a period: the event's dates decide, not only the publication date.

"Học bổng năm 2022" is reported in March 2023; "Hội nghị … năm 2022" may be recalled in a 2024 article.
Filtering on the publication date would hide them, and ignoring the period would answer a question about
2025 with the 2022 conference. So the period is matched against both the publication date and every date
the article states (resolved against its publication date by `ingest.event_dates`); either counts.

Candidates come from two searches: the topic over the whole archive (a pool several times `k`), and the
topic among articles published in the period or the year after it (so an in-period article is not lost
behind many on-topic articles of other years). In-period articles keep their retrieval order.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from assistant.question.query_plan import QueryPlan
from ingest.event_dates import DateMention, find_date_mentions
from ingest.models import CleanArticle
from vectorstore.hybrid_retriever import HybridRetriever, RetrievalFilters, RetrievalResult

POOL_FACTOR = 4
MIN_POOL = 20


@dataclass(frozen=True)
class PeriodRetrieval:
    """`result` holds the in-period articles; when none is, `outside_period` holds the topic's best
    articles of other periods (for "the archive holds the 2022 one")."""

    result: RetrievalResult
    in_period: bool = True
    outside_period: RetrievalResult | None = None


def retrieve_for_period(
    retriever: HybridRetriever,
    article_of: Callable[[str], CleanArticle | None],
    plan: QueryPlan,
    k: int,
) -> PeriodRetrieval:
    pool = retriever.search(plan.search_text, plan.filters, max(POOL_FACTOR * k, MIN_POOL))
    windowed = _published_window(plan)
    extra = retriever.search(plan.search_text, windowed, k) if windowed is not None else None
    chunks = list(pool.chunks) + ([c for c in extra.chunks] if extra else [])
    order = list(dict.fromkeys(c.article_id for c in chunks))
    matched: list[str] = []
    for article_id in order:
        if _in_period(article_of(article_id), plan.period_from, plan.period_to):
            matched.append(article_id)
            if len(matched) >= k:
                break
    if not matched:
        outside = replace(pool, chunks=[c for c in pool.chunks if c.article_id in order[:3]])
        empty = replace(pool, chunks=[])
        return PeriodRetrieval(empty, in_period=False, outside_period=outside)
    rank = {article_id: position for position, article_id in enumerate(matched)}
    seen: set[str] = set()
    kept = []
    for chunk in sorted((c for c in chunks if c.article_id in rank), key=lambda c: rank[c.article_id]):
        if chunk.chunk_id not in seen:
            seen.add(chunk.chunk_id)
            kept.append(chunk)
    return PeriodRetrieval(replace(pool, chunks=kept))


def _published_window(plan: QueryPlan) -> RetrievalFilters | None:
    """The user's filters narrowed to publication in the period or up to a year after it."""
    start = plan.period_from
    end = _year_after(plan.period_to) if plan.period_to else None
    if plan.filters.date_from and (start is None or plan.filters.date_from > start):
        start = plan.filters.date_from
    if plan.filters.date_to and (end is None or plan.filters.date_to < end):
        end = plan.filters.date_to
    if start and end and start > end:
        return None
    return replace(plan.filters, date_from=start, date_to=end)


def _in_period(article: CleanArticle | None, start: date | None, end: date | None) -> bool:
    if article is None:
        return False
    published = article.metadata.published_date
    if published is not None and _overlaps(published, published, start, end):
        return True
    if _names_year(article, start, end):
        return True
    return any(
        _overlaps(first, last, start, end)
        for first, last in _stated_ranges(article.title, article.text, published)
    )


def _names_year(article: CleanArticle, start: date | None, end: date | None) -> bool:
    """A one-year period also matches the year written bare in the article: "Hội nghị … toàn quốc 2019"
    names its year as the question does ("… toàn quốc 2019?"), and is no date mention."""
    if start is None or end is None or (start, end) != (date(start.year, 1, 1), date(start.year, 12, 31)):
        return False
    return re.search(rf"(?<![\w/.-]){start.year}(?![\w/])", f"{article.title}\n{article.text}") is not None


@lru_cache(maxsize=4096)
def _stated_ranges(title: str, text: str, published: date | None) -> tuple[tuple[date, date], ...]:
    """The periods an article states (cached: a question's pool shares articles with the next one)."""
    mentions = find_date_mentions(f"{title}\n{text}", published)
    return tuple(_mention_range(m) for m in mentions if m.value is not None)


def _mention_range(mention: DateMention) -> tuple[date, date]:
    value = mention.value
    assert value is not None
    if mention.precision == "year":
        return date(value.year, 1, 1), date(value.year, 12, 31)
    if mention.precision == "month":
        return value.replace(day=1), value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value, value


def _overlaps(first: date, last: date, start: date | None, end: date | None) -> bool:
    return (end is None or first <= end) and (start is None or last >= start)


def _year_after(value: date) -> date:
    return value.replace(year=value.year + 1, day=28 if (value.month, value.day) == (2, 29) else value.day)
