"""The chat bubble of an answer: header (mode, filters), notice, then the text with linked `[n]` markers.

The chatbot renders Markdown and sanitises HTML; on top of that the answer text is HTML-escaped here,
because extractive answers are verbatim article sentences and a scraped page may contain markup.
"""

from __future__ import annotations

import html
import re

from assistant.answering.answer_models import Answer
from assistant.web.form_values import describe_filters, period_label
from assistant.web.rendering import card_anchor
from vectorstore.hybrid_retriever import RetrievalFilters

_MARKER = re.compile(r"\[(\d+)\]")
WAITING = "Đang tìm trong kho lưu trữ…"


def escape_text(text: str) -> str:
    """Answer text shown literally: HTML escaped (Markdown lists and emphasis still work)."""
    return html.escape(text, quote=False)


def streaming_markdown(text: str) -> str:
    """What the bubble shows while deltas arrive (markers are linked once the answer is final)."""
    return escape_text(text) if text.strip() else WAITING


def answer_markdown(answer: Answer, turn: int, chosen: RetrievalFilters) -> str:
    """The final bubble. `chosen` are the user's form filters, to tell them apart from the period the
    assistant read from the question itself ("năm 2022")."""
    lines = [f"<small>{html.escape(header_line(answer, chosen))}</small>"]
    standalone = " ".join(answer.standalone_question.split())
    if standalone and standalone != " ".join(answer.question.split()):
        # A follow-up was rewritten from the history: show how, so a wrong reading is easy to spot.
        lines.append(f"<small>Hiểu câu hỏi là: «{html.escape(standalone)}»</small>")
    if answer.notice:
        lines.append(f"> ⚠️ {escape_text(answer.notice)}")
    cited = {citation.n for citation in answer.citations}
    lines.append(
        _MARKER.sub(
            lambda m: (
                f'<a href="#{card_anchor(turn, int(m.group(1)))}" class="trich-dan">[{m.group(1)}]</a>'
                if int(m.group(1)) in cited
                else m.group(0)
            ),
            escape_text(answer.text),
        )
    )
    return "\n\n".join(lines)


def header_line(answer: Answer, chosen: RetrievalFilters) -> str:
    """`Chế độ: … · Lọc: dd/mm/yyyy – dd/mm/yyyy · Chuyên mục: …` for the answer's bubble."""
    parts = [f"Chế độ: {answer.mode}"]
    period = period_label(answer.date_from, answer.date_to)
    if chosen.date_from or chosen.date_to:
        parts.append(f"Lọc: {period}" if period else describe_filters(chosen))
    elif period:
        parts.append(f"Thời gian theo câu hỏi: {period}")
    without_dates = RetrievalFilters(category=chosen.category, outlet=chosen.outlet)
    if without_dates.active:
        parts.append(describe_filters(without_dates))
    return " · ".join(parts)


def error_markdown(message: str) -> str:
    """A failure shown in the bubble (never a stack trace)."""
    return f"⚠️ {escape_text(message)}"
