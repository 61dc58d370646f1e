"""Every version of every article: the `article_versions` table and the migration that adds it.

Why a table of superseded versions beside `articles`, rather than a `superseded` status inside it:
`articles` keeps exactly one row per id, the current version, with its chunks and lexical terms, so
everything derived from the store (Chroma vectors, the BM25 index, the diacritic model, statistics,
retrieval) keeps reading `articles` unchanged and can never pick up an old version; the current text is
not stored twice; and migrating an existing database costs two `ALTER TABLE … ADD COLUMN` (constant
time, nothing copied, nothing rewritten). `article_versions` holds every version that stopped being
current: replaced by changed text, by a restore, or removed by `delete`/`--prune` (the last version is
kept, so a deletion can be undone with `restore` too).

A replacement is one transaction (see `ArticleStore.write_pending`): the current row is copied here and
the new version takes its place as `pending`. A kill before the commit leaves the old version current and
searchable; a kill after it leaves the new version current, `pending`, with the old one kept here, and
the next run's `recover()` indexes it. So some version is always current, and none is ever lost.

Version numbers count per article from 1 and never repeat: a new version is numbered one above the
highest number the article ever had, here or in `articles`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from ingest.models import ArticleMetadata, CleanArticle

VERSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_versions (
    article_id TEXT NOT NULL, version INTEGER NOT NULL,
    title TEXT NOT NULL, text TEXT NOT NULL,
    published_date TEXT, page_date TEXT, url TEXT, author TEXT, outlet TEXT, category TEXT,
    content_hash TEXT NOT NULL, text_hash TEXT NOT NULL,
    source TEXT, stored_at TEXT NOT NULL, superseded_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (article_id, version)
);
"""

# Columns `articles` gained in schema 2: the current version's number and where its text came from.
ADDED_ARTICLE_COLUMNS = {
    "version": "INTEGER NOT NULL DEFAULT 1",
    "version_source": "TEXT",
}

_COPIED_COLUMNS = (
    "title, text, published_date, page_date, url, author, outlet, category, content_hash, text_hash"
)
_ARCHIVE_CURRENT = (
    f"INSERT OR IGNORE INTO article_versions(article_id, version, {_COPIED_COLUMNS}, source, stored_at)"
    f" SELECT id, version, {_COPIED_COLUMNS}, version_source, updated_at FROM articles WHERE id = ?"
)
_VERSION_COLUMNS = (
    "version, title, text, published_date, page_date, url, author, outlet, category, source, stored_at"
)


@dataclass(frozen=True)
class ArticleVersion:
    """One version of an article, current or kept."""

    article_id: str
    version: int
    title: str
    text: str
    published_date: date | None
    page_date: date | None
    url: str | None
    author: str | None
    outlet: str | None
    category: str | None
    source: str | None  # the file (or `path:LINE`) it came from, or "khôi phục phiên bản N"
    stored_at: datetime  # when it was stored (UTC)
    current: bool  # the version that answers questions

    def as_clean_article(self) -> CleanArticle:
        return clean_article_of(self)


class ArticleRecord(Protocol):
    """What a stored article and a stored version share (both frozen: read-only members)."""

    @property
    def article_id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def published_date(self) -> date | None: ...

    @property
    def page_date(self) -> date | None: ...

    @property
    def url(self) -> str | None: ...

    @property
    def author(self) -> str | None: ...

    @property
    def outlet(self) -> str | None: ...

    @property
    def category(self) -> str | None: ...


def clean_article_of(record: ArticleRecord) -> CleanArticle:
    """The article (text and metadata) a stored record holds."""
    metadata = ArticleMetadata(
        published_date=record.published_date,
        page_date=record.page_date,
        url=record.url,
        author=record.author,
        outlet=record.outlet,
        category=record.category,
    )
    return CleanArticle(record.article_id, record.title, record.text, metadata)


def migrate_articles_table(conn: sqlite3.Connection) -> None:
    """Add schema 2's columns to an older `articles` table (inside the caller's transaction).

    Idempotent: columns already there are left alone, so a second process that opens the same old
    database just after the first one migrated it changes nothing. Existing articles become version 1,
    their source the first file recorded for them."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    for column, declaration in ADDED_ARTICLE_COLUMNS.items():
        if column not in present:
            conn.execute(f"ALTER TABLE articles ADD COLUMN {column} {declaration}")
    if "version_source" not in present:  # the history names the file each existing article came from
        conn.execute(
            "UPDATE articles SET version_source ="
            " (SELECT MIN(source) FROM sources WHERE sources.article_id = articles.id)"
        )


def keep_current_versions(conn: sqlite3.Connection, article_ids: list[str]) -> None:
    """Copy the current rows of `article_ids` into `article_versions` (before they are replaced or
    deleted; inside the caller's transaction)."""
    conn.executemany(_ARCHIVE_CURRENT, [(article_id,) for article_id in article_ids])


def next_version(conn: sqlite3.Connection, article_id: str) -> int:
    """One above the highest version number `article_id` ever had (1 for a new article)."""
    row = conn.execute(
        "SELECT MAX(v) FROM (SELECT MAX(version) AS v FROM article_versions WHERE article_id = ?"
        " UNION ALL SELECT version FROM articles WHERE id = ?)",
        (article_id, article_id),
    ).fetchone()
    return int(row[0] or 0) + 1


def versions_of(conn: sqlite3.Connection, article_id: str) -> list[ArticleVersion]:
    """Every version of `article_id`, oldest first; empty when the id was never stored.

    The current version is the row in `articles`, unless that row is being deleted."""
    kept = conn.execute(
        f"SELECT {_VERSION_COLUMNS}, 0 FROM article_versions WHERE article_id = ?", (article_id,)
    ).fetchall()
    current = conn.execute(
        "SELECT version, title, text, published_date, page_date, url, author, outlet, category,"
        " version_source, updated_at, status != 'deleting' FROM articles WHERE id = ?",
        (article_id,),
    ).fetchall()
    by_number = {int(row[0]): row for row in kept}
    for row in current:  # a deletion interrupted after its copy was kept: the copy is that version
        by_number[int(row[0])] = row
    return [_version(article_id, by_number[number]) for number in sorted(by_number)]


def has_versions(conn: sqlite3.Connection, article_id: str) -> bool:
    """Whether `article_id` was ever stored (current, kept or deleted)."""
    return next_version(conn, article_id) > 1


def _version(article_id: str, row: tuple[object, ...]) -> ArticleVersion:
    (number, title, text, published, page, url, author, outlet, category, source, stored, current) = row
    return ArticleVersion(
        article_id=article_id,
        version=int(str(number)),
        title=str(title),
        text=str(text),
        published_date=_parse_iso(published),
        page_date=_parse_iso(page),
        url=_optional(url),
        author=_optional(author),
        outlet=_optional(outlet),
        category=_optional(category),
        source=_optional(source),
        stored_at=_parse_stored_at(str(stored)),
        current=bool(current),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _parse_iso(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _parse_stored_at(value: str) -> datetime:
    """SQLite's `datetime('now')` text (`YYYY-MM-DD HH:MM:SS`, UTC) as an aware datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
