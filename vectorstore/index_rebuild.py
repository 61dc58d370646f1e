"""`rebuild_index`: re-embed every stored article, even when Chroma's own files are damaged.

Why not just `ArchiveIndex(config).rebuild()`: opening the index opens Chroma first, and a damaged
Chroma folder fails right there (or, for some HNSW damage, would crash the process) — exactly when a
rebuild is needed. So the article store is verified first (if *it* is damaged, nothing here can help and
the error says to re-ingest), then Chroma's folder is checked; a damaged one is renamed to
`chroma.damaged-<time>` (kept for inspection, never deleted) and the vectors are rebuilt in a new one.
The original source files are never read. Only the current version of each article is re-embedded;
the versions kept in `article_versions` are history (for `ingest history`/`restore`) and never indexed.

A rebuild is also the one way to move an index to another embedding model (`ARCHIVE_EMBEDDING_MODE` /
`ARCHIVE_EMBEDDING_MODEL` changed): every other command refuses an index whose vectors another model
made (`EmbeddingModelMismatchError`), this one opens it with `switch_model=True` and replaces them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from vectorstore.archive_index import ArchiveIndex
from vectorstore.dense.chroma_folder import check_folder, integrity_problem, move_aside
from vectorstore.embedding.selection import ArchiveEmbeddings
from vectorstore.index_config import IndexConfig
from vectorstore.index_errors import IndexCorruptedError
from vectorstore.store.article_store import ArticleStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RebuildOutcome:
    articles: int
    damaged_folder: Path | None  # where a damaged Chroma folder was moved, if one was
    problem: str | None  # what was wrong with it


def rebuild_index(config: IndexConfig, embedder: ArchiveEmbeddings | None = None) -> RebuildOutcome:
    """Rebuild vectors, lexical index and diacritic model of `config`'s index from its stored articles.

    Raises `ArticleStoreCorruptedError` if the stored articles themselves are damaged."""
    store = ArticleStore(config.db_dir)
    try:
        store.verify()
    finally:
        store.close()
    if config.chroma_url:
        remote = ArchiveIndex(config, embedder, check_vectors=False, switch_model=True)
        return RebuildOutcome(remote.rebuild(), None, None)

    folder = config.db_dir / "chroma"
    problem = _local_problem(folder) or _opening_problem(config, embedder, folder)
    moved = move_aside(folder, problem) if problem else None
    index: ArchiveIndex | None = None
    try:
        index = ArchiveIndex(config, embedder, check_vectors=False, switch_model=True)
        return RebuildOutcome(index.rebuild(), moved, problem)
    except IndexCorruptedError as exc:
        if moved is not None or not exc.path.is_relative_to(folder):
            raise
        # Damage no check could see showed up while dropping or refilling the collection.
        if index is not None:
            index.close()
        problem = f"{exc.path}: {exc.detail}"
        moved = move_aside(folder, problem)
        index = ArchiveIndex(config, embedder, check_vectors=False, switch_model=True)
        return RebuildOutcome(index.rebuild(), moved, problem)


def _local_problem(folder: Path) -> str | None:
    """What is wrong with the local Chroma files, or None: their layout, then SQLite's full check."""
    if not folder.exists():
        return None
    try:
        check_folder(folder)
    except IndexCorruptedError as exc:
        return f"{exc.path}: {exc.detail}"
    sqlite_problem = integrity_problem(folder)
    return f"{folder / 'chroma.sqlite3'}: {sqlite_problem}" if sqlite_problem else None


def _opening_problem(config: IndexConfig, embedder: ArchiveEmbeddings | None, folder: Path) -> str | None:
    """What goes wrong when Chroma opens the folder and loads its vectors, or None."""
    if not folder.exists():
        return None
    try:
        ArchiveIndex(config, embedder, switch_model=True).close()
    except IndexCorruptedError as exc:
        if not exc.path.is_relative_to(folder):
            raise
        return f"{exc.path}: {exc.detail}"
    return None
