"""The chat bubble of an answer: header (mode, filters, the question's period), notice, the short answer in
bold, then the supporting text, every `[n]` linked to its source card.

The chatbot renders Markdown and sanitises HTML; on top of that all answer text is HTML-escaped and its
Markdown images and links made inert here (`assistant/inert_markdown.py`), because extractive answers are
verbatim article sentences, a scraped page may contain markup, and an LLM may repeat a planted image.

Two periods are kept apart because they act differently: the user's filter ("Lọc: …") is hard, while the
period the question names ("… năm 2022") is only matched softly against the dates the articles state. The
latter is shown as a chip whose ✕ re-asks without it (only on the newest answer: see `without_chip_control`).
"""

from __future__ import annotations

import re
from datetime import date

from assistant.answering.answer_models import Answer
from assistant.answering.citation_markers import NOT_VERIFIED
from assistant.inert_markdown import inert_html_markdown
from assistant.web.form_values import describe_filters, period_label
from assistant.web.rendering import card_anchor
from vectorstore.hybrid_retriever import RetrievalFilters

_MARKER = re.compile(r"\[(\d+)\]")
_UNVERIFIED = f"({NOT_VERIFIED})"
_UNVERIFIED_TITLE = "Câu này không kiểm chứng được với bài nguồn: hãy đối chiếu với bài gốc"
WAITING = "Đang tìm trong kho lưu trữ…"
QUESTION_PERIOD = "Thời gian theo câu hỏi"
DROP_PERIOD_LABEL = "Bỏ thời gian theo câu hỏi"
# The ✕ of the chip: an empty link (its glyph comes from CSS, so copied text stays clean) that the page
# script turns into a click on the real "Bỏ thời gian theo câu hỏi" button.
_CHIP_CONTROL = (
    f'<a href="#bo-thoi-gian-cau-hoi" class="bo-thoi-gian" title="{DROP_PERIOD_LABEL} rồi hỏi lại" '
    f'aria-label="{DROP_PERIOD_LABEL}"></a>'
)


def escape_text(text: str) -> str:
    """Answer text shown literally: HTML escaped and Markdown images/links/autolinks made inert (lists and
    emphasis still work), so article or LLM text can never make the browser fetch an outside URL."""
    return inert_html_markdown(text)


def streaming_markdown(text: str) -> str:
    """What the bubble shows while deltas arrive (markers are linked once the answer is final)."""
    return escape_text(text) if text.strip() else WAITING


def question_period(answer: Answer) -> tuple[date | None, date | None]:
    """The period the question itself names ("… năm 2022"), (None, None) when it names none or the user
    removed it. `answer.date_from/date_to` are only the user's own filter."""
    return answer.question_date_from, answer.question_date_to


def answer_markdown(answer: Answer, turn: int, chosen: RetrievalFilters, *, dropped_period: str = "") -> str:
    """The final bubble. `chosen` are the user's form filters; `dropped_period` is the question's period
    the user removed with the chip (this answer was re-asked without it)."""
    lines = [f"<small>{header_html(answer, chosen, dropped_period=dropped_period)}</small>"]
    standalone = " ".join(answer.standalone_question.split())
    if standalone and standalone != " ".join(answer.question.split()):
        # A follow-up was rewritten from the history: show how, so a wrong reading is easy to spot.
        lines.append(f"<small>Hiểu câu hỏi là: «{escape_text(standalone)}»</small>")
    if answer.notice:
        lines.append(f"> ⚠️ {escape_text(answer.notice)}")
    cited = {citation.n for citation in answer.citations}
    short = " ".join((answer.short_answer or "").split())
    if short:
        lines.append(f'<strong class="tra-loi-ngan">{_linked(short, turn, cited)}</strong>')
    if answer.text.strip():
        lines.append(_linked(answer.text, turn, cited))
    return "\n\n".join(lines)


def _linked(text: str, turn: int, cited: set[int]) -> str:
    """`text` escaped, each `[n]` of a cited source linked to its card (others left as typed), and the
    citation checker's «(chưa kiểm chứng)» after a sentence it could not verify emphasised."""
    linked = _MARKER.sub(
        lambda m: (
            f'<a href="#{card_anchor(turn, int(m.group(1)))}" class="trich-dan">[{m.group(1)}]</a>'
            if int(m.group(1)) in cited
            else m.group(0)
        ),
        escape_text(text),
    )
    return linked.replace(
        _UNVERIFIED, f'<em class="chua-kiem-chung" title="{_UNVERIFIED_TITLE}">{_UNVERIFIED}</em>'
    )


def header_html(answer: Answer, chosen: RetrievalFilters, *, dropped_period: str = "") -> str:
    """The header line, escaped, with the question's period as a removable chip."""
    # Outlet and category names come from article metadata: inert like the answer text.
    parts = [escape_text(part) for part in _header_parts(answer, chosen, dropped_period)]
    period = period_label(*question_period(answer))
    if period:
        parts.append(
            f'<span class="chip-thoi-gian">{QUESTION_PERIOD}: {escape_text(period)}{_CHIP_CONTROL}</span>'
        )
    return " · ".join(parts)


def _header_parts(answer: Answer, chosen: RetrievalFilters, dropped_period: str) -> list[str]:
    parts = [f"Chế độ: {answer.mode}"]
    if chosen.date_from or chosen.date_to:
        parts.append(f"Lọc: {period_label(chosen.date_from, chosen.date_to)}")
    without_dates = RetrievalFilters(category=chosen.category, outlet=chosen.outlet)
    if without_dates.active:
        parts.append(describe_filters(without_dates))
    if dropped_period:
        parts.append(f"Đã bỏ {QUESTION_PERIOD.lower()} ({dropped_period})")
    return parts


def without_chip_control(content: str) -> str:
    """A bubble's Markdown without the chip's ✕: only the newest answer can be re-asked without its
    period (re-asking an older one would rewrite history the later turns were built on)."""
    return content.replace(_CHIP_CONTROL, "")


def error_markdown(message: str) -> str:
    """A failure shown in the bubble (never a stack trace)."""
    return f"⚠️ {escape_text(message)}"
