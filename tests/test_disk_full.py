"""A full disk while ingesting: a clear Vietnamese error, a usable index, and an exact re-run.

The disk fills in three ways: an injected ENOSPC from Chroma's upsert, SQLite's own SQLITE_FULL (its page
limit lowered on the store's connection), and — when this process may mount file systems — a real tmpfs
that runs out under the whole index or under Chroma's folder alone. What the user must see is the same.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromadb.api.models.Collection import Collection

import vectorstore.ingestion as ingestion
from assistant.build import build_assistant
from assistant.settings import Settings
from ingest.__main__ import main as ingest_main
from tests.conftest import DISTRACTORS, ROOT, SAMPLE_ARCHIVE
from vectorstore.archive_index import ArchiveIndex
from vectorstore.archive_stats import archive_stats
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.index_errors import DiskFullError

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder, pytest.mark.shared]

ROWS = 120  # VNTC articles added to the five seeds: several batches of 64 chunks


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DISTRACTORS.exists():
        pytest.skip(f"{DISTRACTORS} is missing")
    folder = tmp_path_factory.mktemp("disk_full") / "archive"
    shutil.copytree(SAMPLE_ARCHIVE, folder)
    rows = DISTRACTORS.read_text(encoding="utf-8").splitlines()[:ROWS]
    (folder / "vntc.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Reference:
    """The same archive ingested on a disk with room: what every re-run must end up with."""

    articles: int
    chunks: int
    chunk_ids: frozenset[str]
    syllables_learned: int


@pytest.fixture(scope="module")
def reference(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    settings = Settings.for_tests(tmp_path_factory.mktemp("disk_full_reference") / "index")
    report = ingestion.run_ingest([archive], settings.ingest_config())
    index = ArchiveIndex(settings.index_config())
    chunk_ids = frozenset(c.chunk_id for c in index.store.iter_indexed_chunks())
    return Reference(report.articles, report.chunks, chunk_ids, learned_syllables(settings))


def learned_syllables(settings: Settings) -> int:
    restorer = RestorerFile(settings.db_dir).current()
    assert restorer is not None
    return restorer.syllable_count


def assert_usable_after_failure(settings: Settings, reference: Reference) -> None:
    """Only whole articles are searchable (stored whole: lexically, and densely once `indexed`), stats
    work, and no vector is missing or unexplained."""
    index = ArchiveIndex(settings.index_config())
    indexed = set(index.store.ids_with_status("indexed"))
    waiting = set(index.store.ids_without_vectors())
    assert indexed | waiting and len(indexed) < reference.articles  # a stage stopped part-way
    stats = archive_stats(index)
    assert (stats["articles"], stats["embedded_articles"]) == (len(indexed | waiting), len(indexed))
    consistency = index.consistency()
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0
    assert consistency["chroma_chunks"] == consistency["store_chunks"] + consistency["unfinished_vectors"]
    assert set(index.lexical.snapshot().article_ids.tolist()) == indexed | waiting
    retriever = build_assistant(settings, index).retriever
    for article_id in (*sorted(indexed)[:1], *sorted(waiting)[:1]):  # with vectors, stored without
        title = index.store.get_article(article_id).title
        assert article_id in {c.article_id for c in retriever.search(title).chunks}
    index.close()


def assert_exactly_complete(settings: Settings, reference: Reference) -> None:
    index = ArchiveIndex(settings.index_config())
    counts = index.store.counts()
    assert (counts["articles"], counts["chunks"]) == (reference.articles, reference.chunks)
    assert {c.chunk_id for c in index.store.iter_indexed_chunks()} == reference.chunk_ids
    assert index.store.ids_with_status("pending") == []
    consistency = index.consistency()
    assert consistency["store_chunks"] == consistency["chroma_chunks"] == reference.chunks
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0
    index.close()
    # Every article learned exactly once, including those indexed by the run that stopped.
    assert learned_syllables(settings) == reference.syllables_learned


def test_enospc_from_chroma_stops_the_cli_cleanly_and_a_rerun_completes(
    archive: Path,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "index"
    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    monkeypatch.setenv("ARCHIVE_LLM_MODE", "none")
    monkeypatch.setattr(ingestion, "BATCH_CHUNKS", 16)
    upsert = Collection.upsert
    calls: list[int] = []

    def full_disk_from_the_fourth_batch(self: Collection, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) >= 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        upsert(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "upsert", full_disk_from_the_fourth_batch)
    assert ingest_main([str(archive), "--db", str(db)]) == 2
    error = capsys.readouterr().err
    assert "Lỗi: Đã hết dung lượng đĩa" in error and "Traceback" not in error
    assert "giải phóng dung lượng" in error
    settings = Settings.for_tests(db)
    assert_usable_after_failure(settings, reference)

    monkeypatch.setattr(Collection, "upsert", upsert)  # space freed
    assert ingest_main([str(archive), "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["articles"], report["chunks"]) == (reference.articles, reference.chunks)
    assert_exactly_complete(settings, reference)


def test_sqlite_full_raises_disk_full_from_its_cause_and_a_rerun_completes(
    archive: Path, reference: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "BATCH_CHUNKS", 16)
    settings = Settings.for_tests(tmp_path / "index")
    ingestion.run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())  # a first, small run that fits
    index = ArchiveIndex(settings.index_config())
    pages = index.store._conn.execute("PRAGMA page_count").fetchone()[0]
    index.store._conn.execute(f"PRAGMA max_page_count = {pages + 60}")  # SQLite's own SQLITE_FULL
    with pytest.raises(DiskFullError) as caught:
        ingestion.run_ingest([archive], settings.ingest_config(), index=index)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert caught.value.path == settings.db_dir / "articles.sqlite3"
    assert "hết dung lượng đĩa" in str(caught.value)
    index.close()
    assert_usable_after_failure(settings, reference)

    report = ingestion.run_ingest([archive], settings.ingest_config())  # a new connection: no page limit
    assert (report.articles, report.chunks) == (reference.articles, reference.chunks)
    assert_exactly_complete(settings, reference)


def _mount_tmpfs(point: Path, size: str) -> None:
    point.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")


def _ingest_cli(archive: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_DB_DIR": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "ingest", str(archive), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("full", "size"),
    [("index folder", "2000k"), ("chroma folder", "500k")],
    ids=["whole index on a small disk", "only Chroma on a small disk"],
)
def test_real_full_file_system_then_more_space(
    archive: Path, reference: Reference, tmp_path: Path, full: str, size: str
) -> None:
    db = tmp_path / "index"
    point = db if full == "index folder" else db / "chroma"
    _mount_tmpfs(point, size)
    try:
        failed = _ingest_cli(archive, db)
        assert failed.returncode == 2, failed.stderr
        assert "Lỗi: Đã hết dung lượng đĩa" in failed.stderr and "Traceback" not in failed.stderr
        try:  # Chroma writes when it opens: on a disk with no byte left even reading may be refused
            ArchiveIndex(Settings.for_tests(db).index_config()).close()
        except DiskFullError as exc:
            assert "hết dung lượng đĩa" in str(exc)

        subprocess.run(["mount", "-o", "remount,size=64m", str(point)], check=True)  # space freed
        assert_usable_after_failure(Settings.for_tests(db), reference)  # before anything is re-run
        rerun = _ingest_cli(archive, db)
        assert rerun.returncode == 0, rerun.stderr
        assert_exactly_complete(Settings.for_tests(db), reference)
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
