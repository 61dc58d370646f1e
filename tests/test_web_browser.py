"""The real app (`python app.py`, samples ingested on first start) driven in headless Chromium: Debian's
package at /usr/bin/chromium through Playwright, never a browser download. Ask and read the cited answer
and its source card, follow up, filters, upload a file, make a briefing and open the downloaded .docx.
Screenshots and answer timings go to test-output/browser/."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web_fixtures import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SEED_DATE,
    SEED_HEADLINE,
    SEED_QUESTION,
    SHOTS,
    RunningApp,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]

TIMING_QUESTIONS = [
    "Lớp bồi dưỡng kỹ năng nghiệp vụ đối ngoại năm 2019 tổ chức ở đâu?",
    "hoi nghi cap nhat kien thuc doi ngoai nhan dan nam 2020 o dau",
    "Tập huấn công tác đối ngoại nhân dân cho 18 Liên hiệp địa phương phía Nam tập trung vào nội dung gì?",
    "Chỉ thị 25-CT/TW của Ban Bí thư về vấn đề gì?",
]
ANSWER_TIMEOUT_MS = 120_000
# Installed before "Gửi" is clicked: records when the new bot bubble first shows streamed text and when
# the final answer (with linked [n]) replaces it, in the page's own clock.
_WATCH_ANSWER = """() => {
  const root = document.querySelector('#cuoc-tro-chuyen');
  const before = root.querySelectorAll('.message.bot').length;
  const t = window.__answerTiming = {start: performance.now(), first: null, done: null};
  const check = () => {
    const bots = root.querySelectorAll('.message.bot');
    if (bots.length <= before) return;
    const last = bots[bots.length - 1];
    const text = last.innerText.trim();
    const placeholder = !text || text.includes('Đang tìm trong kho') || text.startsWith('Loading');
    if (t.first === null && !placeholder) t.first = performance.now();
    if (t.done === null && last.querySelector('a.trich-dan, a[href^="#nguon-"]')) t.done = performance.now();
    if (t.done === null && text.includes('Không tìm thấy')) t.done = performance.now();
  };
  new MutationObserver(check).observe(root, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def page(web_app: RunningApp) -> Iterator[Any]:
    """A Chromium tab on the session's app (conftest's `web_app`, shared with the other web tests)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    app_url = web_app.url

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True,
            viewport={"width": 1400, "height": 1000},
            permissions=["clipboard-read", "clipboard-write"],
        )
        tab = context.new_page()
        tab.external_requests = []  # everything the page fetched from anywhere but the app
        tab.app_log = web_app.log  # quoted when an answer never comes
        tab.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((app_url, "data:", "blob:"))
                else tab.external_requests.append(request.url)
            ),
        )
        tab.goto(app_url)
        tab.locator("#cau-hoi textarea").wait_for(timeout=60_000)
        yield tab
        browser.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def ask(page: Any, question: str) -> tuple[float, float]:
    """Send a question; seconds from submit to the first streamed text and to the final answer."""
    page.locator("#cau-hoi textarea").fill(question)
    page.evaluate(_WATCH_ANSWER)
    page.get_by_role("button", name="Gửi", exact=True).click()
    try:
        page.wait_for_function("() => window.__answerTiming.done !== null", timeout=ANSWER_TIMEOUT_MS)
    except Exception as exc:
        page.screenshot(path=str(SHOTS / "loi_khi_hoi.png"), full_page=True)
        shown = page.locator("#cuoc-tro-chuyen").inner_text()[-1500:]
        log = page.app_log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise AssertionError(
            f"no final answer to {question!r}; the chat shows:\n{shown}\n--- app log (end) ---\n{log}"
        ) from exc
    timing = page.evaluate("() => window.__answerTiming")
    first = timing["first"] if timing["first"] is not None else timing["done"]
    return (first - timing["start"]) / 1000, (timing["done"] - timing["start"]) / 1000


def last_answer(page: Any) -> Any:
    return page.locator("#cuoc-tro-chuyen .message.bot").last


def test_question_gets_cited_answer_and_source_card(page: Any) -> None:
    first, complete = ask(page, SEED_QUESTION)
    answer = last_answer(page)
    text = answer.inner_text()
    assert "Cao Bằng" in text and "[1]" in text
    assert "Chế độ" not in text and "Ngoại tuyến (trích xuất)" in page.locator("#che-do").inner_text()
    card = page.locator("#nguon-1-1")
    card.wait_for()
    assert SEED_HEADLINE in card.inner_text() and SEED_DATE in card.inner_text()
    assert "Cao Bằng" in card.locator("mark").first.inner_text()
    original = card.locator("a.nguon-link")
    assert original.get_attribute("target") == "_blank" and "noopener" in original.get_attribute("rel")
    page.screenshot(path=str(SHOTS / "01_cau_tra_loi.png"), full_page=True)

    answer.locator('a[href="#nguon-1-1"]').first.click()
    assert page.evaluate("() => location.hash") == "#nguon-1-1"
    card.get_by_text("Xem toàn văn").click()
    full_text = card.locator("details.toan-van")
    assert full_text.evaluate("element => element.open") is True
    assert "hơn 200 đại biểu" in full_text.inner_text()
    page.screenshot(path=str(SHOTS / "02_nguon_toan_van.png"), full_page=True)
    page.get_by_role("button", name="Sao chép kèm nguồn").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Cao Bằng [1]." in copied and "Chế độ" not in copied, "no mode line in the copy"
    assert f"\n\nNguồn:\n[1] {SEED_HEADLINE} — {SEED_DATE} — http://vufo.org.vn/" in copied
    assert "<a " not in copied and "<small>" not in copied and "vufo.org.vn" in copied
    _record_timing("first_question", first, complete)


def test_follow_up_then_new_conversation(page: Any) -> None:
    ask(page, "Ai chủ trì hội nghị đó?")
    page.locator("#nguon-2-1").wait_for()
    assert page.locator("#cuoc-tro-chuyen .message.user").count() == 2
    assert page.locator("#nguon-1-1").count() == 1, "the first answer's cards stay for its links"
    page.screenshot(path=str(SHOTS / "03_cau_hoi_tiep.png"), full_page=True)
    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    # Typed while the reset is on its way: the reset must not wipe it (it did, and "Gửi" sent nothing).
    page.locator("#cau-hoi textarea").fill("Câu hỏi gõ ngay sau khi bấm")
    page.wait_for_function("() => document.querySelectorAll('#cuoc-tro-chuyen .message').length === 0")
    page.get_by_text("Nguồn trích dẫn của câu trả lời sẽ hiện ở đây").wait_for()
    assert page.locator("#cau-hoi textarea").input_value() == "Câu hỏi gõ ngay sau khi bấm"
    page.locator("#cau-hoi textarea").fill("")


def test_filter_dates_are_validated_in_vietnamese(page: Any) -> None:
    page.get_by_text("Bộ lọc: thời gian, chuyên mục, nguồn đăng").click()
    page.get_by_label("Từ ngày").first.fill("31/02/2022")
    page.get_by_label("Từ ngày").first.press("Tab")
    page.get_by_text("không phải ngày có thật").wait_for()
    page.screenshot(path=str(SHOTS / "04_bo_loc.png"), full_page=True)
    page.get_by_label("Từ ngày").first.fill("")
    page.get_by_label("Từ ngày").first.press("Tab")
    page.get_by_text("Không lọc: tìm trong toàn bộ kho.").wait_for()


def test_upload_shows_file_in_report_and_updates_statistics(page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "doan_cong_tac_lao_cai.txt"
    upload.write_text(
        "Đoàn đại biểu hữu nghị thăm tỉnh Lào Cai\n\n12/03/2021\n\nNgày 12/3/2021, đoàn đại biểu Liên hiệp "
        "các tổ chức hữu nghị đã thăm và làm việc tại tỉnh Lào Cai, trao đổi về hợp tác nhân dân hai bên "
        "biên giới.\n",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="Kho lưu trữ").click()
    # The app is shared by the session's web tests: count from what the panel shows now, not from 5.
    article_count = page.locator("#thong-ke-kho tr", has_text="Số bài").locator("td").last
    before = int(article_count.inner_text())
    with page.expect_file_chooser() as chooser:
        page.locator("#nap-tep").click()
    chooser.value.set_files(str(upload))
    page.locator("#ket-qua-nap").get_by_text("Đã nhận 1 tệp").wait_for(timeout=ANSWER_TIMEOUT_MS)
    report = page.locator("#bao-cao-nap").inner_text()
    assert "doan_cong_tac_lao_cai.txt" in report and "đã lập chỉ mục" in report
    expect(article_count).to_have_text(str(before + 1))
    page.screenshot(path=str(SHOTS / "05_nap_kho.png"), full_page=True)


def test_briefing_preview_and_docx_download(page: Any, tmp_path: Path) -> None:
    from docx import Document

    page.get_by_role("tab", name="Bản tóm tắt nhanh").click()
    page.get_by_label("Chủ đề").fill("đối ngoại nhân dân")
    page.get_by_role("button", name="Soạn bản tóm tắt").click()
    download_button = page.get_by_role("button", name="Tải bản Word (.docx)")
    download_button.wait_for(timeout=ANSWER_TIMEOUT_MS)
    preview = page.locator("#xem-truoc-tom-tat")
    assert "Diễn biến theo thời gian" in preview.inner_text() and "Nguồn" in preview.inner_text()
    page.screenshot(path=str(SHOTS / "06_ban_tom_tat.png"), full_page=True)
    with page.expect_download() as download:
        download_button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".docx"
    assert "Nguồn" in [paragraph.text for paragraph in Document(str(saved)).paragraphs]


def test_answer_timings_over_more_questions(page: Any) -> None:
    page.get_by_role("tab", name="Hỏi đáp").click()
    timings = []
    for question in TIMING_QUESTIONS:
        page.get_by_role("button", name="Cuộc trò chuyện mới").click()
        page.wait_for_function("() => document.querySelectorAll('#cuoc-tro-chuyen .message').length === 0")
        timings.append(ask(page, question))
        assert last_answer(page).locator('a[href="#nguon-1-1"]').count() >= 1, question
    _record_timing(
        "median_of_4_more", statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)
    )
    assert max(t[1] for t in timings) < ANSWER_TIMEOUT_MS / 1000


def test_page_fetched_nothing_from_outside(page: Any) -> None:
    assert page.external_requests == []


def _record_timing(name: str, first: float, complete: float) -> None:
    """Keep the figures in test-output/browser/timings.json (read by the closing note)."""
    path = SHOTS / "timings.json"
    figures = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    figures[name] = {"first_streamed_text_s": round(first, 3), "complete_answer_s": round(complete, 3)}
    figures["recorded_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
