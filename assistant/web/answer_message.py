"""The chat bubble of an answer: header (filters, the question's period), notice, the short answer in
bold, the supporting text with every `[n]` linked to its source card (its tooltip is the quote), then up
to three follow-up questions to ask with a click. The mode ("Chế độ: …") is in the page header only.

The follow-ups carry the class `ngoai-ban-sao`: "Sao chép kèm nguồn" leaves them out (the header's
filters and period stay: they qualify the answer). A refusal's nearest articles are links to their cards
in the sources panel.

The chatbot renders Markdown and sanitises HTML; on top of that all answer text is HTML-escaped and its
Markdown images and links made inert here (`assistant/inert_markdown.py`), because extractive answers are
verbatim article sentences, a scraped page may contain markup, and an LLM may repeat a planted image.

Two periods are kept apart because they act differently: the user's filter ("Lọc: …") is hard, while the
period the question names ("… năm 2022") is only matched softly against the dates the articles state. The
latter is shown as a chip whose ✕ re-asks without it (only on the newest answer: see `without_chip_control`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date

from assistant.answering.answer_models import Answer, Citation
from assistant.answering.citation_markers import NOT_VERIFIED
from assistant.answering.follow_up_suggestions import follow_up_suggestions
from assistant.inert_markdown import inert_html_markdown
from assistant.web.form_values import describe_filters, period_label, vn_date
from assistant.web.quoted_spans import cited_segments, supporting_span
from assistant.web.rendering import card_anchor, nearest_anchor
from vectorstore.hybrid_retriever import RetrievalFilters

_MARKER = re.compile(r"\[(\d+)\]")
_UNVERIFIED = f"({NOT_VERIFIED})"
_UNVERIFIED_TITLE = "Câu này không kiểm chứng được với bài nguồn: hãy đối chiếu với bài gốc"
WAITING = "Đang tìm trong kho lưu trữ…"
FOLLOW_UPS_LABEL = "Hỏi tiếp"
NOT_COPIED = "ngoai-ban-sao"  # parts "Sao chép kèm nguồn" leaves out (page_assets.COPY_ANSWER_JS)
MAX_TOOLTIP_QUOTE = 400
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


def answer_markdown(
    answer: Answer,
    turn: int,
    chosen: RetrievalFilters,
    *,
    dropped_period: str = "",
    article_texts: Mapping[str, str] | None = None,
) -> str:
    """The final bubble. `chosen` are the user's form filters; `dropped_period` is the question's period
    the user removed with the chip (this answer was re-asked without it). `article_texts` (article id ->
    text) lets each `[n]` tooltip quote the very sentence it stands for; without it, the citation's quote."""
    lines: list[str] = []
    header = header_html(answer, chosen, dropped_period=dropped_period)
    if header:
        lines.append(f"<small>{header}</small>")
    standalone = " ".join(answer.standalone_question.split())
    if standalone and standalone != " ".join(answer.question.split()):
        # A follow-up was rewritten from the history: show how, so a wrong reading is easy to spot.
        lines.append(f"<small>Hiểu câu hỏi là: «{escape_text(standalone)}»</small>")
    if answer.notice:
        lines.append(f"> ⚠️ {escape_text(answer.notice)}")
    texts = article_texts or {}
    short = " ".join((answer.short_answer or "").split())
    if short:
        lines.append(f'<strong class="tra-loi-ngan">{_linked(short, turn, answer, texts)}</strong>')
    if answer.text.strip():
        lines.append(_with_nearest_links(_linked(answer.text, turn, answer, texts), turn, answer))
    follow_ups = follow_ups_html(follow_up_suggestions(answer, article_texts=texts))
    if follow_ups:
        lines.append(follow_ups)
    # The 👍 / 👎 of an answer are the chatbot's own feedback icons (web/feedback_controls.py); any other
    # per-answer control belongs here, after the follow-ups, with the class NOT_COPIED.
    return "\n\n".join(lines)


