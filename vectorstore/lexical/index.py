"""BM25 over the archive's chunks, in two fields: exact (with diacritics) and accent-folded.

The index is derived data: the article store holds every chunk's terms, and this module turns them into
sparse BM25 weight matrices (one column per term, so a query is a sum of a few columns). It is rebuilt
whenever the store's generation changes and cached on disk under that generation, so an app start does
not re-tokenise the archive. A damaged cache is simply rebuilt from the store.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse

from vectorstore.lexical.build import K1, B, bm25_matrix, build_fields
from vectorstore.store.article_store import ArticleStore

logger = logging.getLogger(__name__)

CACHE_FORMAT = 2  # bump when the fields change, so an old cache is rebuilt rather than misread


class BM25Field:
    """Precomputed BM25 weights: `matrix[doc, term]`, column-sliced per query."""

    def __init__(self, vocabulary: dict[str, int], matrix: sparse.csc_matrix) -> None:
        self.vocabulary = vocabulary
        self.matrix = matrix

    @classmethod
    def build(cls, documents: list[list[str]], k1: float = K1, b: float = B) -> BM25Field:
        """A field over in-memory term lists (benchmarks and tests; the index uses `build_fields`)."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, terms in enumerate(documents):
            lengths[row] = len(terms)
            for term, count in Counter(terms).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        matrix = bm25_matrix(
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(counts, dtype=np.int64),
            lengths,
            (len(documents), len(vocabulary)),
            k1,
            b,
        )
        return cls(vocabulary, matrix)

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every document for the query terms (repeated terms count once)."""
        ids = sorted({self.vocabulary[t] for t in terms if t in self.vocabulary})
        if not ids:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        return np.asarray(self.matrix[:, ids].sum(axis=1), dtype=np.float32).ravel()


@dataclass
class LexicalSnapshot:
    """The index at one store generation."""

    generation: int
    chunk_ids: list[str]
    article_ids: np.ndarray  # object array of str
    date_ints: np.ndarray  # int64
    exact: BM25Field
    folded: BM25Field
    article_exact: BM25Field  # one document per article: its terms spread over several chunks
    article_row: np.ndarray  # chunk row -> row in article_exact
    article_bigrams: BM25Field  # one document per article: folded syllable bigrams

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {chunk_id: row for row, chunk_id in enumerate(self.chunk_ids)}

    @cached_property
    def _article_groups(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.article_row, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(self.article_row[order]) != 0]) if order.size else order
        return order, starts

    @cached_property
    def article_of_row(self) -> np.ndarray:
        """Article id of each row of the article-level fields."""
        order, starts = self._article_groups
        return np.asarray(self.article_ids[order[starts]])

    def chunk_rows(self, article_row: int) -> np.ndarray:
        """Rows of the chunks of the article at `article_row` of the article-level fields."""
        order, starts = self._article_groups
        end = starts[article_row + 1] if article_row + 1 < len(starts) else len(order)
        return order[starts[article_row] : end]

    def per_article_max(self, chunk_scores: np.ndarray) -> np.ndarray:
        """Best chunk score of every article (rows as in the article-level fields)."""
        order, starts = self._article_groups
        if not order.size:
            return np.zeros(0, dtype=chunk_scores.dtype)
        return np.maximum.reduceat(chunk_scores[order], starts)


class LexicalIndex:
    """Keeps a `LexicalSnapshot` in step with the article store."""

    def __init__(self, store: ArticleStore, cache_dir: Path) -> None:
        self._store = store
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._snapshot: LexicalSnapshot | None = None

    def snapshot(self) -> LexicalSnapshot:
        """The current index; rebuilt (or loaded from cache) if the store changed."""
        generation = self._store.generation()
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != generation:
                self._snapshot = self._load_cache(generation) or self._rebuild(generation)
            return self._snapshot

    def invalidate(self) -> None:
        """Forget the in-memory and cached index; the next `snapshot()` rebuilds it from the store."""
        with self._lock:
            self._snapshot = None
            (self._cache_dir / "bm25.npz").unlink(missing_ok=True)

    def _rebuild(self, generation: int) -> LexicalSnapshot:
        built = build_fields(self._store.iter_chunk_terms())
        snapshot = LexicalSnapshot(
            generation,
            built.chunk_ids,
            np.asarray(built.article_ids, dtype=object),
            built.date_ints,
            BM25Field(built.exact.vocabulary, built.exact.matrix),
            BM25Field(built.folded.vocabulary, built.folded.matrix),
            BM25Field(built.article_exact.vocabulary, built.article_exact.matrix),
            built.article_row,
            BM25Field(built.article_bigrams.vocabulary, built.article_bigrams.matrix),
        )
        self._save_cache(snapshot)
        logger.info("Lexical index rebuilt: %d chunks (generation %d)", len(built.chunk_ids), generation)
        return snapshot

    def _save_cache(self, snapshot: LexicalSnapshot) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        target = self._cache_dir / "bm25.npz"
        temporary = self._cache_dir / f"bm25.{os.getpid()}.tmp.npz"
        header = {
            "format": CACHE_FORMAT,
            "generation": snapshot.generation,
            "chunk_ids": snapshot.chunk_ids,
            "article_ids": snapshot.article_ids.tolist(),
            "exact_vocabulary": list(snapshot.exact.vocabulary),
            "folded_vocabulary": list(snapshot.folded.vocabulary),
            "article_exact_vocabulary": list(snapshot.article_exact.vocabulary),
            "article_bigrams_vocabulary": list(snapshot.article_bigrams.vocabulary),
        }
        arrays: dict[str, np.ndarray] = {"date_ints": snapshot.date_ints, "article_row": snapshot.article_row}
        fields = (
            ("exact", snapshot.exact),
            ("folded", snapshot.folded),
            ("article_exact", snapshot.article_exact),
            ("article_bigrams", snapshot.article_bigrams),
        )
        for name, field in fields:
            arrays[f"{name}_data"] = field.matrix.data
            arrays[f"{name}_indices"] = field.matrix.indices
            arrays[f"{name}_indptr"] = field.matrix.indptr
        header_bytes = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        try:
            np.savez(temporary, allow_pickle=False, header=header_bytes, **arrays)
            os.replace(temporary, target)
        except OSError as exc:  # a cache is optional: a full disk must not break searching
            logger.warning("Could not write lexical cache %s: %s", target, exc)
            temporary.unlink(missing_ok=True)

    def _load_cache(self, generation: int) -> LexicalSnapshot | None:
        path = self._cache_dir / "bm25.npz"
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode("utf-8"))
                if header.get("format") != CACHE_FORMAT or header["generation"] != generation:
                    return None  # stale, or written by an older version: rebuilt from the store
                article_row = np.asarray(data["article_row"], dtype=np.int64)
                rows = {"exact": len(header["chunk_ids"]), "folded": len(header["chunk_ids"])}
                rows["article_exact"] = int(article_row.max()) + 1 if article_row.size else 0
                rows["article_bigrams"] = rows["article_exact"]
                fields = {}
                for name, n_docs in rows.items():
                    vocabulary = {term: i for i, term in enumerate(header[f"{name}_vocabulary"])}
                    matrix = sparse.csc_matrix(
                        (data[f"{name}_data"], data[f"{name}_indices"], data[f"{name}_indptr"]),
                        shape=(n_docs, len(vocabulary)),
                    )
                    fields[name] = BM25Field(vocabulary, matrix)
                return LexicalSnapshot(
                    generation,
                    header["chunk_ids"],
                    np.asarray(header["article_ids"], dtype=object),
                    np.asarray(data["date_ints"], dtype=np.int64),
                    fields["exact"],
                    fields["folded"],
                    fields["article_exact"],
                    article_row,
                    fields["article_bigrams"],
                )
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            logger.warning("Lexical cache %s is damaged (%s); rebuilding from the article store", path, exc)
            return None
