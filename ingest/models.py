"""The records that flow through ingestion: raw document -> clean article -> chunks.

Plain frozen dataclasses: they cross process and storage boundaries (SQLite rows, Chroma metadata,
JSON reports), so they hold only simple values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RawDocument:
    """One article's text as read from a file or a JSON Lines row, before cleaning.

    `text` is already decoded and NFC-normalised. Fields given by structured input (JSON Lines) are
    carried as hints; the cleaner keeps them over anything it would infer.
    """

    article_id: str
    source: str  # path (and ":line" for JSON Lines) shown in reports
    text: str
    kind: str  # "txt", "html", "md", "pdf", "docx", "jsonl"
    title: str | None = None
    date: str | None = None
    url: str | None = None
    category: str | None = None
    author: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class ArticleMetadata:
    """What the archive knows about an article besides its text."""

    published_date: date | None = None
    page_date: date | None = None  # the day the page was rendered/scraped, when it differs
    url: str | None = None
    author: str | None = None
    outlet: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class CleanArticle:
    """An article with page furniture removed. `text` holds the body paragraphs separated by blank
    lines; the headline is kept apart in `title` (chunks and spans refer to `text` only)."""

    article_id: str
    title: str
    text: str
    metadata: ArticleMetadata = field(default_factory=ArticleMetadata)

    @property
    def content_hash(self) -> str:
        """Hash of what is indexed: a changed hash means re-chunk and re-embed."""
        payload = "\x1f".join(
            [self.title, self.text, str(self.metadata.published_date), self.metadata.url or ""]
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def text_hash(self) -> str:
        """Hash of the body alone: the same text under two files is one article."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: consecutive sentences of one article, bounded in model tokens.

    `start`/`end` are character offsets into `CleanArticle.text`, so a quote can be highlighted in
    the article it came from.
    """

    article_id: str
    position: int
    text: str
    start: int
    end: int
    token_count: int

    @property
    def chunk_id(self) -> str:
        return f"{self.article_id}#{self.position}"


def article_id_of_chunk(chunk_id: str) -> str:
    """The article a chunk id belongs to: the inverse of `Chunk.chunk_id`'s format, kept beside it."""
    article_id, separator, position = chunk_id.rpartition("#")
    if not separator or not position.isdigit():
        raise ValueError(f"not a chunk id: {chunk_id!r}")
    return article_id


def date_as_int(value: date | None) -> int:
    """`yyyymmdd` for Chroma's numeric filters; 0 means "no date"."""
    return value.year * 10000 + value.month * 100 + value.day if value else 0


@dataclass(frozen=True)
class LoadProblem:
    """An input that could not become an article. `reason` is Vietnamese and shown to users."""

    source: str
    reason: str
