"""What the storage layer is told: where the index lives, how it embeds, how articles are cut.

These small frozen configs are all `vectorstore` knows of the application's settings: the assistant
maps its `Settings` onto them (`Settings.index_config`, `Settings.ingest_config`), so the LLM key and the
login file never reach the storage layer. Kept free of heavy imports so that mapping stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunker import ChunkingConfig
from ingest.reader_limits import ReaderLimits
from vectorstore.embedding.config import EmbeddingConfig

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class IndexConfig:
    """Where the index lives and how it embeds."""

    db_dir: Path  # articles.sqlite3, lexical/, diacritics.json.gz and (embedded mode) chroma/
    chroma_url: str | None = None  # http://host:port of a Chroma server instead of embedded Chroma
    collection: str = "archive_chunks"
    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)


@dataclass(frozen=True)
class IngestConfig:
    """The index an ingestion run writes into, how it chunks, the largest input file it accepts and what
    reading one file may cost (unpacked bytes, nesting, pages, time)."""

    index: IndexConfig
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    reader_limits: ReaderLimits = field(default_factory=ReaderLimits)
