"""SQLite store of clean articles, their chunks and lexical terms: the archive's source of truth.

Why SQLite: one file, transactional, in the standard library. The article row's `status` doubles as the
journal that makes ingestion crash-safe, in two stages. An article is written here first as `stored`
(text, chunks and lexical terms in one transaction): from that commit on it is searchable lexically and
can be answered from. Then its vectors go to Chroma and it becomes `indexed` (searchable densely too).
After a SIGKILL at any moment an article is either stored whole or not at all; the next run embeds every
`stored` article and finishes every `deleting` one. `pending` is what earlier versions wrote before the
vectors existed: it is treated exactly like `stored`.

Stored text is never overwritten or dropped: a changed article's current version is kept in
`article_versions` in the same transaction that writes its new version, and a deleted article's last
version too (see `article_versions.py` for why a table and how some version is always current).
Schema 1 databases (before versions) are migrated in place when opened: one transaction, idempotent.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.models import Chunk, CleanArticle, date_as_int
from vectorstore.error_translation import quick_check_problem, store_error
from vectorstore.index_errors import ArticleStoreCorruptedError
from vectorstore.store.article_versions import (
    VERSIONS_SCHEMA,
    ArticleVersion,
    clean_article_of,
    has_versions,
    keep_current_versions,
    migrate_articles_table,
    next_version,
    versions_of,
)

SCHEMA_VERSION = 2
MIGRATABLE_SCHEMAS = {"1"}  # older schemas `_check_schema` upgrades in place

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL,
    published_date TEXT, page_date TEXT, date_int INTEGER NOT NULL DEFAULT 0,
    url TEXT, author TEXT, outlet TEXT, category TEXT,
    content_hash TEXT NOT NULL, text_hash TEXT NOT NULL, simhash INTEGER NOT NULL DEFAULT 0,
    story_id TEXT, status TEXT NOT NULL, updated_at TEXT NOT NULL DEFAULT (datetime('now')),
    version INTEGER NOT NULL DEFAULT 1, version_source TEXT
);
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash);
CREATE INDEX IF NOT EXISTS articles_status ON articles(status);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article_id);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, token_count INTEGER NOT NULL, terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band INTEGER NOT NULL, value INTEGER NOT NULL, article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS simhash_bands_lookup ON simhash_bands(band, value);
"""

# Articles retrieval sees: stored (lexical signals only) or indexed (with vectors); `deleting` is on its way out.
SEARCHABLE = "status != 'deleting'"
NEEDS_VECTORS = "('stored', 'pending')"  # `pending`: written by versions before the `stored` stage

# The columns of `StoredChunk`, in its field order; callers add the WHERE and ORDER BY.
_CHUNK_SELECT = (
    "SELECT c.id, c.article_id, c.position, c.text, c.start, c.end, c.terms, a.date_int FROM chunks c"
    " JOIN articles a ON a.id = c.article_id"
)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk row as the lexical index and the retriever need it."""

    chunk_id: str
    article_id: str
    position: int
    text: str
    start: int
    end: int
    terms: str
    date_int: int


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: the clean article, the story it belongs to and its journal status."""

    article_id: str
    title: str
    text: str
    published_date: date | None
    page_date: date | None
    url: str | None
    author: str | None
    outlet: str | None
    category: str | None
    story_id: str | None  # the first article of its near-duplicate group
    status: str  # stored | indexed | deleting (`pending` from older versions = stored; module docstring)
    version: int = 1  # its number in the article's history (`ArticleStore.versions_of`)

    def as_clean_article(self) -> CleanArticle:
        return clean_article_of(self)


