"""A deterministic stand-in embedder for tests: hashed bag of accent-folded words and word pairs.

Tests of ingestion, indexing and retrieval must be fast, offline and give the same numbers on every
machine, yet still behave like an embedder: texts that share words are close, unrelated texts are not.
Signed feature hashing (as in scikit-learn's HashingVectorizer) gives exactly that without a model.
Words are accent-folded so that "Đối ngoại" and "doi ngoai" meet, as they would for a user typing
without diacritics.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ingest.vietnamese_text import folded_tokens, word_tokens
from vectorstore.embedding.base import ArchiveEmbeddings

_UNIGRAM_WEIGHT = 1.0
_BIGRAM_WEIGHT = 0.7
# Every text gets this feature too, so an empty text still has a unit vector (never NaN).
_EMPTY_FEATURE = "\x00empty"


class HashEmbeddings(ArchiveEmbeddings):
    """Deterministic fake embeddings; `count_tokens` is the word count plus two "special" tokens."""

    def __init__(self, dimension: int = 256, max_tokens: int = 512) -> None:
        if dimension < 8:
            raise ValueError("dimension must be at least 8")
        self._dimension = dimension
        self._max_tokens = max_tokens

    @property
    def model_name(self) -> str:
        return f"hash-bow-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_tokens(self) -> int:
        return self._max_tokens

    def count_tokens(self, text: str, is_query: bool = False) -> int:
        return len(word_tokens(text)) + 2

    def _features(self, text: str) -> list[tuple[str, float]]:
        tokens = folded_tokens(text)
        if not tokens:
            return [(_EMPTY_FEATURE, 1.0)]
        features = [(f"u:{token}", _UNIGRAM_WEIGHT) for token in tokens]
        features += [(f"b:{a} {b}", _BIGRAM_WEIGHT) for a, b in pairwise(tokens)]
        return features

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for feature, weight in self._features(text):
            digest = zlib.crc32(feature.encode("utf-8"))
            sign = 1.0 if digest & 0x80000000 else -1.0
            vector[digest % self._dimension] += sign * weight
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:  # every feature cancelled out: fall back to the empty-text direction
            return self._vector("")
        return vector / norm

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vector(text) for text in texts]).astype(np.float32, copy=False)

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._vector(text)
