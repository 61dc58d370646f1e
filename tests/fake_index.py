"""A tiny in-memory archive for unit tests of dense completion and fusion: a real `LexicalSnapshot` built
from a few hand-written chunks, with hand-picked vectors instead of Chroma and an embedder.

Why not a real index: Chroma's HNSW search is approximate, so which chunks it returns cannot be chosen,
and an on-disk index makes the test an integration test. Here every chunk's vector and every dense
candidate is set by the test, so the expected scores can be worked out by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vectorstore.dense.chroma_index import DenseHit
from vectorstore.lexical.build import build_fields
from vectorstore.lexical.index import BM25Field, LexicalSnapshot
from vectorstore.lexical.terms import exact_terms


@dataclass(frozen=True)
class FakeChunk:
    """One chunk: `article_id#position`, its text (lexical terms) and its vector."""

    article_id: str
    position: int
    text: str
    vector: Sequence[float]
    date_int: int = 0

    @property
    def chunk_id(self) -> str:
        return f"{self.article_id}#{self.position}"


def build_snapshot(chunks: Sequence[FakeChunk]) -> LexicalSnapshot:
    """The snapshot the lexical index would build from these chunks (rows in the given order)."""
    built = build_fields(
        (chunk.chunk_id, chunk.article_id, " ".join(exact_terms(chunk.text)), chunk.date_int)
        for chunk in chunks
    )
    return LexicalSnapshot(
        generation=1,
        chunk_ids=built.chunk_ids,
        article_ids=np.asarray(built.article_ids, dtype=object),
        date_ints=built.date_ints,
        exact=BM25Field(built.exact.vocabulary, built.exact.matrix),
        folded=BM25Field(built.folded.vocabulary, built.folded.matrix),
        article_exact=BM25Field(built.article_exact.vocabulary, built.article_exact.matrix),
        article_row=built.article_row,
        article_bigrams=BM25Field(built.article_bigrams.vocabulary, built.article_bigrams.matrix),
    )


QUERY = (1.0, 0.0, 0.0)


def at_cosine(similarity: float, length: float = 1.0) -> tuple[float, float, float]:
    """A vector whose cosine with `QUERY` is `similarity`, of any length (cosine ignores length)."""
    return (length * similarity, length * float(np.sqrt(1.0 - similarity**2)), 0.0)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


@dataclass
class FakeChroma:
    """Stands in for `ChromaIndex`: `search` returns the chosen candidates (the approximate nearest
    chunks) with their exact cosine; `get_vectors` returns stored vectors and records what was asked."""

    chunks: Sequence[FakeChunk]
    candidates: Sequence[str] = ()  # chunk ids that "HNSW" returns
    missing: frozenset[str] = frozenset()  # chunk ids whose vectors are not stored
    vector_requests: list[list[str]] = field(default_factory=list)

    def _vector(self, chunk_id: str) -> Sequence[float]:
        return next(chunk.vector for chunk in self.chunks if chunk.chunk_id == chunk_id)

    def search(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        hits = [DenseHit(c, c.rpartition("#")[0], cosine(vector, self._vector(c))) for c in self.candidates]
        return sorted(hits, key=lambda hit: -hit.similarity)[:n]

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        self.vector_requests.append(list(ids))
        return {i: np.asarray(self._vector(i), dtype=np.float32) for i in ids if i not in self.missing}


@dataclass
class FakeEmbedder:
    """Every query embeds to the same chosen vector."""

    vector: Sequence[float]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.vector]

    def embed_query_array(self, text: str) -> np.ndarray:
        return np.asarray(self.vector, dtype=np.float32)


@dataclass
class FakeStore:
    """Only what the retriever asks the article store for when no category/outlet filter is set."""

    def get_article(self, article_id: str) -> None:
        return None

    def ids_matching(self, category: str | None, outlet: str | None) -> set[str]:
        return set()


@dataclass
class FakeLexical:
    snapshot_value: LexicalSnapshot

    def snapshot(self) -> LexicalSnapshot:
        return self.snapshot_value


@dataclass
class FakeIndex:
    """What `HybridRetriever` reads from an `ArchiveIndex`: lexical snapshot, embedder, Chroma, store."""

    lexical: FakeLexical
    embedder: FakeEmbedder
    chroma: FakeChroma
    store: FakeStore = field(default_factory=FakeStore)
    without_vectors: frozenset[str] = frozenset()  # articles stored but not embedded yet

    def articles_without_vectors(self) -> frozenset[str]:
        return self.without_vectors


def fake_index(
    chunks: Sequence[FakeChunk], candidates: Sequence[str], query_vector: Sequence[float]
) -> FakeIndex:
    """An index over `chunks` whose dense search returns exactly `candidates`."""
    return FakeIndex(
        FakeLexical(build_snapshot(chunks)),
        FakeEmbedder(query_vector),
        FakeChroma(chunks, candidates),
    )
