"""The archive table's rows and the upload report, as the archive tab shows them.

Both tables are HTML with a fixed layout (`table-layout: fixed`, wrapped cells, no minimum widths), so
they fit the page at any width without horizontal scrolling; the report shows what staff check after an
upload (file, extracted title and date, status, reason in plain words). All text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from assistant.web.form_values import vn_date
from vectorstore.article_catalog_query import ArticleRow

TABLE_HEADERS = ["Tiêu đề", "Ngày đăng", "Nguồn đăng", "Chuyên mục", "Số đoạn", "Trạng thái", "Nạp lúc"]
STATUS_WORDS = {
    "indexed": "đã lập chỉ mục",
    "stored": "tìm được, đang tạo vector",  # lexically searchable, its vectors still to come
    "pending": "tìm được, đang tạo vector",
    "deleting": "đang xoá",
}
REPORT_HEADERS_SHOWN = ["Tệp", "Tiêu đề trích được", "Ngày đăng", "Trạng thái", "Lý do"]
# Column widths (percent) of the report: the reason needs the most room.
REPORT_WIDTHS = (20, 27, 10, 13, 30)
TABLE_CSS = """
#bang-bai-viet table, #bao-cao-nap table { width: 100%; table-layout: fixed; border-collapse: collapse; }
#bang-bai-viet th, #bang-bai-viet td, #bao-cao-nap th, #bao-cao-nap td {
  overflow-wrap: anywhere; word-break: break-word; white-space: normal; padding: 4px 6px;
  vertical-align: top; border-bottom: 1px solid var(--border-color-primary); text-align: left;
}
#bang-bai-viet td, #bang-bai-viet th { font-family: var(--font); }
#bao-cao-nap .ma-bai { display: block; opacity: .7; font-size: .85em; }
"""


def table_rows(rows: Sequence[ArticleRow]) -> list[list[str]]:
    """The Dataframe rows of one page (plain text: the Dataframe shows text, not HTML)."""
    return [
        [
            row.title + (f" (+{row.story_size - 1} bài cùng tin)" if row.story_size > 1 else ""),
            vn_date(row.published_date),
            row.outlet or "—",
            row.category or "—",
            str(row.chunks),
            STATUS_WORDS.get(row.status, row.status),
            _local_time(row.stored_at),
        ]
        for row in rows
    ]


def report_html(rows: Sequence[Sequence[str]]) -> str:
    """The upload report: `rows` are [tệp, mã bài, tiêu đề, ngày đăng, trạng thái, lý do]."""
    if not rows:
        return ""
    columns = "".join(f'<col style="width:{width}%">' for width in REPORT_WIDTHS)
    header = "".join(f"<th>{html.escape(name)}</th>" for name in REPORT_HEADERS_SHOWN)
    body = []
    for file, article_id, title, published, status, reason in rows:
        identifier = f'<span class="ma-bai">mã {html.escape(article_id)}</span>' if article_id else ""
        body.append(
            f"<tr><td>{html.escape(file)}</td><td>{html.escape(title or '—')}{identifier}</td>"
            f"<td>{html.escape(published or '—')}</td><td>{html.escape(status)}</td>"
            f"<td>{html.escape(reason)}</td></tr>"
        )
    return f"<table><colgroup>{columns}</colgroup><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _local_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else "—"