def follow_ups_html(questions: list[str]) -> str:
    """The follow-up questions as links the page script turns into "type it and send"
    (page_assets.PAGE_LINKS_JS); "" when there are none."""
    if not questions:
        return ""
    links = " ".join(
        f'<a href="#cau-hoi" class="hoi-tiep" title="Hỏi câu này">{escape_text(question)}</a>'
        for question in questions
    )
    return f'<div class="goi-y-hoi-tiep {NOT_COPIED}"><span>{FOLLOW_UPS_LABEL}:</span> {links}</div>'


def _linked(text: str, turn: int, answer: Answer, article_texts: Mapping[str, str]) -> str:
    """`text` escaped, each `[n]` of a cited source linked to its card with the quote as its tooltip
    (others left as typed), and the citation checker's «(chưa kiểm chứng)» after a sentence it could not
    verify emphasised."""
    cited = {citation.n: citation for citation in answer.citations}
    tooltips = iter(_marker_tooltips(text, answer, cited, article_texts))

    def link(match: re.Match[str]) -> str:
        tooltip = next(tooltips, "")
        citation = cited.get(int(match.group(1)))
        if citation is None:
            return match.group(0)
        title = html.escape(tooltip or _tooltip(citation, citation.quote), quote=True)
        return (
            f'<a href="#{card_anchor(turn, citation.n)}" class="trich-dan" title="{title}">[{citation.n}]</a>'
        )

    linked = _MARKER.sub(link, escape_text(text))
    return linked.replace(
        _UNVERIFIED, f'<em class="chua-kiem-chung" title="{_UNVERIFIED_TITLE}">{_UNVERIFIED}</em>'
    )


def _marker_tooltips(
    text: str, answer: Answer, cited: dict[int, Citation], article_texts: Mapping[str, str]
) -> list[str]:
    """One tooltip per `[n]` of `text`, in order: the source and the passage that sentence quotes (the
    sentence itself as the article has it, else the quoted passage closest to it, else the citation's
    quote)."""
    tooltips: list[str] = []
    for segment in cited_segments(text):
        for n in segment.numbers:
            citation = cited.get(n)
            if citation is None:
                tooltips.append("")
                continue
            article = article_texts.get(citation.article_id, "")
            span = supporting_span(article, answer, citation, segment)
            tooltips.append(_tooltip(citation, article[span[0] : span[1]] if span else citation.quote))
    # One per marker; should escaping ever change the markers, each link falls back to its citation's quote.
    return tooltips if len(tooltips) == len(_MARKER.findall(text)) else []


def _tooltip(citation: Citation, quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) > MAX_TOOLTIP_QUOTE:
        quote = quote[:MAX_TOOLTIP_QUOTE].rsplit(" ", 1)[0] + "…"
    source = f"[{citation.n}] {citation.title} ({vn_date(citation.published_date)})"
    return f"{source}: «{quote}»" if quote else source


def _with_nearest_links(shown: str, turn: int, answer: Answer) -> str:
    """A refusal's «headline» of each nearest article made a link to its card in the sources panel."""
    if answer.found or not answer.suggestions:
        return shown
    position = 0  # after the last link put in: two nearest articles may share a headline
    for k, suggestion in enumerate(answer.suggestions, start=1):
        title = escape_text(f"«{suggestion.title}»")
        link = (
            f'<a href="#{nearest_anchor(turn, k)}" class="bai-gan-nhat" '
            f'title="Mở bài này trong khung nguồn">{title}</a>'
        )
        found = shown.find(title, position)
        if found < 0:
            shown, position = f"{shown}<br>{link}", len(shown) + 4 + len(link)
        else:
            shown = shown[:found] + link + shown[found + len(title) :]
            position = found + len(link)
    return shown


def header_html(answer: Answer, chosen: RetrievalFilters, *, dropped_period: str = "") -> str:
    """The header line, escaped, with the question's period as a removable chip."""
    # Outlet and category names come from article metadata: inert like the answer text.
    parts = [escape_text(part) for part in _header_parts(chosen, dropped_period)]
    period = period_label(*question_period(answer))
    if period:
        parts.append(
            f'<span class="chip-thoi-gian">{QUESTION_PERIOD}: {escape_text(period)}{_CHIP_CONTROL}</span>'
        )
    return " · ".join(parts)


def _header_parts(chosen: RetrievalFilters, dropped_period: str) -> list[str]:
    parts = []
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
