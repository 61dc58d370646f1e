"""Two writers of one index folder never overlap: the second waits, or gives up with a clear message."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.conftest import ROOT, SAMPLE_ARCHIVE
from vectorstore.index_errors import IndexBusyError
from vectorstore.ingestion import run_ingest
from vectorstore.store.writer_lock import exclusive_writer

HOLDER = """
import sys, time
from pathlib import Path
from vectorstore.store.writer_lock import exclusive_writer
with exclusive_writer(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(db_dir: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_dir), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_second_writer_gives_up_with_a_vietnamese_message(tmp_path: Path) -> None:
    holder = _hold(tmp_path, 5)
    try:
        with (
            pytest.raises(IndexBusyError, match="đang được một tiến trình khác cập nhật"),
            exclusive_writer(tmp_path, wait_s=0.5),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive_writer(tmp_path, wait_s=0.5):  # a killed holder leaves nothing locked
        pass


@pytest.mark.integration  # Chroma on disk
@pytest.mark.hash_embedder
def test_ingest_waits_for_the_other_writer_then_runs(tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path)
    holder = _hold(tmp_path, 1.5)
    started = time.monotonic()
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert time.monotonic() - started >= 1.0, "ingest must not start while another writer holds the index"
    assert holder.wait(timeout=10) == 0
    assert report.articles == 5
