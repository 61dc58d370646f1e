"""`run_ingest`: files -> clean articles -> chunks -> embeddings + lexical terms, incrementally.

Why here and not in `ingest/`: `ingest` knows what an article is (reading, cleaning, chunking) and
nothing about storage; this run writes into the index, so it sits in the layer that owns the index and
its write protocol (writer lock, `pending`/`indexed` journal, diacritic model file) and reaches down into
`ingest` for the rest. It takes an `IngestConfig`, never the application's settings
(`Settings.ingest_config` maps them).

Unchanged articles (same content hash) cost nothing; the same text under two files is stored once with
both sources recorded; near-duplicates are linked as one story. Changed content under a stored id never
silently overwrites it: the store keeps the old version (`article_versions`), and the `ReplacePolicy`
decides whether the new text becomes the current version (the command line, reported «thay thế bài …
(phiên bản cũ được giữ)») or a new article under a free id (web uploads; see `replacement_policy.py`).
Two stages (see `ArchiveIndex`): the whole run is first stored (text, chunks, lexical terms, in small
batches of one transaction each), which makes it searchable lexically within minutes even for a large
archive; only then are the vectors computed (`background_embedding.embed_missing`), batch by batch,
taking the writer lock only to write each batch, so questions and uploads get through meanwhile.
`embed` says which articles the run embeds: every article waiting for vectors (the default, so the
next run finishes what a killed one left), only its own, or none (`--lexical-only`; `python -m ingest
embed` or the web app's worker does it later). While this process runs a background embedder for the
index (the web app), "all" means the run's own: an upload must not wait for the archive's backlog. A killed run loses
at most the batch in flight and the next run finishes both stages.

The diacritic model learns new articles only every few thousand, so a run that stops early (killed, disk
full) would leave indexed articles it never learned — and the next run sees them as unchanged. A store
flag, set before a batch is indexed and cleared once the model has learned it, makes the next run
retrain the model from the stored articles instead. A run that replaced an article retrains the model
from the stored (current) articles at its end, so replaced text stops shaping the restored questions.
"""

from __future__ import annotations

import gzip
import logging
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol

from ingest.chunker import ChunkingConfig, ChunkingError, chunk_article
from ingest.loaders import iter_documents
from ingest.models import CleanArticle, LoadProblem
from ingest.near_duplicates import hamming_distance, simhash
from ingest.page_cleaner import EmptyArticleError, clean_article
from ingest.report import FileOutcome, IngestReport
from vectorstore.archive_index import ArchiveIndex, PreparedArticle
from vectorstore.background_embedding import EmbedProgress, embed_missing, has_background_embedder
from vectorstore.dense.vector_batch import TEXTS_PER_CALL
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.embedding.base import ArchiveEmbeddings
from vectorstore.index_config import IngestConfig
from vectorstore.lexical.terms import exact_terms
from vectorstore.replacement_policy import REPLACE_ANY, ReplacePolicy, decide
from vectorstore.store.writer_lock import exclusive_writer

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int | None], None]
EmbedScope = Literal["run", "all", "none"]
BATCH_CHUNKS = 64
RESTORER_BATCH_ARTICLES = 2000
RESTORER_BEHIND = "restorer_behind"  # meta key: articles were indexed that the model has not learned
ESTIMATE_SAMPLE_BYTES = 4 * 1024 * 1024  # unpacked bytes of a JSON Lines file read to estimate its rows


def run_ingest(
    paths: Sequence[Path],
    config: IngestConfig,
    *,
    prune: bool = False,
    index: ArchiveIndex | None = None,
    progress: ProgressCallback | None = None,
    replace_policy: ReplacePolicy = REPLACE_ANY,
    article_ids: Mapping[str, str] | None = None,
    embed: EmbedScope = "all",
    embed_progress: EmbedProgress | None = None,
    texts_per_call: int | None = TEXTS_PER_CALL,
) -> IngestReport:
    """Ingest files and folders into the index of `config` (opened unless `index` is that index, already
    open); returns the per-file report.

    `embed`: after storing, embed this run's articles ("run"), every article waiting for vectors
    ("all") or none ("none"); `texts_per_call` as in `embed_missing` (None: whole batches, fastest when
    no question shares the process).

    `replace_policy` says which stored articles changed content may replace (their old version is kept
    either way); `article_ids` gives the id a file's article gets (file path -> id) instead of the one
    its name gives (a web upload stored as `x-2.txt` that is meant to replace article `x`).

    Holds the index's writer lock while storing: another ingest, rebuild or upload waits for it; the
    embedding stage takes it per batch."""
    started = time.perf_counter()
    index = index or ArchiveIndex(config.index)
    with exclusive_writer(config.index.db_dir):
        report, stored_ids = _run_ingest(
            paths,
            config,
            prune=prune,
            index=index,
            progress=progress,
            replace_policy=replace_policy,
            article_ids=article_ids or {},
        )
    if embed != "none":
        outcome = embed_missing(
            index,
            only=stored_ids if embed == "run" or has_background_embedder(index) else None,
            progress=embed_progress,
            batch_chunks=BATCH_CHUNKS,
            texts_per_call=texts_per_call,
        )
        report.embedded_chunks += outcome.chunks
        report.embedding_seconds += outcome.seconds
    report.seconds = time.perf_counter() - started
    return report


