"""Correcting a stored article by hand: its metadata (title, publication date, outlet), its text, or
removing it.

Why through the normal write protocol rather than an `UPDATE articles SET published_date = …`: the
date is held in four places besides the `published_date` column (the `date_int` column the chunk
queries join, every chunk's `date_int` in Chroma metadata, the BM25 snapshot's `date_ints` array and its
cache on disk), and the title is inside every embedded chunk text and its lexical terms. Re-preparing
the corrected article and indexing it (`pending` in the store, vectors replaced in Chroma, `indexed`)
updates all of them at once, and the store's generation bump makes the lexical index rebuild. One
article costs a few chunks to embed.

Every correction is a new version (`ArchiveIndex.index(new_version=True)`): the version it replaces
stays in `article_versions`, and `restore_as_new_version` undoes it (as one more version, also when
only the outlet differs, which `content_hash` leaves out). Each function holds
the writer lock, like an ingest, and refuses when the article changed since the editor opened it
(`expected_version`), so two editors cannot silently overwrite each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

from ingest.models import CleanArticle
from ingest.vietnamese_text import normalize_text
from vectorstore.archive_index import ArchiveIndex
from vectorstore.article_history import existing_versions, find_version
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.index_config import IngestConfig
from vectorstore.ingestion import RESTORER_BEHIND, prepare_article
from vectorstore.store.article_store import StoredArticle
from vectorstore.store.writer_lock import exclusive_writer

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 500
MIN_TEXT_CHARS = 20
FIELD_LABELS = {"title": "tiêu đề", "published_date": "ngày đăng", "outlet": "nguồn đăng", "text": "nội dung"}


class CorrectionError(ValueError):
    """A correction that cannot be made; the message is Vietnamese, for the page."""


@dataclass(frozen=True)
class MetadataFix:
    """New values for an article's metadata; None keeps the stored value. `outlet=""` clears it."""

    title: str | None = None
    published_date: date | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class CorrectionOutcome:
    """What a correction changed: the article, its version before and after, the fields changed."""

    article_id: str
    title: str
    old_version: int
    new_version: int
    changed: tuple[str, ...]  # keys of FIELD_LABELS

    def changed_labels(self) -> str:
        return ", ".join(FIELD_LABELS[name] for name in self.changed)


def correct_metadata(
    index: ArchiveIndex,
    config: IngestConfig,
    article_id: str,
    fix: MetadataFix,
    *,
    expected_version: int | None = None,
) -> CorrectionOutcome:
    """Give `article_id` the metadata of `fix` as a new version, re-indexed everywhere the metadata is
    held. `CorrectionError` when the article is gone, changed meanwhile, or nothing would change."""
    with exclusive_writer(config.index.db_dir):
        stored = _current(index, article_id, expected_version)
        article = stored.as_clean_article()
        metadata = article.metadata
        title = article.title
        changed: list[str] = []
        if fix.title is not None:
            new_title = normalize_text(fix.title).strip()
            if not new_title:
                raise CorrectionError("Tiêu đề không được để trống.")
            if len(new_title) > MAX_TITLE_CHARS:
                raise CorrectionError(f"Tiêu đề dài quá {MAX_TITLE_CHARS} ký tự.")
            if new_title != title:
                title, changed = new_title, [*changed, "title"]
        if fix.published_date is not None and fix.published_date != metadata.published_date:
            metadata = replace(metadata, published_date=fix.published_date)
            changed.append("published_date")
        if fix.outlet is not None:
            outlet = normalize_text(fix.outlet).strip() or None
            if outlet != metadata.outlet:
                metadata = replace(metadata, outlet=outlet)
                changed.append("outlet")
        if not changed:
            raise CorrectionError("Không có thông tin nào khác với bản đang lưu; bài giữ nguyên.")
        corrected = CleanArticle(article.article_id, title, article.text, metadata)
        labels = ", ".join(FIELD_LABELS[name] for name in changed)
        new_version = _write(index, config, corrected, f"sửa {labels}", retrain="title" in changed)
        logger.info(
            "Article %s corrected (%s): version %d -> %d", article_id, changed, stored.version, new_version
        )
        return CorrectionOutcome(article_id, title, stored.version, new_version, tuple(changed))