class ArticleStore:
    """Thread-safe access to `articles.sqlite3` in the index folder."""

    def __init__(self, db_dir: Path) -> None:
        db_dir.mkdir(parents=True, exist_ok=True)
        self.path = db_dir / "articles.sqlite3"
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA + VERSIONS_SCHEMA)
            self._check_schema()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def _check_schema(self) -> None:
        found = self.get_meta("schema_version")
        if found == str(SCHEMA_VERSION):
            return
        if found is not None and found not in MIGRATABLE_SCHEMAS:
            raise ArticleStoreCorruptedError(self.path, f"phiên bản lược đồ {found} (cần {SCHEMA_VERSION})")
        with self.transaction() as conn:  # a new store, or an older one upgraded in place
            migrate_articles_table(conn)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def verify(self) -> None:
        """SQLite's full page check (slow on big files): `rebuild` must not start from a damaged store."""
        problem = quick_check_problem([row[0] for row in self._query("PRAGMA quick_check")])
        if problem:
            raise ArticleStoreCorruptedError(self.path, problem)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all.

        SQLite errors (a full disk above all) become the `ArchiveIndexError` that says what to do. On
        SQLITE_FULL SQLite may already have rolled back, so ROLLBACK is only sent if a transaction is open
        (otherwise its own error would hide the real one)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    def _write(self, sql: str, params: Iterable[object]) -> None:
        """One autocommitted statement, with SQLite errors translated like `transaction`."""
        with self._lock:
            try:
                self._conn.execute(sql, tuple(params))
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._conn.execute(sql, tuple(params))
                return cursor.fetchall()
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    # --- metadata ----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        """Counter bumped by every change of the searchable set; derived indexes compare against it."""
        return int(self.get_meta("generation") or 0)

    def vector_generation(self) -> int:
        """Counter bumped whenever articles gain or lose their vectors (see `ids_without_vectors`)."""
        return int(self.get_meta("vector_generation") or 0)

    @staticmethod
    def _bump_generation(conn: sqlite3.Connection) -> None:
        _bump_counter(conn, "generation")

    # --- writes (each called inside `transaction`) ---------------------------------------------
    def write_pending(
        self,
        conn: sqlite3.Connection,
        article: CleanArticle,
        chunks: list[Chunk],
        terms: list[str],
        simhash: int,
        story_id: str,
        *,
        source: str | None = None,
        new_version: bool = False,
    ) -> int:
        """Store an article, its chunks and lexical terms as `stored` (searchable lexically, no vectors
        yet); returns its version number.

        Changed content under a stored id becomes a new version and the current one is kept in
        `article_versions` (same transaction); the same content written again (a run finishing what a
        killed one left) keeps its version. `source` says where this version's text came from.
        `new_version` makes a new version even when the hashed content is the same: a metadata
        correction (the outlet is not in `content_hash`) must stay undoable."""
        meta = article.metadata
        current = conn.execute(
            "SELECT content_hash, version, version_source, updated_at FROM articles WHERE id = ?",
            (article.article_id,),
        ).fetchone()
        if current is not None and current[0] == article.content_hash and not new_version:
            version, source, stored_at = int(current[1]), current[2] or source, current[3]
        else:
            if current is not None:
                keep_current_versions(conn, [article.article_id])
            version, stored_at = next_version(conn, article.article_id), None
        conn.execute("DELETE FROM chunks WHERE article_id = ?", (article.article_id,))
        conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", (article.article_id,))
        conn.execute(
            "INSERT OR REPLACE INTO articles(id, title, text, published_date, page_date, date_int, url,"
            " author, outlet, category, content_hash, text_hash, simhash, story_id, status, updated_at,"
            " version, version_source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'stored', COALESCE(?, datetime('now')), ?, ?)",
            (
                article.article_id, article.title, article.text, _iso(meta.published_date),
                _iso(meta.page_date), date_as_int(meta.published_date), meta.url, meta.author,
                meta.outlet, meta.category, article.content_hash, article.text_hash,
                _to_signed64(simhash), story_id, stored_at, version, source,
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO chunks(id, article_id, position, text, start, end, token_count, terms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (c.chunk_id, c.article_id, c.position, c.text, c.start, c.end, c.token_count, t)
                for c, t in zip(chunks, terms, strict=True)
            ],
        )
        conn.executemany(
            "INSERT INTO simhash_bands(band, value, article_id) VALUES (?, ?, ?)",
            [(band, value, article.article_id) for band, value in simhash_bands(simhash)],
        )
        self._bump_generation(conn)
        return version

    def mark_indexed(self, article_ids: list[str]) -> None:
        """The articles' vectors are in Chroma. The searchable set does not change (they were searchable
        lexically), so the lexical index is not rebuilt: only the vector generation moves."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET status = 'indexed' WHERE id = ? AND status != 'deleting'",
                [(a,) for a in article_ids],
            )
            _bump_counter(conn, "vector_generation")

    def mark_stored(self, article_ids: list[str]) -> None:
        """The articles' vectors are gone or from another model (`rebuild`): they need embedding again."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET status = 'stored' WHERE id = ? AND status = 'indexed'",
                [(a,) for a in article_ids],
            )
            _bump_counter(conn, "vector_generation")

    def mark_deleting(self, article_ids: list[str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET status = 'deleting' WHERE id = ?", [(a,) for a in article_ids]
            )
            self._bump_generation(conn)

    def purge(self, article_ids: list[str]) -> None:
        """Remove articles from the archive (their vectors must already be gone from Chroma). Their last
        version is kept in `article_versions`, so `restore` can bring them back."""
        with self.transaction() as conn:
            keep_current_versions(conn, article_ids)
            for table, column in (
                ("chunks", "article_id"),
                ("sources", "article_id"),
                ("simhash_bands", "article_id"),
                ("articles", "id"),
            ):
                conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(a,) for a in article_ids])
            self._bump_generation(conn)

    def record_source(self, source: str, article_id: str) -> None:
        self._write("INSERT OR REPLACE INTO sources(source, article_id) VALUES (?, ?)", (source, article_id))

    # --- reads ---------------------------------------------------------------------------------
    def article_state(self, article_id: str) -> tuple[str, str] | None:
        """(content_hash, status) of a stored article, or None."""
        rows = self._query("SELECT content_hash, status FROM articles WHERE id = ?", (article_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def find_by_text_hash(self, text_hash: str) -> str | None:
        rows = self._query("SELECT id FROM articles WHERE text_hash = ? LIMIT 1", (text_hash,))
        return rows[0][0] if rows else None

    def similar_story(self, simhash: int, exclude_id: str, max_distance: int = 3) -> str | None:
        """Story id of a stored article whose SimHash is within `max_distance` bits (a near-duplicate)."""
        for band, value in simhash_bands(simhash):
            rows = self._query(
                "SELECT a.id, a.simhash, a.story_id FROM simhash_bands b"
                " JOIN articles a ON a.id = b.article_id"
                " WHERE b.band = ? AND b.value = ? AND a.id != ?",
                (band, value, exclude_id),
            )
            for _, other, story in rows:
                if bin(_to_unsigned64(other) ^ simhash).count("1") <= max_distance:
                    return str(story)
        return None

    def ids_with_status(self, status: str) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM articles WHERE status = ?", (status,))]

    def article_ids_for_sources(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._query("SELECT source, article_id FROM sources")}

    def sources_of(self, article_id: str) -> list[str]:
        rows = self._query("SELECT source FROM sources WHERE article_id = ? ORDER BY source", (article_id,))
        return [r[0] for r in rows]

    def remove_sources(self, sources: list[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM sources WHERE source = ?", [(s,) for s in sources])

    def get_article(self, article_id: str) -> StoredArticle | None:
        """The stored article, whatever its status, or None."""
        rows = self._query(
            "SELECT id, title, text, published_date, page_date, url, author, outlet, category, story_id,"
            " status, version FROM articles WHERE id = ?",
            (article_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return StoredArticle(
            article_id=row["id"],
            title=row["title"],
            text=row["text"],
            published_date=_parse_iso(row["published_date"]),
            page_date=_parse_iso(row["page_date"]),
            url=row["url"],
            author=row["author"],
            outlet=row["outlet"],
            category=row["category"],
            story_id=row["story_id"],
            status=row["status"],
            version=row["version"],
        )

    def versions_of(self, article_id: str) -> list[ArticleVersion]:
        """Every version of an article, oldest first (see `article_versions.py`); empty if never stored."""
        with self._lock:
            try:
                return versions_of(self._conn, article_id)
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    def has_versions(self, article_id: str) -> bool:
        """Whether the id was ever stored: current, replaced or deleted."""
        with self._lock:
            try:
                return has_versions(self._conn, article_id)
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    def clean_article(self, article_id: str) -> CleanArticle | None:
        stored = self.get_article(article_id)
        return stored.as_clean_article() if stored else None

    def chunks_of(self, article_id: str) -> list[StoredChunk]:
        rows = self._query(f"{_CHUNK_SELECT} WHERE c.article_id = ? ORDER BY c.position", (article_id,))
        return [StoredChunk(*r) for r in rows]

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        rows = self._query(f"{_CHUNK_SELECT} WHERE c.id = ?", (chunk_id,))
        return StoredChunk(*rows[0]) if rows else None

    def ids_matching(self, category: str | None, outlet: str | None) -> set[str]:
        """Ids of searchable articles of a category and/or outlet."""
        sql = f"SELECT id FROM articles WHERE {SEARCHABLE}"
        params: list[str] = []
        for column, value in (("category", category), ("outlet", outlet)):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        return {r[0] for r in self._query(sql, params)}

    def iter_indexed_chunks(self) -> Iterator[StoredChunk]:
        """All searchable chunks, in a stable order."""
        rows = self._query(f"{_CHUNK_SELECT} WHERE a.{SEARCHABLE} ORDER BY c.rowid")
        for row in rows:
            yield StoredChunk(*row)

    def iter_chunk_terms(self) -> Iterator[tuple[str, str, str, int]]:
        """`(chunk id, article id, terms, date_int)` of every searchable chunk, in the order of
        `iter_indexed_chunks`, streamed from a private read connection: one consistent snapshot
        (WAL), no chunk text, and other threads keep using the store meanwhile."""
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False)
            try:
                yield from conn.execute(
                    "SELECT c.id, c.article_id, c.terms, a.date_int FROM chunks c"
                    f" JOIN articles a ON a.id = c.article_id WHERE a.{SEARCHABLE} ORDER BY c.rowid"
                )
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def iter_article_texts(self) -> Iterator[str]:
        """Headline and text of every stored article (teaches the diacritic restorer on rebuild)."""
        for title, text in self._query("SELECT title, text FROM articles WHERE status != 'deleting'"):
            yield f"{title}\n{text}"

    def counts(self) -> dict[str, int]:
        """Searchable articles, chunks and stories (with or without vectors)."""
        articles = self._query(f"SELECT COUNT(*) FROM articles WHERE {SEARCHABLE}")[0][0]
        chunks = self._query(
            f"SELECT COUNT(*) FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.{SEARCHABLE}"
        )[0][0]
        stories = self._query(f"SELECT COUNT(DISTINCT story_id) FROM articles WHERE {SEARCHABLE}")[0][0]
        return {"articles": articles, "chunks": chunks, "stories": stories}

    def ids_without_vectors(self, limit: int | None = None) -> list[str]:
        """Searchable articles whose vectors are not (all) in Chroma yet, oldest first."""
        sql = f"SELECT id FROM articles WHERE status IN {NEEDS_VECTORS} ORDER BY rowid"
        return [r[0] for r in self._query(sql + (f" LIMIT {int(limit)}" if limit else ""))]

    def token_total(self, article_ids: list[str]) -> int:
        """Model tokens of the articles' chunks (the embedding speed is measured in them)."""
        total = 0
        for start in range(0, len(article_ids), 500):
            part = article_ids[start : start + 500]
            sql = f"SELECT COALESCE(SUM(token_count), 0) FROM chunks WHERE article_id IN ({','.join('?' * len(part))})"
            total += int(self._query(sql, part)[0][0])
        return total

    def embedding_progress(self) -> dict[str, int]:
        """Searchable articles and chunks, how many of them have vectors, and the model tokens of the
        chunks still without (what the time-left estimate divides by the measured speed)."""
        row = self._query(
            "SELECT COUNT(*), COALESCE(SUM(a.status = 'indexed'), 0),"
            f" COALESCE(SUM(CASE WHEN a.status IN {NEEDS_VECTORS} THEN c.token_count END), 0)"
            f" FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.{SEARCHABLE}"
        )[0]
        articles = self._query(
            f"SELECT COUNT(*), COALESCE(SUM(status = 'indexed'), 0) FROM articles WHERE {SEARCHABLE}"
        )[0]
        return {
            "articles": articles[0],
            "embedded_articles": articles[1],
            "chunks": row[0],
            "embedded_chunks": row[1],
            "missing_tokens": row[2],
        }

    def date_range(self) -> tuple[date | None, date | None]:
        row = self._query(
            "SELECT MIN(published_date), MAX(published_date) FROM articles"
            f" WHERE {SEARCHABLE} AND published_date IS NOT NULL"
        )[0]
        return (_parse_iso(row[0]), _parse_iso(row[1]))

    def facet_values(self, column: str) -> list[str]:
        if column not in {"category", "outlet"}:
            raise ValueError(column)
        rows = self._query(
            f"SELECT DISTINCT {column} FROM articles WHERE {SEARCHABLE} AND {column} IS NOT NULL"
            f" ORDER BY {column}"
        )
        return [r[0] for r in rows]

    def articles_metadata(self, article_ids: Iterable[str]) -> dict[str, dict[str, object]]:
        """Display metadata (no text) for many articles at once."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, dict[str, object]] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._query(
                "SELECT id, title, published_date, page_date, url, author, outlet, category, date_int,"
                " story_id"
                f" FROM articles WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            for row in rows:
                found[row[0]] = dict(zip(row.keys(), row, strict=True))
        return found


def _bump_counter(conn: sqlite3.Connection, key: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (key,),
    )


def simhash_bands(simhash: int) -> list[tuple[int, int]]:
    """Four 16-bit bands: two SimHashes within 3 bits of each other share at least one band."""
    return [(band, (simhash >> (16 * band)) & 0xFFFF) for band in range(4)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _to_signed64(value: int) -> int:
    return value - (1 << 64) if value >= (1 << 63) else value


def _to_unsigned64(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
