"""One opened article as the archive tab shows it: metadata, original files, its near-duplicate story,
versions, recorded changes, the cleaned text and its chunks.

Everything comes from stored, scraped or uploaded text, so everything is escaped and nothing becomes a
link or an image (the article's URL is shown as text, like the rest of the app's inert rendering).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.web.archive_table import STATUS_WORDS
from assistant.web.form_values import vn_date
from vectorstore.article_catalog_query import ArticleRow
from vectorstore.metadata_correction import MetadataFix
from vectorstore.store.article_store import StoredArticle, StoredChunk
from vectorstore.store.article_versions import ArticleVersion

ACTION_WORDS = {
    "indexed": "nạp mới",
    "renamed": "nạp thành bài mới",
    "replaced": "thay nội dung (tải lên)",
    "updated": "cập nhật",
    "deleted": "xoá",
    "restored": "khôi phục phiên bản",
    "corrected": "sửa",
}


def article_html(
    stored: StoredArticle,
    chunks: Sequence[StoredChunk],
    sources: Sequence[str],
    versions: Sequence[ArticleVersion],
    story_others: Sequence[ArticleRow],
    changes: Sequence[Mapping[str, object]],
) -> str:
    e = html.escape
    files = ", ".join(e(_file_name(source)) for source in sources) or "—"
    uploaded = uploaded_names(changes, [_file_name(source) for source in sources])
    if uploaded:  # an upload is stored under a safe name; the audit log keeps the name the user gave
        files += f" (tên khi tải lên: {e(', '.join(uploaded))})"
    facts = [
        ("Mã bài", e(stored.article_id)),
        ("Ngày đăng", e(vn_date(stored.published_date))),
        ("Nguồn đăng", e(stored.outlet or "—")),
        ("Chuyên mục", e(stored.category or "—")),
        ("Tác giả", e(stored.author or "—")),
        ("Đường dẫn", f"<code>{e(stored.url)}</code>" if stored.url else "—"),
        ("Tệp gốc", files),
        ("Phiên bản hiện hành", f"{stored.version} / {len(versions) or 1}"),
        ("Trạng thái", e(STATUS_WORDS.get(stored.status, stored.status))),
    ]
    parts = [
        f'<div id="bai-dang-mo" data-article-id="{e(stored.article_id)}" data-version="{stored.version}">',
        f"<h3>{e(stored.title)}</h3>",
        "<table>"
        + "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in facts)
        + "</table>",
    ]
    if story_others:
        items = "".join(
            f"<li>{e(other.title)} — {e(other.outlet or 'không rõ nguồn')}, {e(vn_date(other.published_date))}"
            f" (mã {e(other.article_id)})</li>"
            for other in story_others
        )
        parts.append(f"<h4>Cùng tin ({len(story_others)} bài gần trùng ở nơi khác)</h4><ul>{items}</ul>")
    if versions:
        rows = "".join(
            f"<tr><td>{v.version}{' (hiện hành)' if v.current else ''}</td>"
            f"<td>{e(v.stored_at.astimezone().strftime('%d/%m/%Y %H:%M'))}</td><td>{e(v.title)}</td>"
            f"<td>{e(vn_date(v.published_date))}</td><td>{e(v.outlet or '—')}</td>"
            f"<td>{e(_file_name(v.source or '—'))}</td></tr>"
            for v in versions
        )
        parts.append(
            "<h4>Các phiên bản</h4><table><tr><th>Số</th><th>Lưu lúc</th><th>Tiêu đề</th><th>Ngày đăng</th>"
            f"<th>Nguồn đăng</th><th>Nguồn nội dung</th></tr>{rows}</table>"
        )
    if changes:
        items = "".join(
            f"<li>{e(str(change.get('time', ''))[:16].replace('T', ' '))} — {e(str(change.get('user', '')))}: "
            f"{e(ACTION_WORDS.get(str(change.get('action')), str(change.get('action'))))} "
            f"({e(_file_name(str(change.get('source') or '')))})</li>"
            for change in changes[-20:]
        )
        parts.append(f"<h4>Nhật ký thay đổi</h4><ul>{items}</ul>")
    paragraphs = "".join(
        f"<p>{e(paragraph)}</p>" for paragraph in stored.text.split("\n\n") if paragraph.strip()
    )
    parts.append(f"<h4>Nội dung đã làm sạch</h4><div class='noi-dung-bai'>{paragraphs}</div>")
    chunk_items = "".join(
        f"<li><b>Đoạn {c.position + 1}</b> (ký tự {c.start}–{c.end}): {e(c.text)}</li>" for c in chunks
    )
    parts.append(
        f"<details><summary>Các đoạn đã lập chỉ mục ({len(chunks)})</summary><ol>{chunk_items}</ol></details>"
    )
    parts.append("</div>")
    return "".join(parts)


def uploaded_names(changes: Sequence[Mapping[str, object]], stored_names: Sequence[str]) -> list[str]:
    """The names the article's files had when uploaded (from its audit entries), where they differ
    from the stored copies' names."""
    names = [
        _file_name(str(change["source"]))
        for change in changes
        if change.get("channel", "web") == "web"
        and change.get("action") in {"indexed", "renamed", "replaced"}
        and change.get("source")
    ]
    return [name for name in dict.fromkeys(names) if name not in stored_names]


def changes_line(stored: StoredArticle, fix: MetadataFix) -> str:
    """`ngày đăng 26/06/2019 → 03/07/2019; nguồn đăng — → Báo X` (plain text)."""
    changes = []
    if fix.title is not None and fix.title.strip() != stored.title:
        changes.append(f"tiêu đề «{stored.title}» → «{fix.title.strip()}»")
    if fix.published_date is not None and fix.published_date != stored.published_date:
        changes.append(f"ngày đăng {vn_date(stored.published_date)} → {vn_date(fix.published_date)}")
    if fix.outlet is not None and fix.outlet.strip() != (stored.outlet or ""):
        changes.append(f"nguồn đăng «{stored.outlet or '—'}» → «{fix.outlet.strip() or '—'}»")
    return "; ".join(changes)


def _file_name(source: str) -> str:
    """`…/uploads/a.jsonl:12` -> `a.jsonl:12`: the file, not the server's folders."""
    return Path(source).name if "/" in source else source
