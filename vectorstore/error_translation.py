"""Turns low-level storage failures into the three situations a user can act on.

SQLite, Chroma (whose Rust core wraps SQLite and hnswlib) and the OS report "disk full", "file damaged"
and "cannot access" in very different shapes: an `OSError` errno, an SQLite result code, or only a
sentence inside a `chromadb.errors.InternalError`. Measured with chromadb 1.5.9, a full disk under
Chroma does not even say so — an upsert fails with "Error in compaction: Failed to apply logs to the
metadata segment" — so for Chroma writes the free space left on the volume decides. Callers translate
here so every path leads to one Vietnamese message saying what to do.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from vectorstore.index_errors import (
    ArchiveIndexError,
    ArticleStoreCorruptedError,
    DiskFullError,
    IndexAccessError,
    IndexCorruptedError,
    VectorStoreUnavailableError,
)

# Below this much free space a failed write is taken to be a full disk: an upsert batch of 2000 vectors
# plus SQLite's journal needs several megabytes, so a volume this empty cannot take one anyway.
LOW_FREE_BYTES = 64 * 1024 * 1024
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_FULL_MARKERS = ("database or disk is full", "no space left on device", "os error 28", "disk quota exceeded")
_CORRUPT_MARKERS = ("malformed", "not a database", "(code: 11)", "(code: 26)")
_CORRUPT_SQLITE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_STORAGE_MARKERS = ("log store", "compactor", "compaction", "backfill", "hnsw", "pickle", "database")
_ACCESS_SQLITE_CODES = {sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN}


def quick_check_problem(rows: list[str]) -> str | None:
    """None when `PRAGMA quick_check` said "ok", else its first two findings on one line."""
    if rows == ["ok"]:
        return None
    lines = [line for row in rows for line in row.splitlines() if line and not line.startswith("***")]
    return "; ".join(lines[:2]) or "kiểm tra toàn vẹn thất bại"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from or while handling."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def says_disk_full(exc: BaseException) -> bool:
    """True when the error itself says the disk or quota is full (errno, SQLite code or message)."""
    for error in _chain(exc):
        if isinstance(error, OSError) and error.errno in _FULL_ERRNOS:
            return True
        if (
            isinstance(error, sqlite3.Error)
            and getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        ):
            return True
        if any(marker in str(error).lower() for marker in _FULL_MARKERS):
            return True
    return False


def low_free_space(path: Path) -> bool:
    """True when the volume holding `path` (or its nearest existing parent) is all but full."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free < LOW_FREE_BYTES
    except OSError:
        return False


def store_error(path: Path, exc: sqlite3.Error) -> ArchiveIndexError:
    """The error to raise for an SQLite failure on the article store `path`."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    detail = str(exc)
    if says_disk_full(exc) or (code == sqlite3.SQLITE_IOERR and low_free_space(path)):
        return DiskFullError(path, detail)
    if code in _ACCESS_SQLITE_CODES or "locked" in detail or isinstance(exc, sqlite3.ProgrammingError):
        return IndexAccessError(path, detail)
    if code in _CORRUPT_SQLITE_CODES or not isinstance(exc, sqlite3.OperationalError):
        return ArticleStoreCorruptedError(path, detail)
    return IndexAccessError(path, detail)


def _is_chroma_failure(exc: BaseException) -> bool:
    """Errors that mean Chroma's storage failed, not that we called it wrongly (those propagate).

    Chroma 1.5 raises InternalError for most storage failures, but a damaged write-ahead log surfaces
    as InvalidArgumentError("... Failed to pull logs from the log store"): its wording decides."""
    from chromadb.errors import ChromaError, InternalError

    # A panic in Chroma's Rust core reaches Python as pyo3's PanicException, a BaseException.
    if isinstance(exc, InternalError | OSError) or type(exc).__name__ == "PanicException":
        return True
    return isinstance(exc, ChromaError) and any(m in str(exc).lower() for m in _STORAGE_MARKERS)


def chroma_error(
    location: Path | str, exc: BaseException, *, remote: bool, writing: bool
) -> ArchiveIndexError | None:
    """The error to raise for a failed Chroma call, or None to let `exc` propagate unchanged.

    `location` is the local Chroma folder or the server URL; `writing` says whether the call wrote."""
    if says_disk_full(exc):
        return DiskFullError(location, _short(exc))
    if remote:
        from chromadb.errors import ChromaError

        if isinstance(exc, ChromaError | OSError) or type(exc).__module__.startswith("httpx"):
            return VectorStoreUnavailableError(f"{location}: {_short(exc)}")
        return None
    if not _is_chroma_failure(exc):
        return None
    folder = Path(location)
    says_damaged = any(marker in str(exc).lower() for marker in _CORRUPT_MARKERS)
    if writing and not says_damaged and low_free_space(folder):
        return DiskFullError(folder, _short(exc))
    if isinstance(exc, PermissionError):
        return IndexAccessError(folder, _short(exc))
    return IndexCorruptedError(damaged_chroma_path(folder, str(exc)), _short(exc))


def chroma_open_error(folder: Path, exc: BaseException) -> ArchiveIndexError:
    """The error to raise when a local Chroma folder cannot be opened: only its files can cause that
    (a damaged `chroma.sqlite3` surfaces as InternalError or as "Could not connect to tenant")."""
    error = chroma_error(folder, exc, remote=False, writing=True)
    if error is not None:
        return error
    return IndexCorruptedError(damaged_chroma_path(folder, str(exc)), _short(exc))


def damaged_chroma_path(folder: Path, message: str) -> Path:
    """The file a Chroma error message points at: its SQLite database, an HNSW segment, or the folder."""
    lowered = message.lower()
    if any(marker in lowered for marker in _CORRUPT_MARKERS) or "database" in lowered:
        return folder / "chroma.sqlite3"
    if "hnsw" in lowered or "pickle" in lowered:
        segments = sorted(p for p in folder.glob("*-*-*-*-*") if p.is_dir())
        return segments[0] if len(segments) == 1 else folder
    return folder


def _short(exc: BaseException) -> str:
    """The first line of an error message, trimmed: Chroma's messages can carry whole backtraces."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
