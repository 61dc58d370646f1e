"""Damaged index files: a clear Vietnamese error naming the file, and `ingest rebuild` repairs it.

Every kind of damage here was first tried on chromadb 1.5.9 by hand (truncating to half, overwriting with
garbage, deleting): see `vectorstore/dense/chroma_folder.py` and `vectorstore/dense/hnsw_files.py` for what Chroma
does with each. The template index is built with a tiny HNSW sync threshold, so Chroma has written its
HNSW files (as it does for any archive past 1000 chunks) and damage to them matters.
"""

from __future__ import annotations

import gc
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from assistant.build import build_assistant
from assistant.settings import Settings
from tests.conftest import ROOT, SAMPLE_ARCHIVE
from vectorstore.archive_index import ArchiveIndex
from vectorstore.dense.chroma_index import make_chroma_client
from vectorstore.index_errors import ArticleStoreCorruptedError, IndexCorruptedError
from vectorstore.index_rebuild import rebuild_index
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

QUESTION = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"
SEED_004 = "004_955a1fbb71e7f89b"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, indexed once, with Chroma's HNSW files on disk and a lexical cache written."""
    db = tmp_path_factory.mktemp("corruption_template") / "index"
    settings = Settings.for_tests(db)
    client = make_chroma_client(db, None)
    hnsw = {"space": "cosine", "ef_search": 100, "sync_threshold": 2, "batch_size": 2}
    client.get_or_create_collection(
        settings.collection, embedding_function=None, configuration={"hnsw": hnsw}
    )
    assert run_ingest([SAMPLE_ARCHIVE], settings.ingest_config()).articles == 5
    index = ArchiveIndex(settings.index_config())
    index.lexical.snapshot()
    index.close()
    gc.collect()  # run_ingest's own connection: then SQLite's journal is folded into articles.sqlite3
    with closing(sqlite3.connect(db / "articles.sqlite3")) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (segment_dir(db) / "index_metadata.pickle").exists(), "Chroma did not write its HNSW files"
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(template, copy)
    return copy


def segment_dir(db: Path) -> Path:
    (folder,) = [p for p in (db / "chroma").iterdir() if (p / "header.bin").exists()]
    return folder


def truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def truncate_tenth(path: Path) -> None:
    """Chroma preallocates room for 100 elements; cutting to a tenth reaches the 13 stored ones."""
    os.truncate(path, path.stat().st_size // 10)


def garble(path: Path, offset: int = 0, length: int | None = None) -> None:
    length = path.stat().st_size - offset if length is None else length
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(f"{path.name}{offset}").randbytes(length))


def remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


def garble_table(database: Path, table: str) -> None:
    """Overwrite the root page of one SQLite table: damage a reader meets only when it reads that table."""
    with sqlite3.connect(database) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    garble(database, page_size * (root - 1), page_size)


def sqlite_file(db: Path) -> Path:
    return db / "chroma" / "chroma.sqlite3"


def hnsw_file(name: str) -> Callable[[Path], Path]:
    return lambda db: segment_dir(db) / name


Locate = Callable[[Path], Path]
# (name, file to damage, how, which path the error must name)
CHROMA_DAMAGE: list[tuple[str, Locate, Callable[[Path], None], Locate]] = [
    ("chroma.sqlite3 truncated", sqlite_file, truncate_half, sqlite_file),
    ("chroma.sqlite3 header garbage", sqlite_file, lambda p: garble(p, 0, 100), sqlite_file),
    ("chroma.sqlite3 deleted", sqlite_file, remove, sqlite_file),
    ("header.bin truncated", hnsw_file("header.bin"), truncate_half, hnsw_file("header.bin")),
    ("header.bin garbage", hnsw_file("header.bin"), garble, hnsw_file("header.bin")),
    ("data_level0.bin truncated", hnsw_file("data_level0.bin"), truncate_tenth, hnsw_file("data_level0.bin")),
    ("data_level0.bin garbage", hnsw_file("data_level0.bin"), garble, hnsw_file("data_level0.bin")),
    ("length.bin truncated", hnsw_file("length.bin"), truncate_tenth, hnsw_file("length.bin")),
    ("link_lists.bin truncated", hnsw_file("link_lists.bin"), truncate_half, hnsw_file("link_lists.bin")),
    # Chroma itself reports this one ("Error deserializing pickle file"), naming no file: the segment.
    ("index_metadata.pickle truncated", hnsw_file("index_metadata.pickle"), truncate_half, segment_dir),
    (
        "index_metadata.pickle deleted",
        hnsw_file("index_metadata.pickle"),
        remove,
        hnsw_file("index_metadata.pickle"),
    ),
    ("HNSW segment folder deleted", segment_dir, remove, segment_dir),
]


