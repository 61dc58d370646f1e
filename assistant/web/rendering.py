"""HTML of the sources panel: one card per cited article, so a reader can check a claim in seconds.

Every piece of article text (headline, byline, quote, full text) is HTML-escaped here: scraped pages may
contain `<script>` or markup, and it must be shown literally, never executed or rendered. Cards carry the
id `nguon-{turn}-{n}` that the `[n]` links of the turn's answer point to; earlier turns keep their cards
(below the newest) so the links of earlier answers still lead to their own sources.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.answering.answer_models import Answer, Citation
from assistant.web.form_values import vn_date

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
            _card(turn, citation, article_texts.get(citation.article_id)) for citation in answer.citations
        )
    else:
        body = _no_citations(answer)
    return f"<section class='nguon-luot' id='luot-{turn}'>{heading}{body}</section>"


def _no_citations(answer: Answer) -> str:
    if not answer.suggestions:
        return "<div class='nguon-trong'>Câu trả lời này không trích dẫn bài nào.</div>"
    items = "".join(
        f"<li>{html.escape(s.title)} <span class='nguon-ngay'>({vn_date(s.published_date)})</span></li>"
        for s in answer.suggestions
    )
    return f"<div class='nguon-trong'>Không có bài nào trả lời đúng câu hỏi. Các bài gần nhất:<ul>{items}</ul></div>"


def _card(turn: int, citation: Citation, article_text: str | None) -> str:
    span = locate_quote(article_text or "", citation)
    if article_text and span:
        passage = highlighted_paragraph(article_text, span)
        full_text = _full_text(article_text, span)
    else:
        passage = f"<mark>{html.escape(citation.quote)}</mark>" if citation.quote else ""
        full_text = _full_text(article_text, None) if article_text else ""
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


def locate_quote(article_text: str, citation: Citation) -> tuple[int, int] | None:
    """The quote's span in the article: the citation's span when it really holds the quote, else the
    first place the quote occurs, else None (the article changed since the answer, or the quote is
    paraphrased)."""
    if not article_text:
        return None
    if citation.span:
        start, end = citation.span
        if 0 <= start < end <= len(article_text) and (
            not citation.quote or _squeeze(article_text[start:end]) == _squeeze(citation.quote)
        ):
            return start, end
    quote = citation.quote.strip()
    found = article_text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def highlighted_paragraph(article_text: str, span: tuple[int, int]) -> str:
    """The paragraph(s) holding `span`, escaped, with the span in <mark>; long context is trimmed."""
    start, end = span
    paragraph_start = article_text.rfind("\n", 0, start) + 1
    paragraph_end = article_text.find("\n", end)
    paragraph_end = len(article_text) if paragraph_end < 0 else paragraph_end
    before = article_text[paragraph_start:start]
    after = article_text[end:paragraph_end]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return html.escape(before) + f"<mark>{html.escape(article_text[start:end])}</mark>" + html.escape(after)


def _full_text(article_text: str, span: tuple[int, int] | None) -> str:
    """The clean article as escaped paragraphs, the quoted passage marked."""
    if span:
        start, end = span
        marked = (
            html.escape(article_text[:start])
            + "\x00"
            + html.escape(article_text[start:end])
            + "\x01"
            + html.escape(article_text[end:])
        )
    else:
        marked = html.escape(article_text)
    paragraphs = [p.strip() for p in re.split(r"\n+", marked) if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    # A quote spanning paragraphs: close and reopen <mark> at each paragraph edge to keep HTML valid.
    if "\x00" in body:
        head, rest = body.split("\x00", 1)
        quoted, tail = rest.split("\x01", 1)
        quoted = quoted.replace("</p><p>", "</mark></p><p><mark>")
        body = f"{head}<mark>{quoted}</mark>{tail}"
    return f"<div class='toan-van-noi-dung'>{body}</div>"
