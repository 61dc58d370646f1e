"""An article's versions from the outside: restore an old one, and foresee which uploads would replace.

Restoring writes the old text as a new version (so the version it replaces is kept and the restore can
be undone the same way) through the normal write protocol: `pending` in the store, vectors into Chroma,
then `indexed`. The lexical index follows the store's generation, and the diacritic model is retrained
from the current articles, so every derived index sees the restored text and only the current versions.
It holds the writer lock, like an ingest.

`planned_replacements` reads and cleans files exactly as an ingest would, without writing anything, so
the web app can name the articles an upload would replace and ask before doing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.loaders import iter_documents
from ingest.models import LoadProblem
from ingest.page_cleaner import EmptyArticleError, clean_article
from vectorstore.archive_index import ArchiveIndex
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.index_config import IngestConfig
from vectorstore.ingestion import RESTORER_BEHIND, prepare_article
from vectorstore.replacement_policy import ReplacePolicy, decide
from vectorstore.store.article_store import ArticleStore
from vectorstore.store.article_versions import ArticleVersion
from vectorstore.store.writer_lock import exclusive_writer


class VersionNotFoundError(LookupError):
    """The article or the version asked for does not exist; the message is Vietnamese, for users."""


@dataclass(frozen=True)
class RestoreOutcome:
    article_id: str
    title: str
    restored: int  # the version whose text is current again
    replaced: int | None  # the version that was current before (None: the article had been deleted)
    new_version: int | None  # the number the restored text got (None: it was already current)


@dataclass(frozen=True)
class PlannedReplacement:
    """A stored article an upload would replace: what the user must confirm."""

    source: str
    article_id: str
    current_title: str
    new_title: str


def existing_versions(store: ArticleStore, article_id: str) -> list[ArticleVersion]:
    """Every version of `article_id`, oldest first, or `VersionNotFoundError` if it was never stored."""
    versions = store.versions_of(article_id)
    if not versions:
        raise VersionNotFoundError(f"Không có bài «{article_id}» trong kho (kể cả các phiên bản cũ).")
    return versions


def find_version(versions: Sequence[ArticleVersion], article_id: str, number: int) -> ArticleVersion:
    """Version `number` among an article's `versions`, or `VersionNotFoundError` saying what exists."""
    for version in versions:
        if version.version == number:
            return version
    known = ", ".join(str(v.version) for v in versions)
    raise VersionNotFoundError(
        f"Bài «{article_id}» không có phiên bản {number}; các phiên bản hiện có: {known}."
    )


def restore_version(
    article_id: str, number: int, config: IngestConfig, *, index: ArchiveIndex | None = None
) -> RestoreOutcome:
    """Make version `number` of `article_id` current again (recorded as a new version) and index it."""
    with exclusive_writer(config.index.db_dir):
        index = index or ArchiveIndex(config.index)
        index.recover()  # an interrupted run's article first, so "current" is settled
        versions = existing_versions(index.store, article_id)
        target = find_version(versions, article_id, number)
        current = next((v.version for v in versions if v.current), None)
        if target.current:
            return RestoreOutcome(article_id, target.title, number, current, None)
        prepared = prepare_article(
            index, target.as_clean_article(), config.chunking, source=f"khôi phục phiên bản {number}"
        )
        index.store.set_meta(RESTORER_BEHIND, "1")  # a kill before the retrain: the next run retrains
        index.index([prepared])
        RestorerFile(config.index.db_dir).retrain(index.store.iter_article_texts())
        index.store.set_meta(RESTORER_BEHIND, "")
        stored = index.store.get_article(article_id)
        new_version = stored.version if stored is not None else None
        return RestoreOutcome(article_id, target.title, number, current, new_version)


def planned_replacements(
    paths: Sequence[Path],
    config: IngestConfig,
    index: ArchiveIndex,
    article_ids: Mapping[str, str] | None = None,
) -> list[PlannedReplacement]:
    """The stored articles that ingesting `paths` would give changed content (`article_ids` as in
    `run_ingest`). Unreadable files are skipped: the ingest itself reports them."""
    article_ids = article_ids or {}
    planned: list[PlannedReplacement] = []
    for item in iter_documents(paths, config.max_file_bytes, config.reader_limits):
        if isinstance(item, LoadProblem):
            continue
        if item.source in article_ids:
            item = replace(item, article_id=article_ids[item.source])
        try:
            article = clean_article(item)
        except EmptyArticleError:
            continue
        would_confirm = ReplacePolicy.add_only(frozenset({article.article_id}))
        if decide(index.store, article, would_confirm, {}, set()).status == "replaced":
            stored = index.store.get_article(article.article_id)
            current_title = stored.title if stored is not None else ""
            planned.append(PlannedReplacement(item.source, article.article_id, current_title, article.title))
    return planned
