"""One writer at a time per index folder, across threads and processes.

Several app processes (and the `ingest` command) may share one index folder: SQLite in WAL mode lets them
all read while one writes, the lexical cache is keyed by the store's generation and replaced atomically,
and the diacritic model file is re-read when its mtime changes. What must not overlap is two writers: one
run's crash recovery would re-embed the other's half-written articles, and both would rewrite the
diacritic model. An advisory `flock` on `<index>/writer.lock` serialises them; the lock dies with its
process, so a killed run never leaves the folder locked. (flock is not reliable on network file systems:
keep the index folder on a local disk of the host that runs the app processes.)
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vectorstore.index_errors import IndexBusyError

logger = logging.getLogger(__name__)

DEFAULT_WAIT_S = 30.0


@contextmanager
def exclusive_writer(db_dir: Path, wait_s: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold the index's writer lock; wait up to `wait_s` for another writer, then `IndexBusyError`."""
    db_dir.mkdir(parents=True, exist_ok=True)
    path = db_dir / "writer.lock"
    started = time.monotonic()
    with path.open("a+") as handle:
        logged = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= wait_s:
                    raise IndexBusyError(path, waited) from None
                if not logged:
                    logger.info("Waiting for another writer of %s", db_dir)
                    logged = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
