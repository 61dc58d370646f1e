"""Login failure counts and lockouts in SQLite, so that every app process and every restart sees them.

Kept in memory, each app process (and each restart) granted a fresh set of guesses: three processes
behind one proxy meant three times the limit, and a restart cleared a lockout. The counts now live in a
small SQLite file beside the login file (`<login file>.logins.sqlite3`, mode 0600): they belong to the
accounts, not to an archive (two apps over different index folders but one login file share them), and
the index folder may be rebuilt or moved. Deleting the file clears every count and lockout.

Times are wall-clock seconds (`time.time`), since they are compared across processes and restarts.
Each check-and-count is one `BEGIN IMMEDIATE` transaction on a WAL database: two processes never both
see room for the same last guess. An attempt is written as a `pending` row when it starts and counts as
a failure until it ends; a process killed mid-check leaves its row behind, so pending rows older than
`PENDING_EXPIRY_S` are ignored and dropped (a password check takes well under a second).

Rows: `failures` (finished failed attempts within the window), `pending` (attempts in flight) and
`lockouts` (a key refused until a time); a key is (`user`, NFC name) or (`address`, client address).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

PENDING_EXPIRY_S = 60.0  # a pending attempt older than this was left by a killed process
BUSY_TIMEOUT_MS = 10_000
STORE_SUFFIX = ".logins.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (kind TEXT NOT NULL, name TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures(kind, name, at);
CREATE TABLE IF NOT EXISTS pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, name TEXT NOT NULL, started REAL NOT NULL, pid INTEGER
);
CREATE INDEX IF NOT EXISTS pending_key ON pending(kind, name, started);
CREATE TABLE IF NOT EXISTS lockouts (
    kind TEXT NOT NULL, name TEXT NOT NULL, until REAL NOT NULL, PRIMARY KEY (kind, name)
);
"""

Key = tuple[str, str]  # ("user" | "address", name)


class LoginAttemptsStoreError(RuntimeError):
    """The attempts file cannot be opened or written; the message is Vietnamese, for the log."""


def attempts_store_path(login_file: Path) -> Path:
    """Where the counts for the accounts of `login_file` are kept."""
    return login_file.with_name(login_file.name + STORE_SUFFIX)


class LoginAttemptsStore:
    """The SQLite tables behind `LoginThrottle`; `path=None` keeps them in memory (one process only)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()  # one connection per store, shared by Gradio's worker threads
        try:
            if path is not None:
                _create_private(path)
            self._conn = sqlite3.connect(
                str(path) if path is not None else ":memory:",
                check_same_thread=False,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise LoginAttemptsStoreError(f"Không mở được tệp đếm lần đăng nhập {path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is read."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise LoginAttemptsStoreError(
                    f"Tệp đếm lần đăng nhập {self.path} bận hoặc hỏng: {exc}"
                ) from exc
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise LoginAttemptsStoreError(
                    f"Không ghi được tệp đếm lần đăng nhập {self.path}: {exc}"
                ) from exc


def forget_old(conn: sqlite3.Connection, now: float, window_s: float) -> None:
    """Drop failures older than the window, ended lockouts and pending rows of killed processes."""
    conn.execute("DELETE FROM failures WHERE at <= ?", (now - window_s,))
    conn.execute("DELETE FROM lockouts WHERE until <= ?", (now,))
    conn.execute("DELETE FROM pending WHERE started <= ?", (now - PENDING_EXPIRY_S,))


def locked_until(conn: sqlite3.Connection, key: Key) -> float:
    row = conn.execute("SELECT until FROM lockouts WHERE kind = ? AND name = ?", key).fetchone()
    return float(row[0]) if row else 0.0


def failure_count(conn: sqlite3.Connection, key: Key, since: float) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM failures WHERE kind = ? AND name = ? AND at > ?", (*key, since)
    ).fetchone()
    return int(row[0])


def pending_count(conn: sqlite3.Connection, key: Key, since: float) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM pending WHERE kind = ? AND name = ? AND started > ?", (*key, since)
    ).fetchone()
    return int(row[0])


def add_pending(conn: sqlite3.Connection, key: Key, now: float) -> int:
    cursor = conn.execute(
        "INSERT INTO pending(kind, name, started, pid) VALUES (?, ?, ?, ?)", (*key, now, os.getpid())
    )
    return int(cursor.lastrowid or 0)


def remove_pending(conn: sqlite3.Connection, row_id: int) -> None:
    conn.execute("DELETE FROM pending WHERE id = ?", (row_id,))


def add_failure(conn: sqlite3.Connection, key: Key, now: float) -> None:
    conn.execute("INSERT INTO failures(kind, name, at) VALUES (?, ?, ?)", (*key, now))


def clear_failures(conn: sqlite3.Connection, key: Key) -> None:
    conn.execute("DELETE FROM failures WHERE kind = ? AND name = ?", key)


def lock_out(conn: sqlite3.Connection, key: Key, until: float) -> None:
    conn.execute(
        "INSERT INTO lockouts(kind, name, until) VALUES (?, ?, ?)"
        " ON CONFLICT(kind, name) DO UPDATE SET until = MAX(until, excluded.until)",
        (*key, until),
    )


def lift_lockout(conn: sqlite3.Connection, key: Key) -> bool:
    """End a lockout and forget the key's failures (an admin's «Gỡ tạm khoá»); whether one was on."""
    lifted = conn.execute("DELETE FROM lockouts WHERE kind = ? AND name = ?", key).rowcount > 0
    clear_failures(conn, key)
    return lifted


def lift_user_lockout(store_path: Path, name: str, now: float) -> bool:
    """Lift a user name's lockout in the store at `store_path` (the «Người dùng» tab and `python -m
    assistant users unlock` do the same); whether the name was locked out at `now`."""
    store = LoginAttemptsStore(store_path)
    try:
        with store.transaction() as conn:
            was_locked = name in locked_names(conn, "user", now)
            lift_lockout(conn, ("user", name))
    finally:
        store.close()
    return was_locked


def locked_names(conn: sqlite3.Connection, kind: str, now: float) -> dict[str, float]:
    """The names of `kind` ("user" or "address") locked out at `now`, each with its end time."""
    rows = conn.execute("SELECT name, until FROM lockouts WHERE kind = ? AND until > ?", (kind, now))
    return {str(name): float(until) for name, until in rows}


def _create_private(path: Path) -> None:
    """Create the file with mode 0600 before SQLite opens it (its -wal and -shm files take that mode);
    an existing file readable by others is made private."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(descriptor).st_mode & 0o077:
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)
