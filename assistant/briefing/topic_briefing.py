"""Quick briefings: a topic and a date range -> Markdown with cited summary, timeline, people, sources.

Offline it is assembled from the articles' own event sentences (`events`), over the retrieved articles
that are *about* the topic (`relevance`), each listed once:
- **Tóm tắt**: one event sentence (who did what, when, where) from each of the most central articles,
  at most five, at least three when there are; the most recent event first.
- **Diễn biến theo thời gian**: one line per dated event, in date order, starting with the event's
  date as the text gives it, resolved against the publication date ("23/6/2020 — …"); the publication
  date, marked as such, only where the text gives none.
- **Nhân vật và tổ chức**: people with the role the article gives them, then organisations.
- **Nguồn**: the articles, numbered in date order, so the timeline reads [1], [2], [3] …

Every line carries the `[n]` of its article. Export keeps the markers and the numbered sources.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.archive_assistant import ArchiveAssistant
from assistant.briefing.events import EventLine, event_lines, lead_line
from assistant.briefing.extraction import organisations_in, people_in
from assistant.briefing.relevance import topic_matches
from ingest.event_dates import find_date_mentions
from ingest.models import CleanArticle
from ingest.vietnamese_text import fold_accents, normalize_text
from vectorstore.hybrid_retriever import RetrievalFilters

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 30  # articles retrieved before the relevance check
MAX_ARTICLES = 10  # sources of one briefing
SUMMARY_BULLETS = (3, 5)
MAX_EVENTS_PER_ARTICLE = 3
EXPORT_SUFFIXES = (".md", ".docx")
NO_ARTICLES = "Không tìm thấy bài nào về chủ đề này trong khoảng thời gian đã chọn."


@dataclass(frozen=True)
class BriefingSource:
    n: int
    article_id: str
    title: str
    published_date: date | None
    outlet: str | None
    url: str | None


@dataclass
class Briefing:
    topic: str
    date_from: date | None
    date_to: date | None
    markdown: str
    sources: list[BriefingSource] = field(default_factory=list)
    mode: str = "extractive"
    notice: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "date_from": _iso(self.date_from),
            "date_to": _iso(self.date_to),
            "markdown": self.markdown,
            "sources": [s.__dict__ | {"published_date": _iso(s.published_date)} for s in self.sources],
            "mode": self.mode,
            "notice": self.notice,
        }


def write_briefing(
    assistant: ArchiveAssistant, topic: str, date_from: date | None = None, date_to: date | None = None
) -> Briefing:
    topic = normalize_text(topic).strip()
    result = assistant.retriever.search(
        topic, RetrievalFilters(date_from=date_from, date_to=date_to), MAX_CANDIDATES
    )
    candidates = _articles(assistant, list(dict.fromkeys(chunk.article_id for chunk in result.chunks)))
    header = _header(topic, date_from, date_to)
    matches = topic_matches(topic, {a.article_id: (a.title, a.text) for a in candidates.values()})
    chosen = _distinct_stories([candidates[m.article_id] for m in matches])[:MAX_ARTICLES]
    period = f"Thời gian: {period_covered(date_from, date_to, chosen)}"
    if not chosen:
        return Briefing(topic, date_from, date_to, f"{header}\n\n{period}\n\n{NO_ARTICLES}")
    importance = {m.article_id: m.weight for m in matches}
    numbers = _numbering_by_date(chosen)
    sources = sorted((_source(a, numbers[a.article_id]) for a in chosen), key=lambda source: source.n)
    if assistant.llm is not None:
        passages = [p for p in assistant._passages(result) if p.article_id in numbers]
        # Checked like an answer (llm_answerer.briefing): unknown [n] removed, unsupported lines marked.
        drafted = assistant.llm.briefing(topic, header, passages, numbers)
        if drafted is not None:
            body = drafted.text.replace(header, f"{header}\n\n{period}", 1)
            markdown = f"{body}\n\n{_sources_markdown(sources)}"
            return Briefing(topic, date_from, date_to, markdown, sources, "llm", drafted.notice)
    events = {a.article_id: event_lines(a.article_id, a.text, a.metadata.published_date) for a in chosen}
    sections = [
        header,
        period,
        _summary(chosen, events, importance, numbers),
        _timeline(chosen, events, numbers),
        _people(chosen, numbers),
        _sources_markdown(sources),
    ]
    notice = "Mô hình ngôn ngữ không phản hồi; bản tóm tắt được trích xuất." if assistant.llm else None
    return Briefing(topic, date_from, date_to, "\n\n".join(sections), sources, "extractive", notice)


def _articles(assistant: ArchiveAssistant, article_ids: list[str]) -> dict[str, CleanArticle]:
    found = {}
    for article_id in article_ids:
        article = assistant.index.store.clean_article(article_id)
        if article is not None:
            found[article_id] = article
    return found


def _distinct_stories(articles: list[CleanArticle]) -> list[CleanArticle]:
    """One article per story: the same headline on the same day is the same article saved twice."""
    seen: set[tuple[str, date | None]] = set()
    distinct = []
    for article in articles:
        key = (" ".join(fold_accents(article.title).lower().split()), article.metadata.published_date)
        if key not in seen:
            seen.add(key)
            distinct.append(article)
    return distinct


def _header(topic: str, date_from: date | None, date_to: date | None) -> str:
    return f"# Bản tóm tắt nhanh: {topic}{period_text(date_from, date_to)}"


def period_text(date_from: date | None, date_to: date | None) -> str:
    """ " (01/01/2019 – 31/12/2019)", or "" without a period."""
    if not (date_from or date_to):
        return ""
    return f" ({_vn(date_from) or '…'} – {_vn(date_to) or '…'})"


def period_covered(date_from: date | None, date_to: date | None, articles: list[CleanArticle]) -> str:
    """The period asked for, else the span of the sources' publication dates."""
    if date_from or date_to:
        return f"{_vn(date_from) or '…'} – {_vn(date_to) or '…'}"
    dates = sorted(a.metadata.published_date for a in articles if a.metadata.published_date)
    if not dates:
        return "toàn bộ kho lưu trữ"
    return f"{_vn(dates[0])} – {_vn(dates[-1])} (theo ngày đăng của các bài)"


