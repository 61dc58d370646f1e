"""SIGKILL during ingestion, then a re-run: exactly the right articles and chunks, indexes agree."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
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
