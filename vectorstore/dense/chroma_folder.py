"""The embedded Chroma folder (`<db>/chroma`): checked before Chroma opens it, and set aside when damaged.

Chroma itself reports a damaged `chroma.sqlite3` as an `InternalError` ("database disk image is
malformed", "file is not a database") — when the damage is in the file's header, on open; elsewhere, on
the first query. A deleted or emptied `chroma.sqlite3`, or a deleted HNSW segment folder, it does not
report at all: it starts over or searches only unflushed vectors. Damaged HNSW files can crash the process
(see `hnsw_files`). `check_folder` finds the cases Chroma misses; `move_aside` keeps a damaged folder
for inspection instead of deleting it, so `python -m ingest rebuild` never destroys anything silently.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from vectorstore.dense.hnsw_files import HnswDamage, check_segment
from vectorstore.error_translation import quick_check_problem
from vectorstore.index_errors import IndexCorruptedError

logger = logging.getLogger(__name__)

SQLITE_NAME = "chroma.sqlite3"
_VECTOR_SEGMENTS = (
    "SELECT s.id, m.seq_id FROM segments s LEFT JOIN max_seq_id m ON m.segment_id = s.id"
    " WHERE s.scope = 'VECTOR'"
)
# A writer in another process updates header.bin before the data it describes; look twice before
# calling a folder damaged.
RECHECK_DELAY_S = 0.5


def check_folder(folder: Path) -> None:
    """Raise `IndexCorruptedError` if the Chroma files in `folder` are damaged in a way Chroma would
    not report (or would crash on). A missing folder is a new, empty index and is fine."""
    try:
        _check_once(folder)
    except IndexCorruptedError:
        time.sleep(RECHECK_DELAY_S)
        _check_once(folder)


def _check_once(folder: Path) -> None:
    if not folder.is_dir():
        return
    database = folder / SQLITE_NAME
    segment_dirs = {p.name: p for p in folder.iterdir() if p.is_dir() and p.name.count("-") == 4}
    if not database.is_file() or database.stat().st_size == 0:
        if segment_dirs:
            raise IndexCorruptedError(database, "tệp cơ sở dữ liệu của Chroma bị mất hoặc trống")
        return
    for segment_id, persisted in vector_segments(database).items():
        folder_of_segment = folder / segment_id
        if persisted and segment_id not in segment_dirs:
            raise IndexCorruptedError(folder_of_segment, "thư mục chỉ mục HNSW đã ghi bị mất")
        if persisted or (folder_of_segment / "index_metadata.pickle").exists():
            try:
                check_segment(folder_of_segment)
            except HnswDamage as exc:
                raise IndexCorruptedError(exc.path, exc.detail) from exc


def vector_segments(database: Path) -> dict[str, bool]:
    """Chroma's vector segments and whether each was flushed to HNSW files (then Chroma loads them).

    Read-only, through Chroma's own tables; if its schema changed, nothing is checked (logged)."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)) as conn:
            rows = conn.execute(_VECTOR_SEGMENTS).fetchall()
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB} or not isinstance(
            exc, sqlite3.OperationalError
        ):
            raise IndexCorruptedError(database, str(exc)) from exc
        logger.info("Chroma's segment table not checked (%s)", exc)
        return {}
    return {str(segment_id): bool(seq_id) for segment_id, seq_id in rows}


def integrity_problem(folder: Path) -> str | None:
    """SQLite's own full check of `chroma.sqlite3` (slow on big files: only for `rebuild`)."""
    database = folder / SQLITE_NAME
    if not database.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return quick_check_problem(result)


def move_aside(folder: Path, reason: str) -> Path:
    """Rename a damaged Chroma folder to `chroma.damaged-<time>` beside it and return the new path."""
    release_cached_system(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder.with_name(f"{folder.name}.damaged-{stamp}")
    suffix = 1
    while target.exists():
        suffix += 1
        target = folder.with_name(f"{folder.name}.damaged-{stamp}-{suffix}")
    folder.rename(target)
    logger.warning("Damaged Chroma folder %s moved to %s (%s)", folder, target, reason)
    return target


def release_cached_system(folder: Path) -> None:
    """Forget chromadb's in-process client for `folder`.

    chromadb caches one `System` per path and keeps it even when starting it failed; the next client for
    that path then fails with an unrelated AttributeError. After a failed open, and before the folder is
    renamed, the cached system is stopped and dropped so the next client starts from the files on disk.
    This uses chromadb's private `SharedSystemClient` registry (present in 1.x); without it, nothing is done.
    """
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:
        return
    key = str(folder)
    system = SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)
    if system is not None:
        try:
            system.stop()
        except Exception as exc:  # a system that never started cannot stop cleanly; it is dropped anyway
            logger.debug("Stopping Chroma's cached system for %s failed: %s", folder, exc)
