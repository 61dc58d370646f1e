"""The ingestion report: what happened to every input, in a form for people and for `--json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

FileStatus = Literal[
    "indexed", "replaced", "renamed", "updated", "unchanged", "duplicate", "rejected", "deleted"
]

STATUS_LABELS: dict[str, str] = {
    "indexed": "đã lập chỉ mục",
    # Changed text under a stored id: the old version is kept (`python -m ingest history/restore`).
    "replaced": "⚠ đã thay thế bài cũ",
    # A web upload under a stored id: stored as a new article, the stored one untouched.
    "renamed": "lưu thành bài mới",
    "updated": "đã lập chỉ mục lại",  # the same content, left half-indexed by an interrupted run
    "unchanged": "không đổi",
    "duplicate": "trùng lặp",
    "rejected": "bị từ chối",
    "deleted": "đã xoá",
}


@dataclass(frozen=True)
class FileOutcome:
    path: str
    article_id: str | None
    status: FileStatus
    reason: str | None = None


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    articles: int = 0  # searchable articles in the archive after the run
    chunks: int = 0  # searchable chunks after the run
    embedded_chunks: int = 0  # chunks embedded by this run
    embedding_seconds: float = 0.0
    seconds: float = 0.0
    recovered: int = 0  # half-indexed articles an interrupted run left, finished now

    def add(self, outcome: FileOutcome) -> None:
        self.files.append(outcome)

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(STATUS_LABELS, 0)
        for outcome in self.files:
            totals[outcome.status] += 1
        return totals

    def as_json(self) -> dict[str, object]:
        return {
            "files": [
                {k: v for k, v in asdict(o).items() if k in {"path", "article_id", "status", "reason"}}
                for o in self.files
            ],
            "articles": self.articles,
            "chunks": self.chunks,
            "embedded_chunks": self.embedded_chunks,
            "seconds": round(self.seconds, 3),
        }

    def as_text(self) -> str:
        lines = [
            f"{STATUS_LABELS[o.status]:<18} {o.path}"
            + (f"  →  {o.article_id}" if o.article_id and o.status != "rejected" else "")
            + (f"  ({o.reason})" if o.reason else "")
            for o in self.files
        ]
        summary = ", ".join(f"{STATUS_LABELS[k]}: {v}" for k, v in self.counts().items() if v)
        lines.append("")
        lines.append(f"Tổng kết — {summary or 'không có tệp nào'}")
        lines.append(
            f"Kho hiện có {self.articles} bài, {self.chunks} đoạn; lần này nhúng {self.embedded_chunks} đoạn "
            f"trong {self.seconds:.1f} giây."
        )
        replaced = self.counts()["replaced"]
        if replaced:
            lines.append(
                f"Chú ý: {replaced} bài đã bị thay thế bằng nội dung mới; phiên bản cũ vẫn được giữ. "
                "Xem các phiên bản: python -m ingest history MÃ_BÀI; "
                "khôi phục: python -m ingest restore MÃ_BÀI SỐ_PHIÊN_BẢN."
            )
        return "\n".join(lines)