def replace_article_text(
    index: ArchiveIndex,
    config: IngestConfig,
    article_id: str,
    text: str,
    *,
    expected_version: int | None = None,
) -> CorrectionOutcome:
    """Make `text` (paragraphs separated by blank lines) the article's text, as a new version."""
    with exclusive_writer(config.index.db_dir):
        stored = _current(index, article_id, expected_version)
        new_text = "\n\n".join(
            paragraph.strip() for paragraph in normalize_text(text).split("\n\n") if paragraph.strip()
        )
        if len(new_text) < MIN_TEXT_CHARS:
            raise CorrectionError(f"Nội dung mới quá ngắn (cần ít nhất {MIN_TEXT_CHARS} ký tự).")
        if new_text == stored.text:
            raise CorrectionError("Nội dung mới giống hệt nội dung đang lưu; bài giữ nguyên.")
        article = stored.as_clean_article()
        corrected = CleanArticle(article.article_id, article.title, new_text, article.metadata)
        new_version = _write(index, config, corrected, "sửa nội dung", retrain=True)
        return CorrectionOutcome(article_id, stored.title, stored.version, new_version, ("text",))


def delete_article(
    index: ArchiveIndex, config: IngestConfig, article_id: str, *, expected_version: int | None = None
) -> StoredArticle:
    """Remove the article from the archive (its last version is kept: `restore_version` brings it
    back); returns what was removed."""
    with exclusive_writer(config.index.db_dir):
        stored = _current(index, article_id, expected_version)
        index.delete([article_id])
        return stored


def restore_as_new_version(
    index: ArchiveIndex, config: IngestConfig, article_id: str, number: int
) -> CorrectionOutcome:
    """Undo: make version `number` current again as a new version, even when it differs from the
    current one only in what `content_hash` leaves out (the outlet), so the undone version stays in the
    history. Also brings back a deleted article. `VersionNotFoundError` for an unknown version."""
    with exclusive_writer(config.index.db_dir):
        index.recover()
        versions = existing_versions(index.store, article_id)
        target = find_version(versions, article_id, number)
        current = next((v.version for v in versions if v.current), 0)
        if target.current:
            raise CorrectionError(f"Phiên bản {number} đã là phiên bản hiện hành; không có gì để hoàn tác.")
        new_version = _write(
            index, config, target.as_clean_article(), f"khôi phục phiên bản {number}", retrain=True
        )
        return CorrectionOutcome(article_id, target.title, current, new_version, ("text",))


def _current(index: ArchiveIndex, article_id: str, expected_version: int | None) -> StoredArticle:
    """The article as stored now, finishing any interrupted run first."""
    index.recover()
    stored = index.store.get_article(article_id)
    if stored is None or stored.status == "deleting":  # stored (no vectors yet) is in the archive too
        raise CorrectionError(f"Bài «{article_id}» không còn trong kho (có thể vừa bị xoá).")
    if expected_version is not None and stored.version != expected_version:
        raise CorrectionError(
            f"Bài «{stored.title}» vừa được thay đổi (nay là phiên bản {stored.version}, bạn đang xem "
            f"phiên bản {expected_version}). Hãy mở lại bài rồi sửa."
        )
    return stored


def _write(
    index: ArchiveIndex, config: IngestConfig, article: CleanArticle, source: str, *, retrain: bool
) -> int:
    """Index `article` as a new version; retrain the diacritic model when its words changed."""
    prepared = prepare_article(index, article, config.chunking, source=source)
    if retrain:
        index.store.set_meta(RESTORER_BEHIND, "1")  # a kill before the retrain: the next run retrains
    index.index([prepared], new_version=True)
    if retrain:
        RestorerFile(config.index.db_dir).retrain(index.store.iter_article_texts())
        index.store.set_meta(RESTORER_BEHIND, "")
    stored = index.store.get_article(article.article_id)
    if stored is None:  # pragma: no cover - the write above just stored it
        raise CorrectionError(f"Không lưu được bài «{article.article_id}».")
    return stored.version