def _numbering_by_date(articles: list[CleanArticle]) -> dict[str, int]:
    """Sources are numbered in date order (undated last), so the timeline reads [1], [2], [3] …"""
    ordered = sorted(articles, key=lambda a: a.metadata.published_date or date.max)
    return {article.article_id: n for n, article in enumerate(ordered, start=1)}


def _summary(
    articles: list[CleanArticle],
    events: dict[str, list[EventLine]],
    importance: dict[str, float],
    numbers: dict[str, int],
) -> str:
    """The best event of each of the most central articles; more events of them when fewer than three
    articles report one; the most recent event first."""
    fewest, most = SUMMARY_BULLETS
    ranked = sorted(articles, key=lambda a: -importance.get(a.article_id, 0.0))
    picked: list[EventLine] = [events[a.article_id][0] for a in ranked if events[a.article_id]][:most]
    for article in ranked:
        for event in events[article.article_id][1:]:
            if len(picked) >= fewest:
                break
            if all(_different(event, other) for other in picked):
                picked.append(event)
    if len(picked) < fewest:  # articles without any event sentence: their lead says what they report
        covered = {event.article_id for event in picked}
        for article in ranked:
            if article.article_id not in covered and len(picked) < fewest:
                picked.append(lead_line(article.article_id, article.text, article.metadata.published_date))
    published = {a.article_id: a.metadata.published_date for a in articles}
    picked.sort(
        key=lambda e: (e.when or published[e.article_id] or date.min, importance.get(e.article_id, 0.0)),
        reverse=True,
    )
    bullets = [f"- {event.sentence} [{numbers[event.article_id]}]" for event in picked]
    return "## Tóm tắt\n\n" + "\n".join(bullets)


def _different(event: EventLine, other: EventLine) -> bool:
    """Two events, not one told twice: another article, or another date (the same sentence when undated)."""
    if event.article_id != other.article_id:
        return True
    if event.when is None or other.when is None:
        return event.sentence != other.sentence
    return event.when != other.when