def assert_rebuild_message(error: BaseException, path: Path) -> None:
    message = str(error)
    assert str(path) in message
    assert "bị hỏng" in message and "python -m ingest rebuild" in message


def assert_index_is_whole(settings: Settings) -> None:
    index = ArchiveIndex(settings.index_config())
    consistency = index.consistency()
    assert consistency["store_chunks"] == consistency["chroma_chunks"] > 5
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0
    hits = build_assistant(settings, index).retriever.search(QUESTION).chunks
    assert hits[0].article_id == SEED_004
    index.close()


@pytest.mark.parametrize(
    ("damage", "target", "apply", "named"), CHROMA_DAMAGE, ids=[d[0] for d in CHROMA_DAMAGE]
)
def test_damaged_chroma_file_is_named_then_rebuilt_from_stored_articles(
    db: Path, damage: str, target: Locate, apply: Callable[[Path], None], named: Locate
) -> None:
    expected = named(db)
    apply(target(db))
    settings = Settings.for_tests(db)
    with pytest.raises(IndexCorruptedError) as caught:
        ArchiveIndex(settings.index_config())
    assert caught.value.path == expected
    assert_rebuild_message(caught.value, expected)

    outcome = rebuild_index(settings.index_config())
    assert outcome.articles == 5
    assert outcome.damaged_folder is not None and outcome.damaged_folder.name.startswith("chroma.damaged-")
    assert outcome.damaged_folder.is_dir(), "the damaged files are kept, never deleted"
    assert_index_is_whole(settings)


def test_damage_met_only_when_searching_is_reported_then_rebuilt(db: Path) -> None:
    garble_table(db / "chroma" / "chroma.sqlite3", "embedding_metadata")
    settings = Settings.for_tests(db)
    assistant = build_assistant(settings)  # opening reads no metadata rows: the damage is not seen yet
    with pytest.raises(IndexCorruptedError) as caught:
        assistant.ask(QUESTION)
    assert_rebuild_message(caught.value, db / "chroma" / "chroma.sqlite3")
    assistant.index.close()

    # SQLite's own check finds the page, so the folder is set aside
    outcome = rebuild_index(settings.index_config())
    assert outcome.damaged_folder is not None and "chroma.sqlite3" in str(outcome.problem)
    assert_index_is_whole(settings)


def test_healthy_index_is_rebuilt_in_place(db: Path) -> None:
    outcome = rebuild_index(Settings.for_tests(db).index_config())
    assert outcome.articles == 5 and outcome.damaged_folder is None
    assert not list(db.glob("chroma.damaged-*"))
    assert_index_is_whole(Settings.for_tests(db))


