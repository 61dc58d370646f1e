"""Ingestion end to end on real Chroma on disk: incremental, duplicates, prune, delete, report, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.conftest import ROOT, SAMPLE_ARCHIVE
from vectorstore.archive_index import ArchiveIndex
from vectorstore.index_errors import EmbeddingModelMismatchError
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

SEED_004 = "004_955a1fbb71e7f89b"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(SAMPLE_ARCHIVE, folder)
    return folder


def _settings(tmp_path: Path) -> Settings:
    return Settings.for_tests(tmp_path / "index")


def _statuses(report) -> dict[str, str]:
    return {Path(o.path.split(":")[0]).name: o.status for o in report.files}


def test_first_ingest_indexes_every_seed_and_stores_clean_text(archive: Path, tmp_path: Path) -> None:
    report = run_ingest([archive], _settings(tmp_path).ingest_config())
    assert set(_statuses(report).values()) == {"indexed"}
    assert report.articles == 5
    assert report.chunks == report.embedded_chunks > 5
    index = ArchiveIndex(_settings(tmp_path).index_config())
    assert index.consistency()["missing_vectors"] == 0
    assert index.consistency()["orphan_vectors"] == 0
    row = index.store.get_article(SEED_004)
    assert row is not None and "Cao Bằng" in row.text
    assert row.published_date == date(2022, 7, 7)


def test_reingest_unchanged_embeds_nothing(archive: Path, tmp_path: Path) -> None:
    run_ingest([archive], _settings(tmp_path).ingest_config())
    again = run_ingest([archive], _settings(tmp_path).ingest_config())
    assert set(_statuses(again).values()) == {"unchanged"}
    assert again.embedded_chunks == 0
    assert again.articles == 5


def test_changed_article_replaces_its_chunks(archive: Path, tmp_path: Path) -> None:
    run_ingest([archive], _settings(tmp_path).ingest_config())
    target = archive / f"{SEED_004}.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace("hơn 200 đại biểu", "hơn 250 đại biểu"), encoding="utf-8"
    )
    report = run_ingest([archive], _settings(tmp_path).ingest_config())
    assert _statuses(report)[f"{SEED_004}.txt"] == "replaced"  # the old version is kept (issue 14 §1)
    index = ArchiveIndex(_settings(tmp_path).index_config())
    text = " ".join(c.text for c in index.store.chunks_of(SEED_004))
    assert "hơn 250 đại biểu" in text and "hơn 200 đại biểu" not in text
    assert ["hơn 200 đại biểu" in v.text for v in index.store.versions_of(SEED_004)] == [True, False]
    consistency = index.consistency()
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0


def test_same_text_under_two_files_is_stored_once_with_both_sources(archive: Path, tmp_path: Path) -> None:
    shutil.copy(archive / f"{SEED_004}.txt", archive / "copy_of_004.txt")
    report = run_ingest([archive], _settings(tmp_path).ingest_config())
    assert _statuses(report)["copy_of_004.txt"] == "duplicate"
    assert report.articles == 5
    sources = ArchiveIndex(_settings(tmp_path).index_config()).store.sources_of(SEED_004)
    assert {Path(s).name for s in sources} == {f"{SEED_004}.txt", "copy_of_004.txt"}


def test_near_duplicate_is_linked_as_one_story(archive: Path, tmp_path: Path) -> None:
    original = (archive / f"{SEED_004}.txt").read_text(encoding="utf-8")
    (archive / "republished.txt").write_text(
        original.replace("nhiều vấn đề quan trọng", "nhiều vấn đề rất quan trọng"), encoding="utf-8"
    )
    run_ingest([archive], _settings(tmp_path).ingest_config())
    store = ArchiveIndex(_settings(tmp_path).index_config()).store
    republished, original = store.get_article("republished"), store.get_article(SEED_004)
    assert republished is not None and original is not None
    assert republished.story_id == original.story_id
    assert store.counts()["stories"] == 5 and store.counts()["articles"] == 6


def test_prune_and_delete(archive: Path, tmp_path: Path) -> None:
    run_ingest([archive], _settings(tmp_path).ingest_config())
    (archive / f"{SEED_004}.txt").unlink()
    without_prune = run_ingest([archive], _settings(tmp_path).ingest_config())
    assert without_prune.articles == 5
    pruned = run_ingest([archive], _settings(tmp_path).ingest_config(), prune=True)
    assert pruned.articles == 4
    assert any(o.status == "deleted" and o.article_id == SEED_004 for o in pruned.files)
    index = ArchiveIndex(_settings(tmp_path).index_config())
    index.delete(["000_8e02bbd58b42a3a7"])
    assert index.store.counts()["articles"] == 3
    assert index.consistency()["orphan_vectors"] == 0


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    lines = [
        json.dumps({"id": "a1", "title": "Bài một", "text": "Hội nghị đối ngoại diễn ra tại Hà Nội. " * 5}),
        "{ this is not json",
        json.dumps({"id": "a2", "title": "Bài hai", "text": "Đoàn đại biểu thăm tỉnh Cao Bằng. " * 5}),
    ]
    (folder / "rows.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_ingest([folder], _settings(tmp_path).ingest_config())
    rejected = {o.path: o.reason for o in report.files if o.status == "rejected"}
    assert any(p.endswith("empty.txt") for p in rejected)
    assert any(p.endswith("binary.txt") for p in rejected)
    assert any(p.endswith("rows.jsonl:2") for p in rejected), rejected
    assert all(reason for reason in rejected.values())
    assert report.articles == 2


def test_opening_with_another_embedding_model_is_a_clear_error(tmp_path: Path) -> None:
    run_ingest([SAMPLE_ARCHIVE], _settings(tmp_path).ingest_config())
    other = Settings.for_tests(
        tmp_path / "index",
        embedding_mode="sentence_transformers",
        embedding_model="/models/another",
    )
    with pytest.raises(EmbeddingModelMismatchError, match="nạp lại"):
        ArchiveIndex(
            other.index_config(),
            embedder=_FakeNamed(ArchiveIndex(_settings(tmp_path).index_config()).embedder, "another"),
        )


class _FakeNamed:
    """The hash embedder under another model name (no second model needed to test the guard)."""

    def __init__(self, inner, name: str) -> None:
        self._inner = inner
        self.model_name = name

    def __getattr__(self, attribute: str):
        return getattr(self._inner, attribute)


def test_command_line_json_forms(tmp_path: Path) -> None:
    env = {"ARCHIVE_EMBEDDING_MODE": "hash", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    db = tmp_path / "cli_index"
    run = subprocess.run(
        [sys.executable, "-m", "ingest", str(SAMPLE_ARCHIVE), "--db", str(db), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=True,
    )  # fmt: skip
    payload = json.loads(run.stdout)
    assert set(payload) == {"files", "articles", "chunks", "embedded_chunks", "seconds"}
    assert {f["status"] for f in payload["files"]} == {"indexed"}
    shown = subprocess.run(
        [sys.executable, "-m", "ingest", "show", SEED_004, "--db", str(db), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True,
    )  # fmt: skip
    article = json.loads(shown.stdout)
    assert article["published_date"] == "2022-07-07" and article["page_date"] == "2024-02-28"
    assert article["url"].startswith("http://vufo.org.vn/")
    assert any(s.endswith(f"{SEED_004}.txt") for s in article["sources"])
    stats = subprocess.run(
        [sys.executable, "-m", "ingest", "stats", "--db", str(db), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True,
    )  # fmt: skip
    assert json.loads(stats.stdout)["articles"] == 5
    missing = subprocess.run(
        [sys.executable, "-m", "ingest", "show", "no-such-id", "--db", str(db)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 1 and "Không có bài" in missing.stderr
