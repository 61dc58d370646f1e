"""Archive statistics shown by `python -m ingest stats` and the web app's archive tab.

`articles`/`chunks` count what is searchable (stored, with or without vectors); `vectors` says how far the
embedding stage is («x/y bài đã có vector, còn khoảng N phút», estimated from the measured speed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from vectorstore.archive_index import ArchiveIndex
from vectorstore.background_embedding import embedding_status


class ArchiveStats(TypedDict):
    """A dict (printed as JSON by `python -m ingest stats`) with typed keys."""

    articles: int
    chunks: int
    stories: int
    date_from: str | None  # ISO dates
    date_to: str | None
    embedded_articles: int  # articles whose vectors are in Chroma
    minutes_left: int | None  # to embed the rest at the measured speed (None: not measured yet)
    vectors: str  # the line users read
    embedding_model: str
    vector_store: str
    index_bytes: int
    db_dir: str


def archive_stats(index: ArchiveIndex) -> ArchiveStats:
    """What the archive holds (articles, chunks, stories, period), how it is indexed and where."""
    counts = index.store.counts()
    first, last = index.store.date_range()
    vectors = embedding_status(index)
    return {
        "articles": counts["articles"],
        "chunks": counts["chunks"],
        "stories": counts["stories"],
        "date_from": first.isoformat() if first else None,
        "date_to": last.isoformat() if last else None,
        "embedded_articles": vectors.embedded_articles,
        "minutes_left": vectors.minutes_left,
        "vectors": vectors.text,
        "embedding_model": index.embedder.model_name,
        "vector_store": index.config.chroma_url or "chroma (nhúng trong máy)",
        "index_bytes": folder_size(index.config.db_dir),
        "db_dir": str(index.config.db_dir),
    }


def folder_size(folder: Path) -> int:
    """Bytes of every file under `folder` (0 if it does not exist)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
