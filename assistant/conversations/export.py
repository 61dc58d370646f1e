"""A kept conversation as a `.md` or `.docx` file a staff member can file or mail.

Each answer cites its own sources `[1]`, `[2]` …, so the same number means different articles in different
turns. The export numbers the articles once for the whole conversation (in the order they are first
cited; an article cited again keeps its number), rewrites each answer's markers to those numbers and ends
with one **Nguồn** list. The Word file is written by the briefing exporter, so it has the same
conventions: author «Trợ lý tra cứu lưu trữ», created now, the sources as a real numbered list "[1]" ….
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from assistant.answering.answer_models import Answer, Citation
from assistant.briefing.topic_briefing import Briefing, export_briefing
from assistant.conversations.store import StoredTurn

EXPORT_FORMATS = (".docx", ".md")
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class NumberedSource:
    n: int
    citation: Citation


def conversation_markdown(title: str, turns: Sequence[StoredTurn], exported: datetime | None = None) -> str:
    """The conversation as Markdown: title, one section per question, then the numbered sources."""
    numbers: dict[str, int] = {}  # article id -> number in the export
    sources: list[NumberedSource] = []
    moment = exported or datetime.now()
    lines = [
        f"# {title}",
        "",
        f"Cuộc trò chuyện với Trợ lý tra cứu lưu trữ: {len(turns)} câu hỏi, xuất lúc "
        f"{moment:%H:%M ngày %d/%m/%Y}.",
    ]
    for position, turn in enumerate(turns, start=1):
        renumber = _renumbering(turn.answer, numbers, sources)
        lines += ["", f"## Câu hỏi {position}: {_one_line(turn.question)}", ""]
        if turn.dropped_period:
            lines += [f"*Đã bỏ thời gian theo câu hỏi ({turn.dropped_period}).*", ""]
        short = _one_line(turn.answer.short_answer or "")
        if short:
            lines += [f"**{renumber(short)}**", ""]
        lines += [renumber(line) for line in turn.answer.text.splitlines() if line.strip()]
    if sources:
        lines += ["", "## Nguồn", ""]
        lines += [f"{_source_line(source)}  " for source in sources]
    return "\n".join(lines).rstrip() + "\n"


def export_conversation(title: str, turns: Sequence[StoredTurn], path: Path) -> Path:
    """Writes `.md` or `.docx` (by the file's extension)."""
    markdown = conversation_markdown(title, turns)
    return export_briefing(Briefing(topic=title, date_from=None, date_to=None, markdown=markdown), path)


def _renumbering(
    answer: Answer, numbers: dict[str, int], sources: list[NumberedSource]
) -> Callable[[str], str]:
    """A function rewriting this answer's `[n]` to the export's numbers (new articles are appended)."""
    local: dict[int, int] = {}
    for citation in sorted(answer.citations, key=lambda c: c.n):
        if citation.article_id not in numbers:
            numbers[citation.article_id] = len(numbers) + 1
            sources.append(NumberedSource(numbers[citation.article_id], citation))
        local[citation.n] = numbers[citation.article_id]

    def renumber(text: str) -> str:
        return _MARKER.sub(
            lambda m: f"[{local[int(m.group(1))]}]" if int(m.group(1)) in local else m.group(0), text
        )

    return renumber


def _source_line(source: NumberedSource) -> str:
    citation = source.citation
    parts = [f"[{source.n}] {_one_line(citation.title)}", _vn_date(citation.published_date)]
    if citation.outlet:
        parts.append(citation.outlet)
    if citation.url:
        parts.append(citation.url)
    return " — ".join(parts)


def _vn_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "không rõ ngày"


def _one_line(text: str) -> str:
    return " ".join(text.split())
