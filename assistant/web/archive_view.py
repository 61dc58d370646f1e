"""What the archive tab shows: the per-file ingestion report table, the summary line and the statistics."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.web.form_values import vn_date
from ingest.report import STATUS_LABELS, FileOutcome, IngestReport
from vectorstore.archive_stats import ArchiveStats

REPORT_HEADERS = ["Tệp", "Mã bài", "Trạng thái", "Lý do"]


def report_rows(outcomes: Sequence[FileOutcome], uploaded_names: Mapping[str, str]) -> list[list[str]]:
    """One row per outcome. `uploaded_names` maps a stored copy's path to the name the user uploaded,
    so rows name files as the user knows them (JSON Lines rows keep their `:line` suffix)."""
    rows = []
    for outcome in outcomes:
        stored, line = _stored_path_and_line(outcome.path, uploaded_names)
        original = uploaded_names.get(stored)
        shown = Path(stored).name if original is not None else outcome.path
        reason = outcome.reason or ""
        if original is not None and original != shown:
            renamed = f"Lưu thành «{shown}» (tên gốc «{original}»)."
            reason = f"{reason} {renamed}".strip()
        rows.append(
            [
                f"{shown}:{line}" if line else shown,
                outcome.article_id or "",
                STATUS_LABELS.get(outcome.status, outcome.status),
                reason,
            ]
        )
    return rows


def _stored_path_and_line(path: str, uploaded_names: Mapping[str, str]) -> tuple[str, str]:
    """`…/uploads/a.jsonl:12` -> (`…/uploads/a.jsonl`, `12`); other paths are returned whole."""
    head, _, line = path.rpartition(":")
    if path not in uploaded_names and head in uploaded_names and line.isdigit():
        return head, line
    return path, ""


def upload_summary(uploaded: int, refused: Sequence[FileOutcome], report: IngestReport) -> str:
    """`Đã nhận 3 tệp: đã lập chỉ mục 1, bị từ chối 2. Kho hiện có 6 bài.`"""
    counts = report.counts()
    counts["rejected"] += len(refused)
    parts = ", ".join(f"{STATUS_LABELS[status]} {count}" for status, count in counts.items() if count)
    summary = f"Đã nhận {uploaded} tệp: {parts or 'không có bài nào'}."
    if report.files:
        summary += f" Kho hiện có {report.articles} bài, {report.chunks} đoạn."
    return summary


def human_size(size: float) -> str:
    """Bytes as `812 B`, `1,4 KB`, `23,5 MB`, `1,2 GB` (Vietnamese decimal comma)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f}" if unit == "B" else f"{size:.1f}".replace(".", ",")
            return f"{text} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def stats_markdown(stats: ArchiveStats) -> str:
    """The statistics panel as a Markdown table (values escaped: model names come from settings)."""
    period = (
        f"{vn_date(stats.get('date_from'))} – {vn_date(stats.get('date_to'))}"
        if stats.get("date_from") or stats.get("date_to")
        else "chưa có bài nào có ngày đăng"
    )
    rows = [
        ("Số bài", f"{stats.get('articles', 0)}"),
        ("Số đoạn đã lập chỉ mục", f"{stats.get('chunks', 0)}"),
        ("Khoảng thời gian", period),
        ("Mô hình nhúng", str(stats.get("embedding_model", ""))),
        ("Kho vector", str(stats.get("vector_store", ""))),
        ("Vector", str(stats.get("vectors", ""))),
        ("Dung lượng chỉ mục", human_size(float(stats.get("index_bytes") or 0))),
    ]
    lines = ["### Thống kê kho", "", "| Chỉ số | Giá trị |", "|---|---|"]
    lines += [f"| {name} | {html.escape(value).replace('|', '&#124;')} |" for name, value in rows]
    return "\n".join(lines)
