"""Errors of the index, with the Vietnamese message users see and what to do about it."""

from __future__ import annotations

from pathlib import Path


class ArchiveIndexError(Exception):
    """Base class: something is wrong with the index folder."""


class IndexCorruptedError(ArchiveIndexError):
    """An index file cannot be read. The stored articles let `python -m ingest rebuild` recover."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"Tệp chỉ mục bị hỏng hoặc ghi dở: {self.path} ({detail}). "
            "Hãy chạy `python -m ingest rebuild` để dựng lại chỉ mục từ các bài đã lưu."
        )


class EmbeddingModelMismatchError(ArchiveIndexError):
    """The index was built with another embedding model: its vectors cannot be compared."""

    def __init__(self, index_model: str, configured_model: str) -> None:
        self.index_model = index_model
        self.configured_model = configured_model
        super().__init__(
            f"Chỉ mục được tạo bằng mô hình nhúng «{index_model}», nhưng cấu hình hiện dùng "
            f"«{configured_model}». Hãy nạp lại kho (xoá thư mục chỉ mục rồi chạy `python -m ingest`) "
            "hoặc đặt lại ARCHIVE_EMBEDDING_MODEL như cũ."
        )


class VectorStoreUnavailableError(ArchiveIndexError):
    """The Chroma server cannot be reached or refused a write."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Không kết nối được kho vector Chroma: {detail}")
