"""`iter_documents`: files and folders -> `RawDocument`s, and a `LoadProblem` for everything that is not.

One bad file never stops a run: every failure becomes a `LoadProblem` with a Vietnamese reason the user
can act on ("Tệp quá lớn", "Tệp PDF không có văn bản"). The order is deterministic (paths as given,
folder entries sorted by name) so that reports and article ids are the same on every run.

Article ids: a JSON Lines row's `id`; for a file found in a folder, its path relative to that folder
without extension, '/'-separated (`2020/06/hoi-nghi`); for a file named directly, its stem. If two
files in one run would get the same id (`a.txt` and `a.html`), the later one keeps its extension.

Reading is bounded (`ReaderLimits`, issue 14 §2): each file gets a `Deadline`, JSON Lines are read in
capped lines and stop at a total of unpacked bytes, and a file past a bound is a `LoadProblem` like any
other, so the rest of the batch goes on. A document is yielded only once it is fully read, so nothing
is ingested half-read.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from ingest.file_readers import (
    FileContent,
    UnreadableFileError,
    read_docx,
    read_html,
    read_markdown,
    read_pdf,
    read_text_file,
)
from ingest.models import LoadProblem, RawDocument
from ingest.reader_limits import DEFAULT_READER_LIMITS, Deadline, ReaderLimitError, ReaderLimits, megabytes
from ingest.vietnamese_text import normalize_text

logger = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    ".txt",
    ".html",
    ".htm",
    ".md",
    ".pdf",
    ".docx",
    ".jsonl",
    ".jsonl.gz",
)
Reader = Callable[[bytes, str, ReaderLimits, Deadline], FileContent]
_READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("txt", read_text_file),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".md": ("md", read_markdown),
    ".pdf": ("pdf", read_pdf),
    ".docx": ("docx", read_docx),
}
_JSONL_EXTENSIONS = (".jsonl", ".jsonl.gz")
_HINT_FIELDS = ("title", "date", "url", "category", "author")
_MB = 1024 * 1024
MAX_BAD_ROWS = 1000  # problems one JSON Lines file may report before it is given up (the report stays small)
SKIPPED_ROW_FACTOR = 8  # a row running on past this many times the row limit is not JSON Lines: stop there


def iter_documents(
    paths: Sequence[Path], max_file_bytes: int, limits: ReaderLimits = DEFAULT_READER_LIMITS
) -> Iterator[RawDocument | LoadProblem]:
    """Yield a `RawDocument` per article and a `LoadProblem` per input that gives none.

    Folders are walked recursively, skipping hidden entries (`.git`, `.DS_Store`), Office lock files
    (`~$x.docx`), symlinked folders (no cycles) and, silently, unsupported extensions. A file named
    directly with an unsupported extension is a problem. `max_file_bytes` bounds a file on disk; for
    JSON Lines, which are streamed, it bounds each row instead (as does `limits.max_jsonl_line_bytes`), so
    a large collection can be ingested. `limits` bounds what reading a file may unpack, parse and take.
    """
    taken_ids: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield LoadProblem(str(path), "Không tìm thấy tệp hoặc thư mục.")
        elif path.is_dir():
            for file_path, problem in _walk(path):
                if problem is not None:
                    yield problem
                else:
                    yield from _load(file_path, path, max_file_bytes, limits, taken_ids)
        elif _extension(path) not in SUPPORTED_EXTENSIONS:
            yield LoadProblem(str(path), _unsupported_reason(path))
        else:
            yield from _load(path, None, max_file_bytes, limits, taken_ids)


def _walk(folder: Path) -> Iterator[tuple[Path, LoadProblem | None]]:
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield folder, LoadProblem(str(folder), f"Không mở được thư mục ({_os_reason(exc)}).")
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                yield from _walk(entry)
        elif entry.is_file() and _extension(entry) in SUPPORTED_EXTENSIONS:
            yield entry, None


def _extension(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _unsupported_reason(path: Path) -> str:
    kind = _extension(path) or "không có phần mở rộng"
    return f"Định dạng tệp không được hỗ trợ ({kind}); hỗ trợ: {', '.join(SUPPORTED_EXTENSIONS)}."


def _article_id(path: Path, base: Path | None, taken_ids: set[str]) -> str:
    relative = path.relative_to(base).as_posix() if base is not None else path.name
    extension = _extension(path)
    article_id = relative[: len(relative) - len(extension)] if extension else relative
    if article_id in taken_ids:
        article_id = relative
    taken_ids.add(article_id)
    return article_id


def _load(
    path: Path, base: Path | None, max_file_bytes: int, limits: ReaderLimits, taken_ids: set[str]
) -> Iterator[RawDocument | LoadProblem]:
    source = str(path)
    deadline = Deadline(limits.max_seconds_per_file)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield LoadProblem(source, f"Không đọc được tệp ({_os_reason(exc)}).")
        return
    if size == 0:
        yield LoadProblem(source, "Tệp rỗng.")
        return
    extension = _extension(path)
    if extension in _JSONL_EXTENSIONS:
        if extension == ".jsonl" and size > limits.max_unpacked_bytes:
            yield LoadProblem(
                source,
                f"Tệp JSON Lines quá lớn ({megabytes(size)} MB, giới hạn "
                f"{megabytes(limits.max_unpacked_bytes)} MB mỗi tệp).",
            )
            return
        yield from _iter_jsonl(path, min(max_file_bytes, limits.max_jsonl_line_bytes), limits, taken_ids)
        return
    if size > max_file_bytes:
        yield LoadProblem(
            source, f"Tệp quá lớn ({size / _MB:.1f} MB, giới hạn {max_file_bytes / _MB:.1f} MB)."
        )
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield LoadProblem(source, f"Không đọc được tệp ({_os_reason(exc)}).")
        return
    kind, reader = _READERS[extension]
    try:
        deadline.check()
        content = reader(data, source, limits, deadline)
    except (UnreadableFileError, ReaderLimitError) as exc:
        yield LoadProblem(source, str(exc))
        return
    except Exception:  # a parser bug on one odd file must not stop the whole run
        logger.exception("%s: unexpected error while reading", source)
        yield LoadProblem(source, "Lỗi không mong đợi khi đọc tệp; xem nhật ký để biết chi tiết.")
        return
    if not content.text.strip():
        yield LoadProblem(source, "Tệp không có nội dung văn bản.")
        return
    yield RawDocument(
        article_id=_article_id(path, base, taken_ids),
        source=source,
        text=content.text,
        kind=kind,
        title=content.title,
        date=content.date,
        url=content.url,
        category=content.category,
        author=content.author,
        outlet=content.outlet,
    )


def _iter_jsonl(
    path: Path, max_row_bytes: int, limits: ReaderLimits, taken_ids: set[str]
) -> Iterator[RawDocument | LoadProblem]:
    """Stream rows; each bad row is a problem at `path:LINE` and the rest of the file still loads.

    Lines are read at most `max_row_bytes + 1` bytes at a time (a longer row is skipped in 1 MB steps,
    never held); each row, with the blank lines before it, has its own `Deadline`. Past `limits.max_unpacked_bytes` read in total, or
    `MAX_BAD_ROWS` problems, the file stops there: the rows before it stay loaded."""
    opener = gzip.open if _extension(path) == ".jsonl.gz" else open
    line_number = rows = bad_rows = unpacked = 0
    try:
        with opener(path, "rb") as handle:
            deadline = Deadline(limits.max_seconds_per_file)
            while True:
                line = handle.readline(max_row_bytes + 1)
                if not line:
                    break
                line_number += 1
                unpacked = _count_unpacked(unpacked, len(line), limits)
                source = f"{path}:{line_number}"
                if len(line) > max_row_bytes and not line.endswith(b"\n"):
                    unpacked = _skip_row(handle, len(line), max_row_bytes, unpacked, limits, deadline)
                    item: RawDocument | LoadProblem = LoadProblem(
                        source, f"Dòng quá lớn (giới hạn {megabytes(max_row_bytes)} MB mỗi dòng)."
                    )
                elif not line.strip():
                    deadline.check()
                    continue
                else:
                    rows += 1
                    item = _parse_row(line, source, line_number, taken_ids)
                    deadline.check()
                if isinstance(item, LoadProblem):
                    bad_rows += 1
                    if bad_rows > MAX_BAD_ROWS:
                        yield LoadProblem(
                            source,
                            f"Quá nhiều dòng lỗi (hơn {MAX_BAD_ROWS}), dừng đọc tệp tại đây; "
                            "các dòng hợp lệ trước đó vẫn được nạp.",
                        )
                        return
                yield item
                deadline = Deadline(limits.max_seconds_per_file)
    except ReaderLimitError as exc:
        where = f"{path}:{line_number}" if line_number else str(path)
        yield LoadProblem(
            where, f"{exc} Dừng đọc tệp tại dòng {line_number}; các dòng trước đó vẫn được nạp."
        )
        return
    except PermissionError as exc:
        yield LoadProblem(str(path), f"Không đọc được tệp ({_os_reason(exc)}).")
        return
    except (OSError, EOFError, zlib.error) as exc:
        where = f"{path}:{line_number + 1}" if line_number else str(path)
        yield LoadProblem(where, f"Tệp bị hỏng hoặc nén lỗi, dừng đọc tại đây ({exc}).")
        return
    if rows == 0:
        yield LoadProblem(str(path), "Tệp JSON Lines không có dòng dữ liệu nào.")


class _LineReader(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _skip_row(
    handle: _LineReader,
    read: int,
    max_row_bytes: int,
    unpacked: int,
    limits: ReaderLimits,
    deadline: Deadline,
) -> int:
    """Read past the rest of an oversized row, 1 MB at a time, never holding it; returns the bytes read
    from the file so far. A row that runs on past `SKIPPED_ROW_FACTOR` times the limit ends the file."""
    line = b""
    while not line.endswith(b"\n"):
        deadline.check()
        line = handle.readline(_MB)
        if not line:
            break
        read += len(line)
        unpacked = _count_unpacked(unpacked, len(line), limits)
        if read > SKIPPED_ROW_FACTOR * max_row_bytes:
            raise ReaderLimitError(
                f"Dòng quá lớn (giới hạn {megabytes(max_row_bytes)} MB mỗi dòng) và vẫn chưa kết thúc sau "
                f"{megabytes(read)} MB: không phải JSON Lines."
            )
    return unpacked


def _count_unpacked(unpacked: int, more: int, limits: ReaderLimits) -> int:
    """Bytes read from a JSON Lines file so far; raises past `limits.max_unpacked_bytes`."""
    unpacked += more
    if unpacked > limits.max_unpacked_bytes:
        raise ReaderLimitError(
            f"Tệp JSON Lines đọc ra hơn {megabytes(limits.max_unpacked_bytes)} MB (giới hạn mỗi tệp; "
            "tệp nén có thể là tệp độc hại)."
        )
    return unpacked


def _parse_row(line: bytes, source: str, line_number: int, taken_ids: set[str]) -> RawDocument | LoadProblem:
    try:
        text_line = line.decode("utf-8")
    except UnicodeDecodeError:
        return LoadProblem(source, "Dòng không phải văn bản UTF-8.")
    try:
        row = json.loads(text_line.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        return LoadProblem(source, f"Dòng {line_number} không phải JSON hợp lệ ({exc.msg}, cột {exc.colno}).")
    if not isinstance(row, dict):
        return LoadProblem(source, f"Dòng {line_number} không phải một đối tượng JSON.")
    raw_id, text = row.get("id"), row.get("text")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        return LoadProblem(source, f"Dòng {line_number} thiếu trường 'id'.")
    if not isinstance(text, str) or not text.strip():
        return LoadProblem(source, f"Dòng {line_number} thiếu trường 'text' hoặc văn bản rỗng.")
    article_id = str(raw_id).strip()
    if article_id in taken_ids:
        return LoadProblem(source, f"Mã bài viết '{article_id}' bị trùng với một bài đã đọc trước đó.")
    taken_ids.add(article_id)
    hints = {name: _hint(row.get(name)) for name in _HINT_FIELDS}
    return RawDocument(
        article_id=article_id,
        source=source,
        text=normalize_text(text),
        kind="jsonl",
        outlet=_outlet(row),
        **hints,
    )


def _hint(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _outlet(row: dict[str, object]) -> str | None:
    """`outlet`, else `source` unless that is a provenance path or URL (as in the shared corpora)."""
    outlet = _hint(row.get("outlet"))
    if outlet:
        return outlet
    source = _hint(row.get("source"))
    if source and not any(mark in source for mark in ("/", "\\", "@")) and len(source) <= 80:
        return source
    return None


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "không có quyền truy cập"
    return exc.strerror or type(exc).__name__
