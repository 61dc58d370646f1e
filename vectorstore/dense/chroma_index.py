"""Dense vectors in Chroma, embedded on disk or on a Chroma server.

The collection records which embedding model made its vectors; opening it with another model is an
error that says to re-ingest, because vectors of two models cannot be compared. Chroma's own default
embedding function (which would download a model) is never used: we always pass vectors.

Every call into Chroma goes through `_translated`, so a damaged folder, a full disk or an unreachable
server reaches the user as one Vietnamese `ArchiveIndexError` (see `storage_errors`), never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.models import article_id_of_chunk
from vectorstore.dense.chroma_folder import check_folder, release_cached_system
from vectorstore.error_translation import chroma_error, chroma_open_error
from vectorstore.index_errors import (
    ArchiveIndexError,
    EmbeddingModelMismatchError,
    VectorStoreUnavailableError,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DenseHit:
    chunk_id: str
    article_id: str
    similarity: float


def chroma_location(db_dir: Path, chroma_url: str | None) -> Path | str:
    """Where the vectors live: the server URL, or the `chroma` folder inside the index folder."""
    return chroma_url or db_dir / "chroma"


def make_chroma_client(db_dir: Path, chroma_url: str | None) -> Any:
    """`PersistentClient` in `db_dir/chroma`, or `HttpClient` when a server URL is configured.
    Telemetry is off by configuration in both cases. The local folder is checked first (Chroma would
    crash or silently lose vectors on some kinds of damage)."""
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
    folder = db_dir / "chroma"
    check_folder(folder)
    try:
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except Exception as exc:
        release_cached_system(folder)  # chromadb keeps the failed system; the next open would reuse it
        raise chroma_open_error(folder, exc) from exc


class ChromaIndex:
    """One Chroma collection of chunk vectors with `article_id` and `date_int` metadata."""

    def __init__(
        self,
        client: Any,
        collection: str,
        model_name: str,
        dimension: int,
        location: Path | str = "chroma",
        *,
        accept_other_model: bool = False,
    ) -> None:
        self._client = client
        self._name = collection
        self._model_name = model_name
        self._dimension = dimension
        self.location = location
        self._remote = isinstance(location, str)
        with self._translated(writing=True):
            self._collection = self._open()
        recorded = (self._collection.metadata or {}).get("embedding_model")
        # Another model's vectors: an error, unless the caller is about to `reset` (a rebuild).
        self.other_model = str(recorded) if recorded and recorded != model_name else None
        if self.other_model and not accept_other_model:
            raise EmbeddingModelMismatchError(self.other_model, model_name)

    @contextmanager
    def _translated(self, writing: bool = False) -> Iterator[None]:
        """Re-raise storage failures of Chroma as the `ArchiveIndexError` that says what to do."""
        try:
            yield
        except ArchiveIndexError:
            raise
        except BaseException as exc:
            error = chroma_error(self.location, exc, remote=self._remote, writing=writing)
            if error is None:
                raise
            logger.debug("Chroma call failed", exc_info=exc)  # the caller reports `error`
            raise error from exc

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self._name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": 100}},
            metadata={"embedding_model": self._model_name, "dimension": self._dimension},
        )

    def close(self) -> None:
        """Let go of the client (local mode: Chroma's files are closed when no client uses them)."""
        close = getattr(self._client, "close", None)
        if close is not None:
            try:
                close()
            except Exception as exc:  # closing a client of a damaged folder may fail; it is dropped anyway
                logger.debug("Closing the Chroma client failed: %s", exc)

    def reset(self) -> None:
        """Drop and recreate the collection, recorded as the configured model's (used by `rebuild`)."""
        with self._translated(writing=True):
            try:
                self._client.delete_collection(self._name)
            except Exception as exc:
                from chromadb.errors import NotFoundError

                if not isinstance(exc, NotFoundError | ValueError):
                    raise
                logger.info("Collection %s not dropped: %s", self._name, exc)  # it did not exist
            self._collection = self._open()
        self.other_model = None

    def count(self) -> int:
        with self._translated():
            return int(self._collection.count())

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        if not ids:
            return
        # Chroma caps the batch size; stay well below it.
        with self._translated(writing=True):
            for start in range(0, len(ids), 2000):
                end = start + 2000
                self._collection.upsert(
                    ids=ids[start:end], embeddings=vectors[start:end], metadatas=metadatas[start:end]
                )

    def delete_articles(self, article_ids: list[str]) -> None:
        with self._translated(writing=True):
            for start in range(0, len(article_ids), 500):
                part = article_ids[start : start + 500]
                where = {"article_id": part[0]} if len(part) == 1 else {"article_id": {"$in": part}}
                self._collection.delete(where=where)

    def all_ids(self) -> set[str]:
        """Every chunk id stored (used by consistency checks)."""
        ids: set[str] = set()
        offset = 0
        with self._translated():
            while True:
                page = self._collection.get(include=[], limit=5000, offset=offset)
                ids.update(page["ids"])
                if len(page["ids"]) < 5000:
                    return ids
                offset += 5000

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        with self._translated():
            found = self._collection.get(ids=ids, include=["embeddings"])
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(found["ids"], found["embeddings"], strict=True)
        }

    def search(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        """The `n` nearest chunks. Chroma returns fewer when it holds fewer (or none), so no `count()`
        first: at 100k chunks that call cost 14 ms per question. Only distances are fetched; the
        article id is the chunk id's prefix (`article_id_of_chunk`)."""
        with self._translated():
            result = self._collection.query(
                query_embeddings=[vector], n_results=n, where=where, include=["distances"]
            )
        return [
            DenseHit(chunk_id, article_id_of_chunk(chunk_id), 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]
