"""First start (issue 16 §5): the app's address shows the sample archive's loading progress, not an error,
and the real app follows once the archive is loaded; `--steps` prints steps 3 and 4 with a bar.

The loading page is tested directly (a server on a free port fed a progress by hand) and through a real
`app.py --steps` on the hash embedder over a sample folder large enough to be caught while loading."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.sample_archive_loading import ProgressSnapshot, StartupProgress, terminal_bar
from assistant.web.startup_progress import PROGRESS_PATH, AddressInUseError, check_port_free, loading_page
from tests.conftest import ROOT, SAMPLE_ARCHIVE, free_port
from tests.web_fixtures import CHROMIUM, CHROMIUM_ARGS, SHOTS, app_environment, wait_for_config

SAMPLE_COPIES = 60  # sample pages written under new names, each with its own last line


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_progress_snapshots_read_as_vietnamese_lines_and_a_bar() -> None:
    progress = StartupProgress()
    assert progress.snapshot().phase == "waiting" and not progress.snapshot().finished
    progress.documents_read(2, 5)
    reading = progress.snapshot()
    assert (reading.phase, reading.as_text()) == ("reading", "Đang đọc bài 2/5 của kho mẫu…")
    assert terminal_bar(reading, width=10).startswith("[█░░░░░░░░░]  12 %")
    progress.documents_read(5, 5)
    assert progress.snapshot().phase == "indexing" and progress.snapshot().fraction == pytest.approx(0.3)
    assert progress.snapshot().as_text() == "Đã đọc 5 tệp; đang lập chỉ mục…"
    progress.articles_embedded(2, 4)  # four articles stored from five documents (one was a duplicate)
    indexing = progress.snapshot()
    assert indexing.fraction == pytest.approx(0.3 + 0.7 * 2 / 4)
    assert indexing.as_text() == "Đang lập chỉ mục: 2/4 bài đã có véc-tơ…"
    assert progress.wait(timeout=0.01).phase == "indexing"  # not finished: wait returns on its timeout
    progress.update(ProgressSnapshot("ready", 5, 5, "Kho mẫu đã sẵn sàng: 5 bài."))
    assert progress.wait(timeout=1).finished and progress.snapshot().fraction == 1.0


def test_loading_page_shows_progress_and_frees_the_port() -> None:
    progress = StartupProgress()
    progress.documents_read(3, 5)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with loading_page("127.0.0.1", port, progress):
        status, page = _get(base + "/")
        assert status == 200
        assert "Lần chạy đầu tiên" in page and "Đang đọc bài 3/5 của kho mẫu…" in page
        assert PROGRESS_PATH in page  # the page polls its progress
        progress.documents_read(4, 5)
        status, body = _get(base + PROGRESS_PATH)
        assert status == 200
        shown = json.loads(body)
        assert (shown["phase"], shown["done"], shown["total"]) == ("reading", 4, 5)
        assert shown["text"] == "Đang đọc bài 4/5 của kho mẫu…"
        # The app's own paths are "not yet", so a client waiting for /config keeps waiting.
        assert _get(base + "/config")[0] == 503
    with socket.socket() as probe:  # the real app can bind the same port next
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_a_taken_port_is_named_in_vietnamese_before_anything_starts() -> None:
    port = free_port()
    check_port_free("127.0.0.1", port)  # free: nothing raised
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(AddressInUseError, match=f"Cổng {port} đang được dùng"):
            check_port_free("127.0.0.1", port)


@contextlib.contextmanager
def first_start(
    tmp_path: Path, release: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """`app.py --steps` on an empty index whose sample folder holds SAMPLE_COPIES pages (hash embedder):
    yields its base URL as soon as it is started, the process and its terminal output. With `release`,
    loading stops once reading is done (30 %) until that file exists (tests/held_first_start.py)."""
    samples = tmp_path / "samples"
    samples.mkdir()
    pages = sorted(SAMPLE_ARCHIVE.glob("*.txt"))
    for number in range(SAMPLE_COPIES):
        source = pages[number % len(pages)]
        text = source.read_text(encoding="utf-8")
        (samples / f"{number:03d}_{source.stem}.txt").write_text(
            f"{text}\n\nGhi chú lưu trữ số {number}.\n", encoding="utf-8"
        )
    env = {
        **app_environment(tmp_path / "index"),
        "ARCHIVE_EMBEDDING_MODE": "hash",
        "ARCHIVE_SAMPLE_ARCHIVE_DIR": str(samples),
    }
    port = free_port()
    log = tmp_path / "app.out"
    launcher = [sys.executable, "app.py"]
    if release is not None:
        launcher = [sys.executable, "-m", "tests.held_first_start", str(release)]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [*launcher, "--port", str(port), "--steps"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _loading_page_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        with contextlib.suppress(OSError):
            if _get(base + PROGRESS_PATH)[0] == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"no loading page within 120 s:\n{log.read_text(encoding='utf-8')}")


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_first_start_serves_progress_while_loading_then_the_app(tmp_path: Path) -> None:
    with first_start(tmp_path) as (base, process, log):
        _watch_loading_then_app(base, process, log)
        # Step 4 is printed once launch() returns, which can come a moment after the app first answers.
        deadline = time.monotonic() + 30
        while "[4/4]" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
    _check_steps_printed(base, log)


def _watch_loading_then_app(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    seen: list[dict[str, object]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            status, body = _get(base + PROGRESS_PATH)
        except OSError:  # not listening yet, or between the loading page and the app
            time.sleep(0.2)
            continue
        if status != 200 or not body.startswith("{"):
            break  # the real app answers now
        seen.append(json.loads(body))
        try:
            page_status, page = _get(base + "/")
        except OSError:  # the loading page closed between the two requests: the app is taking over
            continue
        if seen[-1]["phase"] in ("reading", "indexing") and page_status == 200:
            assert "đang nạp kho mẫu" in page.lower() and "Lỗi" not in page
        time.sleep(0.2)
    assert any(s["phase"] in ("reading", "indexing") for s in seen), (seen, log.read_text())
    config = wait_for_config(base + "/", process, log)
    assert config.get("components"), "the Gradio app answers after loading"
    status, page = _get(base + "/")
    assert status == 200 and "Lần chạy đầu tiên" not in page


def _check_steps_printed(base: str, log: Path) -> None:
    printed = log.read_text(encoding="utf-8")
    assert "[3/4] Nạp kho mẫu (lần chạy đầu)" in printed
    assert (
        f"Đang đọc bài 1/{SAMPLE_COPIES} của kho mẫu…" in printed and "100 % Kho mẫu đã sẵn sàng" in printed
    )
    # Every stored article gets its vectors before the app opens (copies of one page are one article).
    embedded = re.findall(r"Đang lập chỉ mục: (\d+)/(\d+) bài đã có véc-tơ…", printed)
    assert embedded and embedded[-1][0] == embedded[-1][1], printed
    assert f"Kho mẫu đã sẵn sàng: {embedded[-1][1]} bài." in printed
    assert f"[4/4] Sẵn sàng: mở {base}" in printed
    assert printed.index("[3/4]") < printed.index("[4/4]")


@pytest.mark.integration
@pytest.mark.hash_embedder
@pytest.mark.browser
def test_browser_opened_while_loading_sees_progress_then_the_app(tmp_path: Path) -> None:
    """In headless Chromium: the address opened during loading shows a moving bar and its text, and the
    same tab turns into the app by itself (the page's own reload, no goto).

    Loading is held at the end of reading until the bar has been seen: free, it can finish before the
    page's first poll and the tab would already be the app (a flaky run read a bar that was gone). A page
    that never shows progress still fails: the bar is awaited while loading cannot end."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    release = tmp_path / "release-loading"
    with first_start(tmp_path, release) as (base, process, log), sync_playwright() as playwright:
        _loading_page_up(base, process, log)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page: Any = browser.new_page()
        page.goto(base + "/")
        assert "Lần chạy đầu tiên" in page.inner_text("body")
        assert "Lỗi" not in page.inner_text("body") and "Error" not in page.inner_text("body")
        # The bar reaches 30 % (reading done), where loading is held: it can neither stop short nor pass.
        page.wait_for_function(
            "() => document.querySelector('#thanh-tien-do')?.getAttribute('aria-valuenow') === '30'",
            timeout=60_000,
        )
        assert page.inner_text("#trang-thai") == f"Đã đọc {SAMPLE_COPIES} tệp; đang lập chỉ mục…"
        assert "Lần chạy đầu tiên" in page.inner_text("body")  # still the loading page, not the app
        page.screenshot(path=str(SHOTS / "30_dang_nap_kho_mau.png"))
        release.touch()
        page.locator("#cau-hoi textarea").wait_for(timeout=120_000)  # reloaded into the app
        assert "Lần chạy đầu tiên" not in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "31_ung_dung_sau_khi_nap.png"))
        browser.close()
