"""HTML and Markdown the web app shows. Article text is always escaped: a scraped page containing
`<script>` or markup is displayed literally, never executed or rendered."""

from __future__ import annotations

import html
import re
from datetime import date

from assistant.answer_models import Answer, Citation
from ingest.report import STATUS_LABELS, IngestReport

_MARKER = re.compile(r"\[(\d+)\]")


def vn_date(value: date | str | None) -> str:
    if value is None:
        return "không rõ ngày"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%d/%m/%Y}"


def answer_markdown(answer: Answer) -> str:
    """Answer text (escaped) with every [n] linking to its source card, plus header and notice lines."""
    body = _MARKER.sub(
        lambda m: f"[[{m.group(1)}]](#nguon-{m.group(1)})", html.escape(answer.text, quote=False)
    )
    lines = [f"*{html.escape(answer.mode)}*" + (f" · *Lọc: {_period(answer)}*" if _period(answer) else "")]
    if answer.notice:
        lines.append(f"> ⚠️ {html.escape(answer.notice)}")
    lines.append(body)
    return "\n\n".join(lines)


def _period(answer: Answer) -> str:
    if not (answer.date_from or answer.date_to):
        return ""
    left = vn_date(answer.date_from) if answer.date_from else "…"
    right = vn_date(answer.date_to) if answer.date_to else "…"
    return f"{left} – {right}"


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://", url, re.IGNORECASE) else None


def _highlighted_paragraph(article_text: str, citation: Citation) -> str:
    """The paragraph holding the quote, with the quote in <mark> (all parts escaped)."""
    if not citation.span or not article_text:
        return f"<mark>{html.escape(citation.quote)}</mark>"
    start, end = citation.span
    paragraph_start = (
        article_text.rfind("\n\n", 0, start) + 2 if article_text.rfind("\n\n", 0, start) >= 0 else 0
    )
    paragraph_end = article_text.find("\n\n", end)
    paragraph_end = len(article_text) if paragraph_end < 0 else paragraph_end
    return (
        html.escape(article_text[paragraph_start:start])
        + f"<mark>{html.escape(article_text[start:end])}</mark>"
        + html.escape(article_text[end:paragraph_end])
    )


def sources_html(answer: Answer | None, article_texts: dict[str, str]) -> str:
    if answer is None:
        return "<div class='nguon-trong'>Nguồn trích dẫn sẽ hiện ở đây.</div>"
    if not answer.citations:
        items = "".join(
            f"<li>{html.escape(s.title)} ({vn_date(s.published_date)})</li>" for s in answer.suggestions
        )
        hint = f"<p>Các bài gần nhất:</p><ul>{items}</ul>" if items else ""
        return f"<div class='nguon-trong'>Không có nguồn trích dẫn.{hint}</div>"
    cards = []
    for citation in answer.citations:
        text = article_texts.get(citation.article_id, "")
        byline = " · ".join(html.escape(x) for x in (citation.outlet, citation.author) if x)
        url = _safe_url(citation.url)
        link = (
            f"<a href='{html.escape(url)}' target='_blank' rel='noopener noreferrer'>{html.escape(url)}</a>"
            if url
            else ""
        )
        cards.append(
            f"<div class='nguon' id='nguon-{citation.n}'>"
            f"<div class='nguon-tieu-de'>[{citation.n}] {html.escape(citation.title)}</div>"
            f"<div class='nguon-ngay'>{vn_date(citation.published_date)}{' · ' + byline if byline else ''}</div>"
            f"<div class='nguon-link'>{link}</div>"
            f"<blockquote class='nguon-trich'>{_highlighted_paragraph(text, citation)}</blockquote>"
            f"<details><summary>Xem toàn văn</summary><div class='toan-van'>{html.escape(text)}</div></details>"
            "</div>"
        )
    return "".join(cards)


def report_rows(report: IngestReport) -> list[list[str]]:
    return [
        [o.path.rsplit("/", 1)[-1], o.article_id or "", STATUS_LABELS[o.status], o.reason or ""]
        for o in report.files
    ]


def stats_markdown(stats: dict[str, object]) -> str:
    size = float(stats.get("index_bytes") or 0)
    unit = next(
        u
        for u, limit in (("B", 1024), ("KB", 1024**2), ("MB", 1024**3), ("GB", float("inf")))
        if size < limit
    )
    scaled = size / {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    first = vn_date(stats["date_from"]) if stats.get("date_from") else "—"
    last = vn_date(stats["date_to"]) if stats.get("date_to") else "—"
    return (
        f"**Số bài:** {stats['articles']} · **Số đoạn:** {stats['chunks']} · **Khoảng thời gian:** {first} – {last}  \n"
        f"**Mô hình nhúng:** {html.escape(str(stats['embedding_model']))} · **Kho vector:** "
        f"{html.escape(str(stats['vector_store']))} · **Dung lượng chỉ mục:** {scaled:.1f} {unit}"
    )