def _timeline(
    articles: list[CleanArticle], events: dict[str, list[EventLine]], numbers: dict[str, int]
) -> str:
    lines: list[tuple[date, int, str]] = []
    for article in articles:
        n, published = numbers[article.article_id], article.metadata.published_date
        dated: dict[date, EventLine] = {}
        for event in events[article.article_id]:
            if event.when is not None and event.when not in dated and len(dated) < MAX_EVENTS_PER_ARTICLE:
                dated[event.when] = event
        for when, event in dated.items():
            lines.append((when, n, f"- **{event.when_text}** — {event.body} [{n}]"))
        if dated:
            continue
        best = (events[article.article_id] or [lead_line(article.article_id, article.text, published)])[0]
        if published is None:
            note = (
                " (bài không ghi ngày đăng: mốc thời gian giữ như trong bài)"
                if _unresolved(best.sentence)
                else ""
            )
            lines.append((date.max, n, f"- **Không rõ ngày** — {best.sentence}{note} [{n}]"))
        else:
            lines.append((published, n, f"- **{_short(published)} (ngày đăng)** — {best.sentence} [{n}]"))
    lines.sort(key=lambda line: (line[0], line[1]))
    # The same event quoted by two articles (a shared list of headlines) is one line, of the first.
    seen: set[str] = set()
    kept = []
    for _, _, line in lines:
        without_number = re.sub(r" \[\d+\]$", "", line)
        if without_number not in seen:
            seen.add(without_number)
            kept.append(line)
    return "## Diễn biến theo thời gian\n\n" + "\n".join(kept)


def _unresolved(sentence: str) -> bool:
    return any(m.relative and m.value is None for m in find_date_mentions(sentence, None))


def _people(articles: list[CleanArticle], numbers: dict[str, int]) -> str:
    people: dict[str, tuple[str, set[int]]] = {}
    organisations: dict[str, set[int]] = {}
    for article in sorted(articles, key=lambda a: numbers[a.article_id]):
        n = numbers[article.article_id]
        for name, role in people_in(article.text):
            known_role, cited = people.get(name, (role, set()))
            people[name] = (known_role or role, cited | {n})
        for organisation in organisations_in(article.text):
            organisations.setdefault(organisation, set()).add(n)
    lines = [
        f"- **{name}**" + (f" — {role}" if role else "") + " " + _markers(cited)
        for name, (role, cited) in people.items()
    ]
    organisations = _without_shorter_forms(organisations)
    top_organisations = sorted(organisations.items(), key=lambda item: (-len(item[1]), item[0]))[:12]
    lines += [f"- {name} {_markers(cited)}" for name, cited in top_organisations]
    if not lines:
        lines = ["- Các bài không nêu rõ nhân vật hay tổ chức."]
    return "## Nhân vật và tổ chức\n\n" + "\n".join(lines)


def _without_shorter_forms(organisations: dict[str, set[int]]) -> dict[str, set[int]]:
    """Drop "Liên hiệp các tổ chức hữu nghị" when its longer forms ("… Việt Nam", "… tỉnh Vĩnh Phúc")
    are listed and cite every article it is cited for."""
    kept = {}
    for name, cited in organisations.items():
        longer = [other for other in organisations if other != name and other.startswith(name + " ")]
        covered = set().union(*(organisations[other] for other in longer))
        if not longer or not cited <= covered:
            kept[name] = cited
    return kept


def _source(article: CleanArticle, n: int) -> BriefingSource:
    meta = article.metadata
    return BriefingSource(n, article.article_id, article.title, meta.published_date, meta.outlet, meta.url)


def _sources_markdown(sources: list[BriefingSource]) -> str:
    lines = []
    for s in sources:
        parts = [f"[{s.n}] {s.title}", _vn(s.published_date) or "không rõ ngày"]
        if s.outlet:
            parts.append(s.outlet)
        if s.url:
            parts.append(s.url)
        lines.append(" — ".join(parts))
    return "## Nguồn\n\n" + "\n".join(f"{line}  " for line in lines)


def _markers(numbers: set[int]) -> str:
    return "".join(f"[{n}]" for n in sorted(numbers))


def _vn(value: date | None) -> str | None:
    return f"{value:%d/%m/%Y}" if value else None


def _short(value: date) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def export_briefing(briefing: Briefing, path: Path) -> Path:
    """Write the briefing as `.md` or `.docx` (chosen by the file's extension)."""
    from assistant.briefing.export import write_docx
    from assistant.inert_markdown import markdown_file_text

    suffix = path.suffix.lower()
    if suffix == ".md":
        # Article and LLM text is escaped for any Markdown viewer: no image, raw HTML or hidden link.
        path.write_text(markdown_file_text(briefing.markdown) + "\n", encoding="utf-8")
    elif suffix == ".docx":
        write_docx(briefing, path)
    else:
        raise ValueError(f"Chỉ xuất được tệp .md hoặc .docx, không phải «{path.suffix}».")
    return path
