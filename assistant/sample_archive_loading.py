"""Loading the sample archive on the first start, in the background, with progress others can read.

Why in the background: indexing the five sample articles with the real model takes about 20 s on two
cores, and a newcomer who opens the address meanwhile must see how far it is, not an error page
(`assistant/web/startup_progress.py` serves that page). `StartupProgress` is the one shared, thread-safe
record of where loading is; the terminal bar of `scripts/run.sh` reads it too.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from assistant.archive_assistant import ArchiveAssistant
from vectorstore.index_errors import ArchiveIndexError
from vectorstore.ingestion import run_ingest

logger = logging.getLogger(__name__)

Phase = Literal["waiting", "reading", "indexing", "ready", "failed"]
BAR_WIDTH = 24
READING_SHARE = 0.3  # of the bar: reading and storing is quick, computing the vectors takes the rest


@dataclass(frozen=True)
class ProgressSnapshot:
    """Where loading is at one moment (what the page and the terminal show)."""

    phase: Phase
    done: int = 0
    total: int | None = None
    message: str = ""
    embedded: int = 0  # articles with vectors, of `to_embed` (indexing phase)
    to_embed: int = 0

    @property
    def fraction(self) -> float:
        if self.phase == "ready":
            return 1.0
        if not self.total:
            return 0.0
        read = min(self.done / self.total, 1.0) * READING_SHARE
        if self.phase != "indexing":
            return read
        embedded = min(self.embedded / self.to_embed, 1.0) if self.to_embed else 0.0
        return read + embedded * (1 - READING_SHARE)

    @property
    def finished(self) -> bool:
        return self.phase in ("ready", "failed")

    def as_text(self) -> str:
        """One Vietnamese line, e.g. «Đang đọc bài 3/5 của kho mẫu…»."""
        if self.phase == "waiting":
            return "Đang chuẩn bị nạp kho mẫu…"
        if self.phase == "reading":
            return f"Đang đọc bài {self.done}/{self.total or '?'} của kho mẫu…"
        if self.phase == "indexing":
            if not self.to_embed:
                return f"Đã đọc {self.done} tệp; đang lập chỉ mục…"
            return f"Đang lập chỉ mục: {self.embedded}/{self.to_embed} bài đã có véc-tơ…"
        return self.message


class StartupProgress:
    """Thread-safe progress of the first-start loading; `wait()` blocks until it is finished."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = ProgressSnapshot("waiting")
        self._finished = threading.Event()
        self._listeners: list[Callable[[ProgressSnapshot], None]] = []

    def snapshot(self) -> ProgressSnapshot:
        with self._lock:
            return self._snapshot

    def subscribe(self, listener: Callable[[ProgressSnapshot], None]) -> None:
        self._listeners.append(listener)

    def update(self, snapshot: ProgressSnapshot) -> None:
        with self._lock:
            self._snapshot = snapshot
        for listener in self._listeners:
            listener(snapshot)
        if snapshot.finished:
            self._finished.set()

    def documents_read(self, done: int, total: int | None) -> None:
        """`run_ingest`'s progress callback: a document is being read."""
        phase: Phase = "indexing" if total is not None and done >= total else "reading"
        self.update(ProgressSnapshot(phase, done, total))

    def articles_embedded(self, embedded: int, waiting: int) -> None:
        """`run_ingest`'s embedding progress: `embedded` of the `waiting` stored articles have vectors."""
        read = self.snapshot()
        self.update(ProgressSnapshot("indexing", read.done, read.total, embedded=embedded, to_embed=waiting))

    def wait(self, timeout: float | None = None) -> ProgressSnapshot:
        self._finished.wait(timeout)
        return self.snapshot()


def needs_sample_archive(assistant: ArchiveAssistant) -> bool:
    """An empty archive and a sample folder to fill it from."""
    sample = assistant.settings.sample_archive_dir
    return assistant.index.store.counts()["articles"] == 0 and sample.exists()


def load_sample_archive(assistant: ArchiveAssistant, progress: StartupProgress) -> None:
    """Ingest the sample folder into the assistant's index, reporting to `progress`; a failure is
    reported there (in Vietnamese) and logged, never raised: the app then starts on what it has."""
    settings = assistant.settings
    logger.info("Kho đang trống: nạp kho mẫu %s.", settings.sample_archive_dir)
    try:
        report = run_ingest(
            [settings.sample_archive_dir],
            settings.ingest_config(),
            index=assistant.index,
            progress=progress.documents_read,
            embed_progress=progress.articles_embedded,
        )
    except ArchiveIndexError as exc:  # damaged index, full disk: its message says what to do
        logger.error("Nạp kho mẫu thất bại: %s", exc)
        progress.update(ProgressSnapshot("failed", message=f"Không nạp được kho mẫu: {exc}"))
        return
    except Exception:  # the server must come up anyway; the log keeps the trace
        logger.exception("Loading the sample archive failed")
        progress.update(
            ProgressSnapshot("failed", message="Không nạp được kho mẫu; xem nhật ký của ứng dụng.")
        )
        return
    logger.info(report.as_text())
    articles = assistant.index.store.counts()["articles"]
    progress.update(ProgressSnapshot("ready", articles, articles, f"Kho mẫu đã sẵn sàng: {articles} bài."))


def start_loading(assistant: ArchiveAssistant, progress: StartupProgress) -> threading.Thread:
    """`load_sample_archive` in a daemon thread (the caller serves the progress page meanwhile)."""
    thread = threading.Thread(
        target=load_sample_archive, args=(assistant, progress), name="sample-archive", daemon=True
    )
    thread.start()
    return thread


def terminal_bar(snapshot: ProgressSnapshot, width: int = BAR_WIDTH) -> str:
    """`[██████░░░░░░] 50 % Đang đọc bài …` for the terminal of `scripts/run.sh`."""
    filled = round(snapshot.fraction * width)
    return (
        f"[{'█' * filled}{'░' * (width - filled)}] {round(snapshot.fraction * 100):3d} % {snapshot.as_text()}"
    )


def print_to_terminal(stream: TextIO = sys.stdout) -> Callable[[ProgressSnapshot], None]:
    """A progress listener drawing the bar in place on a terminal, one line per change otherwise."""
    last: list[str] = []

    def show(snapshot: ProgressSnapshot) -> None:
        line = "      " + terminal_bar(snapshot)
        if last and last[-1] == line:
            return
        last.append(line)
        if stream.isatty():
            stream.write("\r\033[K" + line + ("\n" if snapshot.finished else ""))
        else:
            stream.write(line + "\n")
        stream.flush()

    return show
