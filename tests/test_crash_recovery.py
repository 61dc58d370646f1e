"""SIGKILL during ingestion, then a re-run: exactly the right articles and chunks, indexes agree.

Ingestion has two stages (issue 17): articles are stored (searchable lexically), then embedded. A kill in
either stage, or in `python -m ingest embed`, is finished by one more run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.conftest import DISTRACTORS, ROOT
from vectorstore.archive_index import ArchiveIndex

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder, pytest.mark.shared]


def _ingest_process(source: Path, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_DB_DIR": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", str(source), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def _stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(db / "articles.sqlite3", timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_at_several_moments_then_rerun_is_exact(tmp_path: Path) -> None:
    if not DISTRACTORS.exists():
        pytest.skip(f"{DISTRACTORS} is missing")
    source = tmp_path / "articles.jsonl"
    rows = DISTRACTORS.read_text(encoding="utf-8").splitlines()[:120]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected_ids = {json.loads(r)["id"] for r in rows}
    db = tmp_path / "index"

    kills = 0
    for threshold in (1, 30, 70):  # kill right after the first, a middle and a late batch landed
        process = _ingest_process(source, db)
        deadline = time.monotonic() + 120
        while process.poll() is None and _stored_articles(db) < threshold and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
    assert kills >= 2, "ingestion finished before it could be interrupted; use a larger input"

    final = _ingest_process(source, db)
    output, _ = final.communicate(timeout=600)
    assert final.returncode == 0
    report = json.loads(output)

    index = ArchiveIndex(Settings.for_tests(db).index_config())
    assert index.store.ids_with_status("pending") == []
    assert index.store.counts()["articles"] == report["articles"] == len(expected_ids)
    consistency = index.consistency()
    assert consistency["missing_vectors"] == 0 and consistency["orphan_vectors"] == 0
    assert consistency["store_chunks"] == consistency["chroma_chunks"] == report["chunks"]
    with sqlite3.connect(db / "articles.sqlite3") as conn:
        duplicates = conn.execute(
            "SELECT COUNT(*) FROM (SELECT article_id, position FROM chunks GROUP BY 1, 2 HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        positions_ok = conn.execute(
            "SELECT COUNT(*) FROM (SELECT article_id FROM chunks GROUP BY article_id"
            " HAVING MAX(position) + 1 != COUNT(*))"
        ).fetchone()[0]
    assert duplicates == 0 and positions_ok == 0
    snapshot = index.lexical.snapshot()
    assert len(snapshot.chunk_ids) == report["chunks"]
    assert set(snapshot.article_ids.tolist()) == expected_ids


# --- the two stages (issue 17): stored, then embedded ----------------------------------------------


def _statuses(db: Path) -> dict[str, int]:
    try:
        with sqlite3.connect(db / "articles.sqlite3", timeout=5) as conn:
            return dict(conn.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())
    except sqlite3.Error:
        return {}


def _kill_when(
    process: subprocess.Popen[str], db: Path, moment: Callable[[dict[str, int]], bool]
) -> dict[str, int] | None:
    """SIGKILL `process` as soon as `moment(statuses)` holds; the statuses then, or None if it ended."""
    deadline = time.monotonic() + 180
    while process.poll() is None and time.monotonic() < deadline:
        statuses = _statuses(db)
        if moment(statuses):
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return statuses
        time.sleep(0.005)
    process.wait(timeout=30)
    return None


def _all_rows(tmp_path: Path) -> tuple[Path, set[str]]:
    if not DISTRACTORS.exists():
        pytest.skip(f"{DISTRACTORS} is missing")
    source = tmp_path / "articles.jsonl"
    rows = DISTRACTORS.read_text(encoding="utf-8").splitlines()
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return source, {json.loads(r)["id"] for r in rows}


def _assert_complete(db: Path, expected_ids: set[str]) -> None:
    index = ArchiveIndex(Settings.for_tests(db).index_config())
    assert set(index.store.ids_with_status("indexed")) == expected_ids
    assert index.store.ids_without_vectors() == []
    consistency = index.consistency()
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0
    assert consistency["store_chunks"] == consistency["chroma_chunks"] == index.store.counts()["chunks"]
    assert set(index.lexical.snapshot().article_ids.tolist()) == expected_ids
    index.close()


def test_sigkill_in_each_stage_then_one_run_finishes_both(tmp_path: Path) -> None:
    source, expected_ids = _all_rows(tmp_path)
    db = tmp_path / "index"
    # Stage 1: some articles stored, none embedded yet.
    storing = _kill_when(_ingest_process(source, db), db, lambda s: s.get("stored", 0) >= 30)
    assert storing is not None, "ingestion finished before it could be interrupted"
    assert storing.get("indexed", 0) == 0
    after_first = _statuses(db)
    assert 0 < after_first["stored"] < len(expected_ids) and "indexed" not in after_first

    # Stage 2: everything stored, some articles embedded.
    embedding = _kill_when(_ingest_process(source, db), db, lambda s: s.get("indexed", 0) >= 1)
    assert embedding is not None, "embedding finished before it could be interrupted"
    after_second = _statuses(db)
    assert after_second["stored"] + after_second["indexed"] == len(expected_ids)
    assert 0 < after_second["indexed"] < len(expected_ids)

    final = _ingest_process(source, db)
    output, _ = final.communicate(timeout=600)
    assert final.returncode == 0
    assert json.loads(output)["articles"] == len(expected_ids)
    _assert_complete(db, expected_ids)


def test_ingest_embed_resumes_after_sigkill(tmp_path: Path) -> None:
    source, expected_ids = _all_rows(tmp_path)
    db = tmp_path / "index"
    env = {**os.environ, "ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_DB_DIR": str(db)}

    def ingest(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest", *args, "--json"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip

    stored = ingest(str(source), "--lexical-only")
    assert stored.wait(timeout=600) == 0
    assert _statuses(db) == {"stored": len(expected_ids)}
    killed_at = _kill_when(ingest("embed"), db, lambda s: s.get("indexed", 0) >= 1)
    assert killed_at is not None, "embedding finished before it could be interrupted"
    left = _statuses(db)["stored"]
    assert 0 < left < len(expected_ids)

    resumed = ingest("embed")
    output, _ = resumed.communicate(timeout=600)
    assert resumed.returncode == 0
    report = json.loads(output)
    assert report["embedded_now"] == left  # only what the killed run had not written
    assert (report["embedded_articles"], report["articles"]) == (len(expected_ids), len(expected_ids))
    _assert_complete(db, expected_ids)
