"""HTML of the sources panel: one card per cited article, so a reader can check a claim in seconds.

Every piece of article text (headline, byline, quote, full text) is HTML-escaped here: scraped pages may
contain `<script>` or markup, and it must be shown literally, never executed or rendered. Cards carry the
id `nguon-{turn}-{n}` that the `[n]` links of the turn's answer point to; earlier turns keep their cards
(below the newest) so the links of earlier answers still lead to their own sources. Every span the answer
quotes from an article is marked (`quoted_spans`), in the card's excerpt and in its full text. A refusal's
nearest articles are cards too (`gan-nhat-{turn}-{k}`), which the bubble's article titles link to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.answering.answer_models import Answer, Citation, Suggestion
from assistant.web.form_values import vn_date
from assistant.web.quoted_spans import quoted_spans

EMPTY_PANEL = (
    "<div class='nguon-trong'>Nguồn trích dẫn của câu trả lời sẽ hiện ở đây: tiêu đề bài, ngày đăng, "
    "đường dẫn tới bài gốc và đoạn văn được trích.</div>"
)
# Longest stretch of a paragraph shown around a quote; the full text is one click away.
CONTEXT_CHARS = 320
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


def card_anchor(turn: int, n: int) -> str:
    """Element id of source `[n]` of conversation turn `turn` (1-based)."""
    return f"nguon-{turn}-{n}"


def nearest_anchor(turn: int, k: int) -> str:
    """Element id of the `k`-th (1-based) nearest article a refusal of turn `turn` offers."""
    return f"gan-nhat-{turn}-{k}"


def sources_panel(sections: Sequence[str]) -> str:
    """The panel: turn sections newest first (as produced by `sources_section`), or the placeholder."""
    if not sections:
        return EMPTY_PANEL
    return "<div class='nguon-panel'>" + "".join(reversed(sections)) + "</div>"


def sources_section(turn: int, answer: Answer, article_texts: dict[str, str]) -> str:
    """The cards of one answer, under the question they answer."""
    heading = f"<div class='nguon-cau-hoi'>Câu hỏi {turn}: «{html.escape(answer.question)}»</div>"
    if answer.citations:
        body = "".join(
            _card(turn, answer, citation, article_texts.get(citation.article_id))
            for citation in answer.citations
        )
    else:
        body = _no_citations(turn, answer, article_texts)
    return f"<section class='nguon-luot' id='luot-{turn}'>{heading}{body}</section>"


def _no_citations(turn: int, answer: Answer, article_texts: dict[str, str]) -> str:
    if not answer.suggestions:
        return "<div class='nguon-trong'>Câu trả lời này không trích dẫn bài nào.</div>"
    cards = "".join(
        _nearest_card(turn, k, suggestion, article_texts.get(suggestion.article_id))
        for k, suggestion in enumerate(answer.suggestions, start=1)
    )
    return f"<div class='nguon-trong'>Không có bài nào trả lời đúng câu hỏi. Các bài gần nhất:</div>{cards}"


def _nearest_card(turn: int, k: int, suggestion: Suggestion, article_text: str | None) -> str:
    """A nearest article: headline and date, its opening lines, the full text one click away."""
    lead = ""
    if article_text:
        first = next((p.strip() for p in article_text.split("\n") if p.strip()), "")
        shown = first if len(first) <= CONTEXT_CHARS else first[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
        lead = f"<div class='nguon-mo-dau'>{html.escape(shown)}</div>"
    details = (
        f"<details class='toan-van'><summary>Xem toàn văn</summary>{_full_text(article_text, [])}</details>"
        if article_text
        else ""
    )
    return (
        f"<article class='nguon nguon-gan-nhat' id='{nearest_anchor(turn, k)}' "
        f"data-ma-bai='{html.escape(suggestion.article_id, quote=True)}'>"
        f"<div class='nguon-tieu-de'>{html.escape(suggestion.title)}</div>"
        f"<div class='nguon-ngay'>{vn_date(suggestion.published_date)}</div>"
        f"{lead}{details}</article>"
    )


def _card(turn: int, answer: Answer, citation: Citation, article_text: str | None) -> str:
    spans = quoted_spans(article_text or "", answer, citation)
    if article_text and spans:
        passage = highlighted_excerpt(article_text, spans)
        full_text = _full_text(article_text, spans)
    else:
        passage = f"<mark>{html.escape(citation.quote)}</mark>" if citation.quote else ""
        full_text = _full_text(article_text, []) if article_text else ""
    byline = " · ".join(html.escape(part) for part in (citation.outlet, citation.author) if part)
    url = citation.url if citation.url and _SAFE_URL.match(citation.url) else None
    link = (
        f"<a class='nguon-link' href='{html.escape(url, quote=True)}' target='_blank' "
        f"rel='noopener noreferrer'>{html.escape(url)}</a>"
        if url
        else "<span class='nguon-link'>Không có đường dẫn bài gốc.</span>"
    )
    details = (
        f"<details class='toan-van'><summary>Xem toàn văn</summary>{full_text}</details>"
        if full_text
        else "<div class='nguon-trong'>Bài gốc không còn trong kho.</div>"
    )
    return (
        f"<article class='nguon' id='{card_anchor(turn, citation.n)}' "
        f"data-ma-bai='{html.escape(citation.article_id, quote=True)}'>"
        f"<div class='nguon-tieu-de'><span class='nguon-so'>[{citation.n}]</span> "
        f"{html.escape(citation.title)}</div>"
        f"<div class='nguon-ngay'>{vn_date(citation.published_date)}"
        f"{' · ' + byline if byline else ''}</div>"
        f"<div>{link}</div>"
        f"<blockquote class='nguon-trich'>{passage}</blockquote>"
        f"{details}</article>"
    )


def highlighted_excerpt(article_text: str, spans: list[tuple[int, int]]) -> str:
    """The paragraph(s) holding `spans`, escaped, every span in <mark>; long context is trimmed and
    paragraphs without a quote are left out (" … " between the ones shown)."""
    shown = []
    for start, end in _paragraphs(article_text):
        inside = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
        if inside:
            shown.append(_excerpt(article_text, start, end, inside))
    return " <span class='nguon-cach'>…</span> ".join(shown)


def _excerpt(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """Paragraph `text[start:end]` with `spans` marked; context before the first and after the last span,
    and long stretches between two spans, cut to CONTEXT_CHARS around the marks."""
    parts: list[str] = []
    position = start
    for index, (span_start, span_end) in enumerate(spans):
        gap = text[position:span_start]
        if index == 0:
            if len(gap) > CONTEXT_CHARS:
                gap = "…" + gap[-CONTEXT_CHARS:].split(" ", 1)[-1]
        elif len(gap) > 2 * CONTEXT_CHARS:
            gap = gap[:CONTEXT_CHARS].rsplit(" ", 1)[0] + " … " + gap[-CONTEXT_CHARS:].split(" ", 1)[-1]
        parts.append(html.escape(gap) + f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    after = text[position:end]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return "".join(parts) + html.escape(after)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of the article, surrounding spaces left out."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group().strip()
        if stripped:
            start = match.start() + match.group().index(stripped)
            found.append((start, start + len(stripped)))
    return found


def _full_text(article_text: str, spans: list[tuple[int, int]]) -> str:
    """The clean article as escaped paragraphs, every quoted span marked in place (a span that runs over
    a paragraph break is closed and reopened, so the HTML stays valid)."""
    body = []
    for start, end in _paragraphs(article_text):
        inside = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
        pieces, position = [], start
        for span_start, span_end in inside:
            pieces.append(html.escape(article_text[position:span_start]))
            pieces.append(f"<mark>{html.escape(article_text[span_start:span_end])}</mark>")
            position = span_end
        pieces.append(html.escape(article_text[position:end]))
        body.append(f"<p>{''.join(pieces)}</p>")
    return f"<div class='toan-van-noi-dung'>{''.join(body)}</div>"
