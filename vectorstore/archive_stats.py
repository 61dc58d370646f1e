"""Archive statistics shown by `python -m ingest stats` and the web app's archive tab."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from vectorstore.archive_index import ArchiveIndex


class ArchiveStats(TypedDict):
    """A dict (printed as JSON by `python -m ingest stats`) with typed keys."""

    articles: int
    chunks: int
    stories: int
    date_from: str | None  # ISO dates
    date_to: str | None
    embedding_model: str
    vector_store: str
    index_bytes: int
    db_dir: str


def archive_stats(index: ArchiveIndex) -> ArchiveStats:
    """What the archive holds (articles, chunks, stories, period), how it is indexed and where."""
    counts = index.store.counts()
    first, last = index.store.date_range()
    return {
        "articles": counts["articles"],
        "chunks": counts["chunks"],
        "stories": counts["stories"],
        "date_from": first.isoformat() if first else None,
        "date_to": last.isoformat() if last else None,
        "embedding_model": index.embedder.model_name,
        "vector_store": index.config.chroma_url or "chroma (nhúng trong máy)",
        "index_bytes": folder_size(index.config.db_dir),
        "db_dir": str(index.config.db_dir),
    }


def folder_size(folder: Path) -> int:
    """Bytes of every file under `folder` (0 if it does not exist)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