def _run_ingest(
    paths: Sequence[Path],
    config: IngestConfig,
    *,
    prune: bool,
    index: ArchiveIndex,
    progress: ProgressCallback | None,
    replace_policy: ReplacePolicy,
    article_ids: Mapping[str, str],
) -> tuple[IngestReport, list[str]]:
    """The first stage of the run (under the writer lock): the report and the ids it stored."""
    started = time.perf_counter()
    report = IngestReport()
    report.recovered = sum(index.recover().values())
    clock_before = index.clock.seconds
    known_sources = index.store.article_ids_for_sources()
    seen_sources: set[str] = set()
    run_text_hashes: dict[str, str] = {}
    run_ids: set[str] = set()
    replaced_ids: set[str] = set()
    batch: list[PreparedArticle] = []
    pending_outcomes: list[FileOutcome] = []
    total = estimate_documents(paths)
    done = 0
    restorer = RestorerFile(config.index.db_dir, index.store.iter_article_texts)
    _catch_up_restorer(index, restorer)
    to_learn: list[str] = []
    stored_ids: list[str] = []

    def flush(final: bool = False) -> None:
        if batch and not to_learn:
            index.store.set_meta(RESTORER_BEHIND, "1")
        stored_ids.extend(index.store_articles(batch))
        for outcome in pending_outcomes:
            report.add(outcome)
        to_learn.extend(f"{p.article.title}\n{p.article.text}" for p in batch)
        batch.clear()
        pending_outcomes.clear()
        if (to_learn or (final and replaced_ids)) and (final or len(to_learn) >= RESTORER_BATCH_ARTICLES):
            if final and replaced_ids:  # replaced text must leave the model: learn the current versions
                restorer.retrain(index.store.iter_article_texts())
            else:
                restorer.learn(to_learn)  # new words become restorable for unaccented questions
            to_learn.clear()
            if final or not replaced_ids:
                index.store.set_meta(RESTORER_BEHIND, "")

    for item in iter_documents(paths, config.max_file_bytes, config.reader_limits):
        done += 1
        if progress:
            progress(done, total)
        if isinstance(item, LoadProblem):
            report.add(FileOutcome(item.source, None, "rejected", item.reason))
            continue
        seen_sources.add(item.source)
        if item.source in article_ids:
            item = replace(item, article_id=article_ids[item.source])
        try:
            article = clean_article(item)
        except EmptyArticleError as exc:
            report.add(FileOutcome(item.source, item.article_id, "rejected", str(exc)))
            continue
        decision = decide(index.store, article, replace_policy, run_text_hashes, run_ids)
        article = decision.article
        if decision.status in {"unchanged", "duplicate"}:
            index.store.record_source(item.source, article.article_id)
            report.add(FileOutcome(item.source, article.article_id, decision.status, decision.reason))
            continue
        try:
            prepared = prepare_article(index, article, config.chunking, batch, source=item.source)
        except ChunkingError as exc:
            report.add(FileOutcome(item.source, item.article_id, "rejected", str(exc)))
            continue
        run_text_hashes[article.text_hash] = article.article_id
        run_ids.add(article.article_id)
        if decision.status == "replaced":
            replaced_ids.add(article.article_id)
        batch.append(prepared)
        index.store.record_source(item.source, article.article_id)
        pending_outcomes.append(
            FileOutcome(item.source, article.article_id, decision.status, decision.reason)
        )
        if sum(len(p.chunks) for p in batch) >= BATCH_CHUNKS:
            flush()
    flush(final=True)

    if prune:
        _prune(index, paths, known_sources, seen_sources, report)
    counts = index.store.counts()
    report.articles, report.chunks = counts["articles"], counts["chunks"]
    report.embedding_seconds = index.clock.seconds - clock_before
    report.seconds = time.perf_counter() - started
    return report, stored_ids


