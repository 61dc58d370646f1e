"""The archive's article list as the archive tab pages through it: search, filters, stories, pages.

Why a module of its own with its own read connection: these are browsing queries (paging, counting,
grouping near-duplicates) that the retriever never needs, so they stay out of `ArticleStore`; a second
SQLite connection reads the same WAL database without waiting for the store's lock.

Search is accent-insensitive and must stay fast at 100k articles without a new column in the store:
- title: every title folded (`fold_accents`, lower case) once per store generation and held in memory
  (about 10 MB for 100k titles); a query is a substring test over them (tens of milliseconds);
- text: the BM25 snapshot's accent-folded field already lists, per term, the chunks that hold it; an
  article matches when it holds every folded syllable of the query, in any order (staff type keywords);
  a query in quotes must also hold every adjacent pair of them (the article-level folded bigrams), which
  approximates the phrase without reading any text.
The matched ids then go into one SQL query (`json_each`) that filters by date, outlet and category,
groups near-duplicates (`story_id`, linked at ingest) into one row per story, sorts and pages.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from ingest.models import date_as_int
from ingest.vietnamese_text import fold_accents, word_tokens
from vectorstore.error_translation import store_error
from vectorstore.lexical.index import BM25Field, LexicalSnapshot

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class CatalogQuery:
    """What the user asked the table for; empty fields do not filter. `page` counts from 1."""

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outlet: str | None = None
    category: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    group_stories: bool = True


@dataclass(frozen=True)
class ArticleRow:
    """One row of the table: an article (the first of its story when stories are grouped)."""

    article_id: str
    title: str
    published_date: date | None
    outlet: str | None
    category: str | None
    chunks: int
    status: str  # pending | indexed | deleting
    stored_at: datetime | None  # when the current version was stored (UTC)
    version: int
    story_id: str
    story_size: int  # articles in its near-duplicate story (1: none other)


@dataclass(frozen=True)
class CatalogPage:
    rows: list[ArticleRow]
    total: int  # rows over all pages
    page: int
    pages: int


class ArticleCatalogQueries:
    """Browsing queries over `articles.sqlite3`; `lexical` gives the current BM25 snapshot (optional:
    without it, text search falls back to titles only)."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(store_path, check_same_thread=False)
        except sqlite3.Error as exc:
            raise store_error(store_path, exc) from exc
        self._titles_generation = -1
        self._folded_titles: list[tuple[str, str]] = []

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from exc

    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(str(rows[0][0])) if rows else 0

    def title_matches(self, text: str) -> set[str]:
        """Ids of articles whose folded title contains the folded `text`."""
        needle = fold_text(text)
        if not needle:
            return set()
        generation = self.generation()
        if generation != self._titles_generation:
            rows = self._rows("SELECT id, title FROM articles")
            self._folded_titles = [(str(article_id), fold_text(str(title))) for article_id, title in rows]
            self._titles_generation = generation
        return {article_id for article_id, title in self._folded_titles if needle in title}

    def page(self, query: CatalogQuery, snapshot: LexicalSnapshot | None = None) -> CatalogPage:
        """One page of the table for `query` (newest publication date first)."""
        where: list[str] = ["a.status != 'deleting'"]
        params: list[object] = []
        if query.text.strip():
            matched = self.title_matches(query.text.strip().strip('"'))
            if snapshot is not None:
                matched |= text_matches(snapshot, query.text)
            where.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(matched), ensure_ascii=False))
        if query.date_from:
            where.append("a.date_int >= ?")
            params.append(date_as_int(query.date_from))
        if query.date_to:
            where.append("a.date_int <= ? AND a.date_int > 0")
            params.append(date_as_int(query.date_to))
        for column, value in (("outlet", query.outlet), ("category", query.category)):
            if value:
                where.append(f"a.{column} = ?")
                params.append(value)
        group = "COALESCE(a.story_id, a.id)" if query.group_stories else "a.id"
        conditions = " AND ".join(where)
        counted = self._rows(
            f"SELECT COUNT(DISTINCT {group}) FROM articles a WHERE {conditions}", tuple(params)
        )
        total = int(str(counted[0][0]))
        size = max(1, min(query.page_size, MAX_PAGE_SIZE))
        pages = max(1, -(-total // size))
        number = max(1, min(query.page, pages))
        # One row per story: SQLite takes the bare columns from the row where MIN() is reached, so
        # each story shows its first-published article (GROUP BY sorts once; a window function over
        # 100k rows took four times as long).
        rows = self._rows(
            "SELECT a.id, a.title AS title, a.published_date AS published, a.outlet, a.category, a.status,"
            " a.updated_at, a.version, COALESCE(a.story_id, a.id),"
            " MIN(COALESCE(a.published_date, '9999-12-31') || a.id), COUNT(*)"
            f" FROM articles a WHERE {conditions} GROUP BY {group}"
            " ORDER BY published IS NULL, published DESC, title LIMIT ? OFFSET ?",
            (*params, size, (number - 1) * size),
        )
        chunks = self.chunk_counts([str(row[0]) for row in rows])
        return CatalogPage([_article_row(row, chunks) for row in rows], total, number, pages)

    def chunk_counts(self, article_ids: list[str]) -> dict[str, int]:
        if not article_ids:
            return {}
        rows = self._rows(
            "SELECT article_id, COUNT(*) FROM chunks WHERE article_id IN (SELECT value FROM json_each(?))"
            " GROUP BY article_id",
            (json.dumps(article_ids, ensure_ascii=False),),
        )
        return {str(article_id): int(str(count)) for article_id, count in rows}

    def story_members(self, story_id: str) -> list[ArticleRow]:
        """Every stored article of a near-duplicate story, oldest publication first."""
        rows = self._rows(
            "SELECT id, title, published_date, outlet, category, status, updated_at, version,"
            " COALESCE(story_id, id), 1, 1 FROM articles WHERE COALESCE(story_id, id) = ?"
            " AND status != 'deleting' ORDER BY published_date IS NULL, published_date, id",
            (story_id,),
        )
        chunks = self.chunk_counts([str(row[0]) for row in rows])
        members = [_article_row(row, chunks) for row in rows]
        return [replace(member, story_size=len(members)) for member in members]


def fold_text(text: str) -> str:
    """Lower-case, accent-folded, spaces collapsed: what title search compares."""
    return " ".join(fold_accents(text).lower().split())


def text_matches(snapshot: LexicalSnapshot, text: str) -> set[str]:
    """Ids of articles holding every folded syllable of `text` (and, for `"a quoted phrase"`, every
    adjacent pair of them)."""
    phrase = len(text.strip()) > 2 and text.strip()[0] == text.strip()[-1] == '"'
    terms = word_tokens(fold_accents(text))
    if not terms:
        return set()
    unique = list(dict.fromkeys(terms))
    matched = _articles_with(snapshot.folded, unique[0], snapshot.article_ids)
    for term in unique[1:]:
        matched &= _articles_with(snapshot.folded, term, snapshot.article_ids)
        if not matched:
            return set()
    for first, second in itertools.pairwise(terms if phrase else []):
        matched &= _articles_with(snapshot.article_bigrams, f"{first}~{second}", snapshot.article_of_row)
        if not matched:
            return set()
    return matched


def _articles_with(field: BM25Field, term: str, article_of_row: object) -> set[str]:
    """Articles of the rows whose document holds `term` (non-zero in its column)."""
    column = field.vocabulary.get(term)
    if column is None:
        return set()
    rows = field.matrix[:, column].nonzero()[0]
    return {str(article_id) for article_id in article_of_row[rows]}  # type: ignore[index]


def _article_row(row: tuple[object, ...], chunks: dict[str, int]) -> ArticleRow:
    article_id, title, published, outlet, category, status, stored, version, story, _, size = row[:11]
    return ArticleRow(
        article_id=str(article_id),
        title=str(title),
        published_date=date.fromisoformat(str(published)) if published else None,
        outlet=None if outlet is None else str(outlet),
        category=None if category is None else str(category),
        chunks=chunks.get(str(article_id), 0),
        status=str(status),
        stored_at=datetime.fromisoformat(str(stored)).replace(tzinfo=UTC) if stored else None,
        version=int(str(version)),
        story_id=str(story),
        story_size=int(str(size)),
    )
