"""Quick briefings: a topic and a date range -> Markdown with cited summary, timeline, people, sources.

Offline it is assembled from the articles' own sentences (lead sentences for the timeline, named people
with the role the article gives them); every line carries the `[n]` of its article, and **Nguồn** lists
the articles in citation order. Export keeps the markers and the numbered sources (`.md`, `.docx`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.answering.answer_models import SourcePassage
from assistant.answering.extractive_answerer import extract_answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.briefing.extraction import lead_sentence, organisations_in, people_in
from assistant.question.analysis import QuestionAnalysis, analyse_question
from vectorstore.hybrid_retriever import RetrievalFilters

logger = logging.getLogger(__name__)

MAX_ARTICLES = 8


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
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "markdown": self.markdown,
            "sources": [s.__dict__ | {"published_date": _iso(s.published_date)} for s in self.sources],
            "mode": self.mode,
            "notice": self.notice,
        }


def write_briefing(
    assistant: ArchiveAssistant, topic: str, date_from: date | None = None, date_to: date | None = None
) -> Briefing:
    filters = RetrievalFilters(date_from=date_from, date_to=date_to)
    result = assistant.retriever.search(topic, filters, MAX_ARTICLES)
    passages = assistant._passages(result)
    header = _header(topic, date_from, date_to)
    if not passages:
        text = f"{header}\n\nKhông tìm thấy bài nào về chủ đề này trong khoảng thời gian đã chọn."
        return Briefing(topic, date_from, date_to, text)
    articles = {p.article_id: assistant.index.store.clean_article(p.article_id) for p in passages}
    numbers = _numbering_by_date(passages)
    sources = _sources(passages, numbers)
    if assistant.llm is not None:
        body = assistant.llm.briefing(topic, header, passages, numbers)
        if body is not None:
            return Briefing(
                topic, date_from, date_to, f"{body}\n\n{_sources_markdown(sources)}", sources, "llm"
            )
    analysis = analyse_question(topic)
    body = "\n\n".join(
        [
            header,
            _summary(analysis, topic, passages, numbers),
            _timeline(passages, articles, numbers),
            _people(articles, numbers),
            _sources_markdown(sources),
        ]
    )
    notice = "Mô hình ngôn ngữ không phản hồi; bản tóm tắt được trích xuất." if assistant.llm else None
    return Briefing(topic, date_from, date_to, body, sources, "extractive", notice)


def _header(topic: str, date_from: date | None, date_to: date | None) -> str:
    period = ""
    if date_from or date_to:
        period = f" ({_vn(date_from) or '…'} – {_vn(date_to) or '…'})"
    return f"# Bản tóm tắt nhanh: {topic}{period}"


def _numbering_by_date(passages: list[SourcePassage]) -> dict[str, int]:
    """Sources are numbered in date order, so the timeline reads [1], [2], [3]..."""
    firsts = {p.article_id: p for p in reversed(passages)}
    ordered = sorted(firsts.values(), key=lambda p: (p.published_date or date.max, p.n))
    return {p.article_id: i + 1 for i, p in enumerate(ordered)}


def _summary(
    analysis: QuestionAnalysis, topic: str, passages: list[SourcePassage], numbers: dict[str, int]
) -> str:
    listing = QuestionAnalysis("list", analysis.content_terms or topic.lower().split())
    extracted = extract_answer(listing, topic, passages, None, max_items=5)
    bullets = [f"- {c.text} [{numbers[c.passage.article_id]}]" for c in extracted.sentences[:5]]
    if len(bullets) < 3:  # too few topical sentences: fall back to the articles' leads
        for passage in passages:
            line = f"- {passage.title} [{numbers[passage.article_id]}]"
            if len(bullets) >= 3:
                break
            if all(f"[{numbers[passage.article_id]}]" not in b for b in bullets):
                bullets.append(line)
    return "## Tóm tắt\n\n" + "\n".join(bullets)


def _timeline(passages: list[SourcePassage], articles: dict, numbers: dict[str, int]) -> str:
    lines = []
    for article_id, n in sorted(numbers.items(), key=lambda item: item[1]):
        article = articles.get(article_id)
        if article is None:
            continue
        when = _vn(article.metadata.published_date) or "không rõ ngày"
        lines.append(f"- **{when}** — {article.title}: {lead_sentence(article.text)} [{n}]")
    return "## Diễn biến theo thời gian\n\n" + "\n".join(lines)


def _people(articles: dict, numbers: dict[str, int]) -> str:
    people: dict[str, tuple[str, set[int]]] = {}
    organisations: dict[str, set[int]] = {}
    for article_id, n in numbers.items():
        article = articles.get(article_id)
        if article is None:
            continue
        for name, role in people_in(article.text):
            known_role, cited = people.get(name, (role, set()))
            people[name] = (known_role or role, cited | {n})
        for organisation in organisations_in(article.text):
            organisations.setdefault(organisation, set()).add(n)
    lines = [
        f"- **{name}**" + (f" — {role}" if role else "") + " " + _markers(cited)
        for name, (role, cited) in people.items()
    ]
    top_organisations = sorted(organisations.items(), key=lambda item: (-len(item[1]), item[0]))[:12]
    lines += [f"- {name} {_markers(cited)}" for name, cited in top_organisations]
    if not lines:
        lines = ["- Các bài không nêu rõ nhân vật hay tổ chức."]
    return "## Nhân vật và tổ chức\n\n" + "\n".join(lines)


def _sources(passages: list[SourcePassage], numbers: dict[str, int]) -> list[BriefingSource]:
    firsts = {p.article_id: p for p in reversed(passages)}
    return sorted(
        (
            BriefingSource(numbers[a], a, p.title, p.published_date, p.outlet, p.url)
            for a, p in firsts.items()
        ),
        key=lambda s: s.n,
    )


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


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def export_briefing(briefing: Briefing, path: Path) -> Path:
    """Write the briefing as `.md` or `.docx` (chosen by the file's extension)."""
    from assistant.briefing.export import write_docx

    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(briefing.markdown + "\n", encoding="utf-8")
    elif suffix == ".docx":
        write_docx(briefing.markdown, path)
    else:
        raise ValueError(f"Chỉ xuất được tệp .md hoặc .docx, không phải «{path.suffix}».")
    return path
