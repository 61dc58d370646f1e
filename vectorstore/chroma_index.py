"""Dense vectors in Chroma, embedded on disk or on a Chroma server.

The collection records which embedding model made its vectors; opening it with another model is an
error that says to re-ingest, because vectors of two models cannot be compared. Chroma's own default
embedding function (which would download a model) is never used: we always pass vectors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from vectorstore.errors import EmbeddingModelMismatchError, VectorStoreUnavailableError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DenseHit:
    chunk_id: str
    article_id: str
    similarity: float


def make_chroma_client(db_dir: Path, chroma_url: str | None) -> Any:
    """`PersistentClient` in `db_dir/chroma`, or `HttpClient` when a server URL is configured.
    Telemetry is off by configuration in both cases."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        if not parsed.hostname:
            raise VectorStoreUnavailableError(f"địa chỉ không hợp lệ «{chroma_url}»")
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants
            raise VectorStoreUnavailableError(f"{chroma_url}: {exc}") from exc
    return chromadb.PersistentClient(path=str(db_dir / "chroma"), settings=chroma_settings)


class ChromaIndex:
    """One Chroma collection of chunk vectors with `article_id` and `date_int` metadata."""

    def __init__(self, client: Any, collection: str, model_name: str, dimension: int) -> None:
        self._client = client
        self._name = collection
        self._model_name = model_name
        self._dimension = dimension
        self._collection = self._open()
        recorded = (self._collection.metadata or {}).get("embedding_model")
        if recorded and recorded != model_name:
            raise EmbeddingModelMismatchError(str(recorded), model_name)

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self._name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": 100}},
            metadata={"embedding_model": self._model_name, "dimension": self._dimension},
        )

    def reset(self) -> None:
        """Drop and recreate the collection (used by `rebuild`)."""
        try:
            self._client.delete_collection(self._name)
        except Exception as exc:  # a missing collection is fine: we are recreating it
            logger.info("Collection %s not dropped: %s", self._name, exc)
        self._collection = self._open()

    def count(self) -> int:
        return int(self._collection.count())

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        if not ids:
            return
        # Chroma caps the batch size; stay well below it.
        for start in range(0, len(ids), 2000):
            end = start + 2000
            self._collection.upsert(
                ids=ids[start:end], embeddings=vectors[start:end], metadatas=metadatas[start:end]
            )

    def delete_articles(self, article_ids: list[str]) -> None:
        for start in range(0, len(article_ids), 500):
            part = article_ids[start : start + 500]
            where = {"article_id": part[0]} if len(part) == 1 else {"article_id": {"$in": part}}
            self._collection.delete(where=where)

    def all_ids(self) -> set[str]:
        """Every chunk id stored (used by consistency checks)."""
        ids: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=5000, offset=offset)
            ids.update(page["ids"])
            if len(page["ids"]) < 5000:
                return ids
            offset += 5000

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        found = self._collection.get(ids=ids, include=["embeddings"])
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(found["ids"], found["embeddings"], strict=True)
        }

    def search(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=min(n, total),
            where=where,
            include=["distances", "metadatas"],
        )
        return [
            DenseHit(chunk_id, str(meta["article_id"]), 1.0 - float(distance))
            for chunk_id, meta, distance in zip(
                result["ids"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
        ]