def _catch_up_restorer(index: ArchiveIndex, restorer: RestorerFile) -> None:
    """Retrain the diacritic model if an earlier run stopped before it learned what it indexed."""
    if index.store.get_meta(RESTORER_BEHIND) == "1":
        logger.warning("An earlier run stopped before the diacritic model learned its articles; retraining")
        restorer.retrain(index.store.iter_article_texts())
        index.store.set_meta(RESTORER_BEHIND, "")


def prepare_article(
    index: ArchiveIndex,
    article: CleanArticle,
    chunking: ChunkingConfig,
    in_flight: Sequence[PreparedArticle] = (),
    *,
    source: str | None = None,
) -> PreparedArticle:
    """Chunk `article`, compute its lexical terms and find its story (among the stored articles and
    `in_flight`, the batch not yet written); `source` is kept with the version it becomes."""
    embedder = index.embedder
    bounded = chunking.within(embedder.max_tokens)
    chunks = chunk_article(
        article,
        lambda text: _count_tokens(embedder, text),
        max_tokens=bounded.max_tokens,
        target_tokens=bounded.target_tokens,
        overlap_sentences=bounded.overlap_sentences,
    )
    terms = [" ".join(exact_terms(f"{article.title}\n{chunk.text}")) for chunk in chunks]
    fingerprint = simhash(article.text)
    story = None
    if fingerprint:
        story = next(
            (p.story_id for p in in_flight if p.simhash and hamming_distance(p.simhash, fingerprint) <= 3),
            None,
        ) or index.store.similar_story(fingerprint, article.article_id)
    return PreparedArticle(article, chunks, terms, fingerprint, story or article.article_id, source)


@lru_cache(maxsize=4096)
def _count_tokens(embedder: ArchiveEmbeddings, text: str) -> int:
    """Token counts are the first stage's main cost after word segmentation; every article repeats the
    chunker's probes, and near-duplicate articles their sentences."""
    return embedder.count_tokens(text)


def _prune(
    index: ArchiveIndex,
    paths: Sequence[Path],
    known_sources: dict[str, str],
    seen_sources: set[str],
    report: IngestReport,
) -> None:
    """Forget sources under the given paths that were not seen; delete articles left with none."""
    roots = [str(p) for p in paths]
    gone = [
        source
        for source in known_sources
        if source not in seen_sources and any(_source_file(source).startswith(root) for root in roots)
    ]
    if not gone:
        return
    index.store.remove_sources(gone)
    orphaned = sorted({known_sources[s] for s in gone if not index.store.sources_of(known_sources[s])})
    index.delete(orphaned)
    for article_id in orphaned:
        report.add(FileOutcome(article_id, article_id, "deleted", "tệp nguồn không còn"))


def _source_file(source: str) -> str:
    """A JSON Lines source is `path:LINE`; the file is the part before the line number."""
    head, _, tail = source.rpartition(":")
    return head if head and tail.isdigit() else source


def estimate_documents(paths: Sequence[Path]) -> int | None:
    """How many documents the run will see (files, plus lines of JSON Lines), for the progress ETA.

    Only an estimate, so it reads little: a JSON Lines file's lines are counted in its first
    `ESTIMATE_SAMPLE_BYTES` (unpacked) and scaled to the file's size on disk; a small file is counted
    exactly. It never reads a whole line, so a gzip bomb or a sparse file without newlines costs one sample.
    """
    total = 0
    try:
        for root in paths:
            files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
            for path in files:
                name = path.name.lower()
                if name.endswith(".jsonl"):
                    with path.open("rb") as handle:
                        total += _estimate_lines(handle, handle, path.stat().st_size)
                elif name.endswith(".jsonl.gz"):
                    with path.open("rb") as raw, gzip.open(raw, "rb") as handle:
                        total += _estimate_lines(handle, raw, path.stat().st_size)
                else:
                    total += 1
    except (OSError, EOFError, zlib.error):
        return None
    return total


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Seekable(Protocol):
    def tell(self) -> int: ...


def _estimate_lines(handle: _Readable, raw: _Seekable, size_on_disk: int) -> int:
    """Lines in `handle` (at least 1): counted in a sample, scaled by how much of the file on disk
    (`raw`, the same stream before decompression) the sample used."""
    sample = handle.read(ESTIMATE_SAMPLE_BYTES)
    lines = sample.count(b"\n")
    if len(sample) < ESTIMATE_SAMPLE_BYTES or not handle.read(1):
        return max(lines + (1 if sample and not sample.endswith(b"\n") else 0), 1)
    used = raw.tell()
    return max(round(lines * size_on_disk / used), 1) if used else max(lines, 1)
