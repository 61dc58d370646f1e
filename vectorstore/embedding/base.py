"""The contract every Archive Assistant embedder fulfils, on top of LangChain's `Embeddings`.

LangChain's interface only embeds. The archive also needs to know *what* embedded (the model name is
recorded in the index so vectors of two models are never mixed), how wide the vectors are, and how many
tokens the model really feeds for a text (the chunker keeps chunks under the model's input limit instead
of letting the model silently truncate them). Vectors travel as numpy arrays inside the project; the
list-of-floats methods exist for LangChain callers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

# multilingual-e5-small scores most pairs 0.7-0.9. Measured on the first 300 questions of ViQuAD 1.0 and
# ViNewsQA dev against the 36 off-topic questions of bench/data/offtopic_questions.jsonl: no off-topic
# question's candidate that also holds about half its rare words and all its names reaches 0.86; half
# the on-topic passages the word test refused (paraphrased questions) do.
E5_PARAPHRASE_SIMILARITY = 0.86


class EmbeddingError(RuntimeError):
    """Base class of embedding failures. The message is Vietnamese and shown to users."""


class EmbeddingModelUnavailableError(EmbeddingError):
    """The configured model is not on this machine. The app never downloads models."""


class EmbeddingDependencyMissingError(EmbeddingModelUnavailableError):
    """The Python package an embedding mode needs is not installed."""


class ArchiveEmbeddings(Embeddings, ABC):
    """A LangChain embedder that also reports its identity, its size and its token counts."""

    @property
    @abstractmethod
    def model_name(self) -> str:
        """Recorded in the index: an index built with one model refuses another."""

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of every vector."""

    @property
    @abstractmethod
    def max_tokens(self) -> int:
        """The model's input limit, special tokens and prefix included."""

    @property
    def paraphrase_similarity(self) -> float | None:
        """Cosine similarity of a question and a passage above which this model has seen the passage
        say what the question asks in other words. The answerer's topic gate accepts such a passage
        with fewer of the question's own words (`assistant.answering.topic_gate`). None: the model's
        scale was not measured, so the gate relies on words alone."""
        return None

    @abstractmethod
    def count_tokens(self, text: str, is_query: bool = False) -> int:
        """Tokens the model actually feeds for `text` (prefix and special tokens included)."""

    @abstractmethod
    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        """Passages as an `(n, dimension)` float32 array of L2-normalised rows."""

    @abstractmethod
    def embed_query_array(self, text: str) -> np.ndarray:
        """A question as a `(dimension,)` float32 L2-normalised vector."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain entry point; prefer `embed_documents_array` inside the project."""
        vectors: list[list[float]] = self.embed_documents_array(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """LangChain entry point; prefer `embed_query_array` inside the project."""
        vector: list[float] = self.embed_query_array(text).tolist()
        return vector


def as_float32_rows(vectors: np.ndarray, count: int, dimension: int) -> np.ndarray:
    """Shape-checks an engine's output so a broken engine fails loudly instead of corrupting the index."""
    array = np.ascontiguousarray(vectors, dtype=np.float32).reshape(count, dimension)
    if not np.all(np.isfinite(array)):
        raise EmbeddingError("Mô hình nhúng trả về giá trị không hợp lệ (NaN hoặc vô cực).")
    return array