@pytest.mark.parametrize("damage", ["truncated", "header garbage", "chunks table garbage"])
def test_damaged_article_store_says_to_reingest_not_rebuild(db: Path, damage: str) -> None:
    store = db / "articles.sqlite3"
    if damage == "truncated":
        truncate_half(store)
    elif damage == "header garbage":
        garble(store, 0, 100)
    else:
        garble_table(store, "chunks")
    settings = Settings.for_tests(db)
    with pytest.raises(ArticleStoreCorruptedError) as caught:
        # the first read of the damaged page
        list(ArchiveIndex(settings.index_config()).store.iter_indexed_chunks())
    with pytest.raises(ArticleStoreCorruptedError):
        rebuild_index(settings.index_config())  # rebuilding from a damaged store would lose articles silently
    message = str(caught.value)
    assert str(store) in message and "bị hỏng" in message
    assert "python -m ingest ĐƯỜNG_DẪN" in message and "ingest rebuild" not in message
    assert not list(db.glob("chroma.damaged-*")), "a healthy Chroma folder is not moved for a store problem"


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_lexical_cache_is_rebuilt_from_the_store(db: Path, damage: str) -> None:
    cache = db / "lexical" / "bm25.npz"
    truncate_half(cache) if damage == "truncated" else garble(cache)
    settings = Settings.for_tests(db)
    assistant = build_assistant(settings)
    assert assistant.retriever.search(QUESTION).chunks[0].article_id == SEED_004
    snapshot = assistant.index.lexical.snapshot()
    assert len(snapshot.chunk_ids) == assistant.index.store.counts()["chunks"]
    with np.load(cache) as rewritten:  # the cache was written again, whole
        header = json.loads(bytes(rewritten["header"]).decode("utf-8"))
    assert header["chunk_ids"] == snapshot.chunk_ids


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_diacritic_model_is_retrained_from_the_store(db: Path, damage: str) -> None:
    model = db / "diacritics.json.gz"
    expected = build_assistant(Settings.for_tests(db)).retriever.restore("hoi nghi doi ngoai nhan dan")
    assert expected != "hoi nghi doi ngoai nhan dan"
    truncate_half(model) if damage == "truncated" else garble(model)
    retriever = build_assistant(Settings.for_tests(db)).retriever
    restored = retriever.restore("hoi nghi doi ngoai nhan dan")
    assert restored == expected
    assert retriever.restorer.current().read_only  # once saved, the retrained model is served compact
    from vectorstore.diacritics.restorer import DiacriticRestorer

    DiacriticRestorer.load(model)  # saved again, whole


def _cli(module: str, *args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ARCHIVE_EMBEDDING_MODE": "hash",
        "ARCHIVE_LLM_MODE": "none",
        "ARCHIVE_DB_DIR": str(db),
    }
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow  # four CLI processes: 15 s on two idle cores
def test_command_line_reports_damage_in_vietnamese_and_rebuild_repairs(db: Path) -> None:
    # Garbage in data_level0.bin made Chroma crash the process with a segmentation fault.
    garble(segment_dir(db) / "data_level0.bin")
    asked = _cli("assistant", "ask", QUESTION, db=db)
    assert asked.returncode == 2, asked.stderr
    assert "Lỗi: Tệp chỉ mục bị hỏng" in asked.stderr and "data_level0.bin" in asked.stderr
    assert "python -m ingest rebuild" in asked.stderr and "Traceback" not in asked.stderr
    stats = _cli("ingest", "stats", db=db)
    assert stats.returncode == 2 and "Traceback" not in stats.stderr

    rebuilt = _cli("ingest", "rebuild", db=db)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Đã dựng lại chỉ mục cho 5 bài." in rebuilt.stdout and "chroma.damaged-" in rebuilt.stdout
    answered = _cli("assistant", "ask", QUESTION, db=db)
    assert answered.returncode == 0, answered.stderr
    assert "Cao Bằng" in answered.stdout


def test_command_line_says_to_reingest_when_the_article_store_is_damaged(db: Path) -> None:
    garble(db / "articles.sqlite3", 0, 100)
    for module, args in (("ingest", ("rebuild",)), ("assistant", ("ask", QUESTION))):
        result = _cli(module, *args, db=db)
        assert result.returncode == 2, result.stderr
        assert "Lỗi: Kho bài đã lưu bị hỏng" in result.stderr and "articles.sqlite3" in result.stderr
        assert "nạp lại kho từ các tệp gốc" in result.stderr and "Traceback" not in result.stderr
