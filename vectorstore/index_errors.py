"""Errors of the index, with the Vietnamese message users see and what to do about it.

Two kinds of damage need opposite remedies, so they are separate classes (not one a subclass of the
other): a damaged *derived* file (Chroma vectors, lexical cache, diacritic model) is rebuilt from the
stored articles by `python -m ingest rebuild`; a damaged article store is the source of truth itself, so
only re-ingesting the original files helps.
"""

from __future__ import annotations

from pathlib import Path

REBUILD_COMMAND = "python -m ingest rebuild"
INGEST_COMMAND = "python -m ingest ĐƯỜNG_DẪN_TỚI_TỆP_GỐC"


class ArchiveIndexError(Exception):
    """Base class: something is wrong with the index folder."""


class IndexCorruptedError(ArchiveIndexError):
    """A derived index file cannot be read. The stored articles let `python -m ingest rebuild` recover."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)  # for a Chroma server, `path` is its URL: the message shows it unchanged
        self.detail = detail
        super().__init__(
            f"Tệp chỉ mục bị hỏng hoặc ghi dở: {path} ({detail}). "
            f"Hãy chạy `{REBUILD_COMMAND}` để dựng lại chỉ mục từ các bài đã lưu."
        )


class ArticleStoreCorruptedError(ArchiveIndexError):
    """`articles.sqlite3` cannot be read: rebuild cannot help, the source files must be ingested again."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"Kho bài đã lưu bị hỏng: {self.path} ({detail}). Không thể dựng lại chỉ mục từ tệp này. "
            f"Hãy chuyển thư mục chỉ mục «{self.path.parent}» sang chỗ khác (giữ lại để đối chiếu), "
            f"rồi nạp lại kho từ các tệp gốc: `{INGEST_COMMAND}`."
        )


class DiskFullError(ArchiveIndexError):
    """A write failed because the disk (or quota) is full. Finished batches stay searchable."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"Đã hết dung lượng đĩa khi ghi {path} ({detail}). Các bài đã nạp xong vẫn tra cứu được; "
            "hãy giải phóng dung lượng rồi chạy lại lệnh nạp để nạp tiếp phần còn lại."
        )


class IndexAccessError(ArchiveIndexError):
    """An index file exists but cannot be opened or written (permissions, lock, I/O error)."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"Không đọc hoặc ghi được {self.path} ({detail}). Hãy kiểm tra quyền truy cập thư mục chỉ mục "
            "và chắc chắn không có chương trình nào khác đang khoá tệp này."
        )


class EmbeddingModelMismatchError(ArchiveIndexError):
    """The index was built with another embedding model: its vectors cannot be compared."""

    def __init__(self, index_model: str, configured_model: str) -> None:
        self.index_model = index_model
        self.configured_model = configured_model
        super().__init__(
            f"Chỉ mục được tạo bằng mô hình nhúng «{index_model}», nhưng cấu hình hiện dùng "
            f"«{configured_model}»; vector của hai mô hình không so sánh được với nhau. Để chuyển sang "
            f"«{configured_model}», chạy `python -m ingest rebuild` (nhúng lại mọi bài đã lưu, không cần "
            "nạp lại tệp gốc); hoặc đặt lại ARCHIVE_EMBEDDING_MODE / ARCHIVE_EMBEDDING_MODEL như cũ."
        )


class VectorStoreUnavailableError(ArchiveIndexError):
    """The Chroma server cannot be reached or refused a write."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Không kết nối được kho vector Chroma: {detail}")


class IndexBusyError(ArchiveIndexError):
    """Another process (an ingest, a rebuild, an upload in the web app) is writing to the index."""

    def __init__(self, lock_path: Path | str, waited_s: float) -> None:
        self.lock_path = Path(lock_path)
        super().__init__(
            f"Kho đang được một tiến trình khác cập nhật (đã chờ {waited_s:.0f} giây, khoá {lock_path}). "
            "Vui lòng thử lại khi việc nạp hoặc dựng lại chỉ mục đó xong."
        )
