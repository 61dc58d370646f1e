"""Issue 16 §1, below the page: the archive table's queries and the hand corrections of an article.

- The table lists the five customer articles with their dates, pages, filters by date, outlet and
  category, and finds an article typed without diacritics by title and by text.
- Near-duplicates linked at ingest are one row with their story size.
- A date fix is a new version; afterwards the store, Chroma's `date_int`, the BM25 snapshot's
  `date_ints` and a date-filtered retrieval all see the new date, and restoring the old version undoes it.
- An outlet-only fix (the outlet is not in the content hash) is still a new version.
- Replacing the text and deleting keep the old version; a stale `expected_version` is refused.

All on the hash embedder: what is stored and filtered does not depend on the model.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest.models import date_as_int
from tests.conftest import SAMPLE_ARCHIVE, sample_page
from vectorstore.archive_index import ArchiveIndex
from vectorstore.article_catalog_query import ArticleCatalogQueries, CatalogQuery, fold_text
from vectorstore.article_history import restore_version
from vectorstore.hybrid_retriever import HybridRetriever, RetrievalFilters
from vectorstore.ingestion import run_ingest
from vectorstore.metadata_correction import (
    CorrectionError,
    MetadataFix,
    correct_metadata,
    delete_article,
    replace_article_text,
    restore_as_new_version,
)

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

SEED_001 = "001_9a84a7000a87e853"  # Vĩnh Phúc … Chỉ thị 25-CT/TW, 26/06/2019
SEED_004 = "004_955a1fbb71e7f89b"
SAMPLE_DATES = {
    "000_8e02bbd58b42a3a7": date(2020, 6, 24),
    SEED_001: date(2019, 6, 26),
    "002_6ae507ffac44b24d": date(2019, 10, 8),
    "003_4d6faa8e32c1a029": date(2022, 12, 2),
}


@pytest.fixture
def indexed(tmp_path: Path) -> Iterator[tuple[Settings, ArchiveIndex]]:
    archive, db = tmp_path / "archive", tmp_path / "index"
    shutil.copytree(SAMPLE_ARCHIVE, archive)
    settings = Settings.for_tests(db)
    index = ArchiveIndex(settings.index_config())
    run_ingest([archive], settings.ingest_config(), index=index)
    yield settings, index
    index.close()


def test_the_table_lists_pages_filters_and_finds_without_diacritics(
    indexed: tuple[Settings, ArchiveIndex],
) -> None:
    _, index = indexed
    queries = ArticleCatalogQueries(index.store.path)
    page = queries.page(CatalogQuery())
    assert page.total == 5 and page.pages == 1
    dates = {row.article_id: row.published_date for row in page.rows}
    assert {key: dates[key] for key in SAMPLE_DATES} == SAMPLE_DATES
    assert [row.published_date for row in page.rows if row.published_date] == sorted(
        (d for d in dates.values() if d), reverse=True
    ), "newest first"
    assert all(row.chunks > 0 and row.status == "indexed" and row.stored_at for row in page.rows)

    second = queries.page(CatalogQuery(page=2, page_size=2))
    assert (second.page, second.pages, len(second.rows)) == (2, 3, 2)
    assert queries.page(CatalogQuery(page=99, page_size=2)).page == 3, "clamped to the last page"

    snapshot = index.lexical.snapshot()
    by_title = queries.page(CatalogQuery(text="vinh phuc: hoi nghi tap huan"), snapshot)
    assert [row.article_id for row in by_title.rows] == [SEED_001]
    by_text = queries.page(CatalogQuery(text="ke hoach so 109-kh/tu"), snapshot)  # only in the text
    assert [row.article_id for row in by_text.rows] == [SEED_001]
    assert queries.page(CatalogQuery(text="vinh phuc"), None).total == 1, "titles without the index"
    assert queries.page(CatalogQuery(text="25-ct/tw vinh phuc"), snapshot).total == 1, "keywords, any order"
    assert queries.page(CatalogQuery(text='"phuc vinh"'), snapshot).total == 0, (
        "a quoted phrase keeps its order"
    )
    assert queries.page(CatalogQuery(text='"vinh phuc"'), snapshot).total == 2
    assert queries.page(CatalogQuery(text="khong co tu nay xyzq"), snapshot).total == 0

    in_2019 = queries.page(CatalogQuery(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31)))
    assert {row.article_id for row in in_2019.rows} == {SEED_001, "002_6ae507ffac44b24d"}
    outlet = next(row.outlet for row in page.rows if row.outlet)
    assert outlet is not None
    by_outlet = queries.page(CatalogQuery(outlet=outlet))
    assert by_outlet.total >= 1 and {row.outlet for row in by_outlet.rows} == {outlet}
    assert queries.page(CatalogQuery(outlet="không có nguồn này")).total == 0
    queries.close()


def test_near_duplicates_are_one_row_of_their_story(tmp_path: Path) -> None:
    archive, db = tmp_path / "archive", tmp_path / "index"
    archive.mkdir()
    original = sample_page(SEED_001).read_text(encoding="utf-8")
    (archive / "vinh_phuc_bao_a.txt").write_text(original, encoding="utf-8")
    (archive / "vinh_phuc_bao_b.txt").write_text(
        original.replace("Thực hiện", "Để thực hiện"), encoding="utf-8"
    )
    shutil.copy(sample_page(SEED_004), archive)
    settings = Settings.for_tests(db)
    index = ArchiveIndex(settings.index_config())
    run_ingest([archive], settings.ingest_config(), index=index)
    queries = ArticleCatalogQueries(index.store.path)
    grouped = queries.page(CatalogQuery())
    assert grouped.total == 2
    story = next(row for row in grouped.rows if row.story_size == 2)
    members = queries.story_members(story.story_id)
    assert {m.article_id for m in members} == {"vinh_phuc_bao_a", "vinh_phuc_bao_b"}
    assert queries.page(CatalogQuery(group_stories=False)).total == 3
    queries.close()
    index.close()


def test_a_date_fix_reaches_every_index_and_can_be_undone(indexed: tuple[Settings, ArchiveIndex]) -> None:
    settings, index = indexed
    config = settings.ingest_config()
    wrong, right = SAMPLE_DATES[SEED_001], date(2019, 7, 3)
    outcome = correct_metadata(index, config, SEED_001, MetadataFix(published_date=right), expected_version=1)
    assert (outcome.old_version, outcome.new_version, outcome.changed) == (1, 2, ("published_date",))

    stored = index.store.get_article(SEED_001)
    assert stored is not None and stored.published_date == right and stored.version == 2
    assert {c.date_int for c in index.store.chunks_of(SEED_001)} == {date_as_int(right)}
    vectors = index.chroma._collection.get(where={"article_id": SEED_001}, include=["metadatas"])
    assert {m["date_int"] for m in vectors["metadatas"]} == {date_as_int(right)}
    snapshot = index.lexical.snapshot()
    rows = [row for row, article in enumerate(snapshot.article_ids) if article == SEED_001]
    assert rows and {int(snapshot.date_ints[row]) for row in rows} == {date_as_int(right)}
    assert index.consistency()["missing_vectors"] == index.consistency()["orphan_vectors"] == 0

    retriever = HybridRetriever(index=index)
    question = "Vĩnh Phúc tập huấn Chỉ thị 25-CT/TW đối ngoại đa phương"
    on_new_date = retriever.search(question, RetrievalFilters(date_from=right, date_to=right))
    assert {chunk.article_id for chunk in on_new_date.chunks} == {SEED_001}
    on_old_date = retriever.search(question, RetrievalFilters(date_from=wrong, date_to=wrong))
    assert on_old_date.chunks == [], "neither the lexical mask nor Chroma's date_int keeps the old date"
    queries = ArticleCatalogQueries(index.store.path)
    in_july = queries.page(CatalogQuery(date_from=right, date_to=right))
    assert [row.article_id for row in in_july.rows] == [SEED_001]
    assert queries.page(CatalogQuery(date_from=wrong, date_to=wrong)).total == 0

    versions = index.store.versions_of(SEED_001)
    assert [(v.version, v.published_date, v.current) for v in versions] == [
        (1, wrong, False),
        (2, right, True),
    ]
    assert versions[1].source == "sửa ngày đăng"

    with pytest.raises(CorrectionError, match="vừa được thay đổi"):
        correct_metadata(index, config, SEED_001, MetadataFix(published_date=wrong), expected_version=1)
    with pytest.raises(CorrectionError, match="Không có thông tin nào khác"):
        correct_metadata(index, config, SEED_001, MetadataFix(published_date=right))

    restore_version(SEED_001, 1, config, index=index)
    restored = index.store.get_article(SEED_001)
    assert restored is not None and restored.published_date == wrong and restored.version == 3
    assert queries.page(CatalogQuery(date_from=wrong, date_to=wrong)).total == 1
    queries.close()


def test_outlet_fix_text_replacement_and_delete_keep_versions(indexed: tuple[Settings, ArchiveIndex]) -> None:
    settings, index = indexed
    config = settings.ingest_config()
    outcome = correct_metadata(index, config, SEED_004, MetadataFix(outlet="Báo Thế giới và Việt Nam"))
    assert outcome.changed == ("outlet",) and outcome.new_version == outcome.old_version + 1
    vectors = index.chroma._collection.get(where={"article_id": SEED_004}, include=["metadatas"])
    assert {m["outlet"] for m in vectors["metadatas"]} == {"Báo Thế giới và Việt Nam"}
    assert index.store.facet_values("outlet").count("Báo Thế giới và Việt Nam") == 1
    undone = restore_as_new_version(index, config, SEED_004, outcome.old_version)
    assert undone.new_version == outcome.new_version + 1, "an outlet-only undo is a version too"
    assert [(v.outlet, v.current) for v in index.store.versions_of(SEED_004)] == [
        (None, False),
        ("Báo Thế giới và Việt Nam", False),
        (None, True),
    ]
    with pytest.raises(CorrectionError, match="đã là phiên bản hiện hành"):
        restore_as_new_version(index, config, SEED_004, undone.new_version)
    outcome = correct_metadata(index, config, SEED_004, MetadataFix(outlet="Báo Thế giới và Việt Nam"))

    titled = correct_metadata(index, config, SEED_004, MetadataFix(title="Hội nghị đối ngoại nhân dân 2022"))
    queries = ArticleCatalogQueries(index.store.path)
    assert [r.article_id for r in queries.page(CatalogQuery(text="doi ngoai nhan dan 2022")).rows] == [
        SEED_004
    ]
    assert titled.title == "Hội nghị đối ngoại nhân dân 2022"

    new_text = "Đoạn thứ nhất của bài đã sửa, nói về đoàn đại biểu Mường Tè.\n\nĐoạn thứ hai."
    replaced = replace_article_text(index, config, SEED_004, new_text, expected_version=titled.new_version)
    assert replaced.new_version == titled.new_version + 1
    assert " ".join(c.text for c in index.store.chunks_of(SEED_004)).count("Mường Tè") >= 1
    with pytest.raises(CorrectionError, match="quá ngắn"):
        replace_article_text(index, config, SEED_004, "ngắn")

    removed = delete_article(index, config, SEED_004, expected_version=replaced.new_version)
    assert removed.article_id == SEED_004 and index.store.get_article(SEED_004) is None
    assert queries.page(CatalogQuery()).total == 4
    assert [v.current for v in index.store.versions_of(SEED_004)] == [False] * 6, "every version kept"
    with pytest.raises(CorrectionError, match="không còn trong kho"):
        delete_article(index, config, SEED_004)
    restore_version(SEED_004, 1, config, index=index)
    assert queries.page(CatalogQuery()).total == 5
    queries.close()


def test_title_search_stays_fast_for_100k_titles(tmp_path: Path) -> None:
    """The folded titles are computed once per generation; a search over 100k is a substring scan."""
    import sqlite3

    path = tmp_path / "articles.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, published_date TEXT, date_int INTEGER,"
        " outlet TEXT, category TEXT, status TEXT, updated_at TEXT, version INTEGER, story_id TEXT);"
        "CREATE TABLE chunks (id TEXT, article_id TEXT);"
        "CREATE INDEX chunks_article ON chunks(article_id);"
    )
    conn.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?, 'Báo', 'Tin', 'indexed', '2026-01-01 00:00:00', 1, NULL)",
        [
            (f"a{i}", f"Hội nghị đối ngoại số {i} tại Hà Nội", f"20{10 + i % 15}-01-0{1 + i % 9}", 0)
            for i in range(100_000)
        ],
    )
    conn.execute("INSERT INTO articles VALUES ('z', 'Đoàn Mường Tè thăm Lào', '2020-01-01', 20200101, "
                 "'Báo', 'Tin', 'indexed', '2026-01-01 00:00:00', 1, NULL)")  # fmt: skip
    conn.commit()
    conn.close()
    queries = ArticleCatalogQueries(path)
    queries.page(CatalogQuery(text="muong te"))  # folds the titles once
    started = time.perf_counter()
    page = queries.page(CatalogQuery(text="muong te"))
    found_in = time.perf_counter() - started
    assert [row.article_id for row in page.rows] == ["z"]
    started = time.perf_counter()
    everything = queries.page(CatalogQuery())
    listed_in = time.perf_counter() - started
    assert everything.total == 100_001 and len(everything.rows) == 20
    assert found_in < 1.0 and listed_in < 2.0, (found_in, listed_in)
    assert fold_text("  Đoàn  MƯỜNG Tè ") == "doan muong te"
    queries.close()
