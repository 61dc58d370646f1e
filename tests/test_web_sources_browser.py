"""Sources a reader verifies at a glance and less noise (issue 16 §3, §4), in headless Chromium against the
real app (conftest's shared `web_app`; Debian's /usr/bin/chromium through Playwright, never a browser
download). A `[n]` click flashes its card and hovering it gives the quote; a source quoted by two sentences
has both marked, in its card and in its full text; the copy button leaves out the mode and the follow-ups
and confirms with a toast; a follow-up suggestion and an example question are asked with one click; a
refusal's nearest articles open in the sources panel. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web_fixtures import CHROMIUM, CHROMIUM_ARGS, SEED_DATE, SEED_HEADLINE, SEED_QUESTION, SHOTS

pytestmark = [pytest.mark.integration, pytest.mark.browser]

ANSWER_TIMEOUT_MS = 120_000
OFF_ARCHIVE_QUESTION = "Giá vàng hôm nay bao nhiêu?"
# True once the sources panel holds the section of answer `turn` (the panel changes only with a final
# answer; the bubble shows steps before it).
_SECTION_SHOWN = "turn => !!document.getElementById('luot-' + turn)"
# True once the card's top is inside the sources panel's visible box and the window.
_CARD_IN_VIEW = """id => {
  const card = document.getElementById(id).getBoundingClientRect();
  const panel = document.getElementById('nguon-trich-dan').getBoundingClientRect();
  return card.top >= Math.max(panel.top, 0) - 2 && card.top < Math.min(panel.bottom, innerHeight);
}"""


@pytest.fixture(scope="module")
def page(web_app: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, permissions=["clipboard-read", "clipboard-write"]
        )
        tab = context.new_page()
        tab.app_log = web_app.log  # type: ignore[attr-defined]  # quoted when an answer never comes
        tab.goto(web_app.url)
        tab.locator("#cau-hoi textarea").wait_for(timeout=60_000)
        yield tab
        browser.close()


def _bubbles(page: Any) -> Any:
    return page.locator("#cuoc-tro-chuyen .message.bot")


def _wait_for_answer(page: Any, turn: int, what: str) -> Any:
    """The final bubble of answer `turn` (1-based in this session)."""
    try:
        page.wait_for_function(_SECTION_SHOWN, arg=turn, timeout=ANSWER_TIMEOUT_MS)
    except Exception as exc:
        page.screenshot(path=str(SHOTS / "nguon_loi.png"), full_page=True)
        log = page.app_log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise AssertionError(f"no final answer to {what!r}; app log (end):\n{log}") from exc
    return _bubbles(page).nth(turn - 1)


def _ask(page: Any, question: str, turn: int) -> Any:
    page.locator("#cau-hoi textarea").fill(question)
    page.locator("#gui").click()
    return _wait_for_answer(page, turn, question)


def test_citation_click_flashes_its_card_hover_quotes_and_all_spans_are_marked(page: Any) -> None:
    bubble = _ask(page, SEED_QUESTION, 1)
    links = bubble.locator("a.trich-dan")
    assert links.count() >= 3, "the short answer's [1] and both supporting sentences' [1]"
    tooltips = [links.nth(i).get_attribute("title") for i in range(links.count())]
    assert all(t.startswith(f"[1] {SEED_HEADLINE} ({SEED_DATE}): «") for t in tooltips), tooltips
    assert len(set(tooltips[1:])) == len(tooltips[1:]), "each sentence's [1] shows its own quote"

    card = page.locator("#nguon-1-1")
    marks = card.locator(".nguon-trich mark")
    assert marks.count() >= 2, "both sentences the answer quotes are marked, not only the first"
    answer_text = " ".join(bubble.inner_text().split())
    for i in range(marks.count()):
        assert " ".join(marks.nth(i).inner_text().split()) in answer_text

    page.mouse.wheel(0, 2000)  # the card out of view first: the click must bring it back
    links.nth(2).click()
    page.wait_for_function("() => document.getElementById('nguon-1-1').classList.contains('nguon-nhay')")
    page.wait_for_function(_CARD_IN_VIEW, arg="nguon-1-1")
    assert page.evaluate("() => location.hash") == "#nguon-1-1"
    page.screenshot(path=str(SHOTS / "nguon_01_nhay_the.png"))
    page.wait_for_function("() => !document.getElementById('nguon-1-1').classList.contains('nguon-nhay')")

    card.get_by_text("Xem toàn văn").click()
    full_text = card.locator("details.toan-van")
    assert full_text.evaluate("element => element.open") is True
    assert full_text.locator("mark").count() == marks.count(), "every quoted span marked in place"
    first_mark_visible = full_text.locator(".toan-van-noi-dung").evaluate(
        """box => { const m = box.querySelector('mark').getBoundingClientRect();
                    const b = box.getBoundingClientRect(); return m.top >= b.top && m.top < b.bottom; }"""
    )
    assert first_mark_visible, "the full text opens scrolled to the first quote"
    page.screenshot(path=str(SHOTS / "nguon_02_toan_van_danh_dau.png"))


def test_mode_is_shown_once_and_copy_leaves_it_out_with_a_toast(page: Any) -> None:
    bubble = _bubbles(page).nth(0)
    assert "Chế độ" not in bubble.inner_text()
    assert page.get_by_text("Chế độ:").count() == 1 and "Chế độ:" in page.locator("#che-do").inner_text()
    page.get_by_role("button", name="Sao chép kèm nguồn").click()
    toast = page.locator(".thong-bao-sao-chep")
    toast.wait_for(timeout=5_000)
    assert toast.inner_text() == "Đã sao chép câu trả lời kèm nguồn."
    page.screenshot(path=str(SHOTS / "nguon_03_sao_chep.png"))
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Chế độ" not in copied and "Ngoại tuyến" not in copied and "Hỏi tiếp" not in copied
    lines = copied.split("\n\n")
    assert lines[0] == "Thời gian theo câu hỏi: 01/01/2022 – 31/12/2022", "the period qualifies the answer"
    assert lines[1] == "Cao Bằng [1].", "then the short answer"
    assert f"\n\nNguồn:\n[1] {SEED_HEADLINE} — {SEED_DATE} — http://vufo.org.vn/" in copied


def test_follow_up_suggestion_click_asks_it(page: Any) -> None:
    suggestions = _bubbles(page).nth(0).locator(".goi-y-hoi-tiep a.hoi-tiep")
    offered = suggestions.all_inner_texts()
    assert 1 <= len(offered) <= 3 and SEED_QUESTION not in offered
    assert all(q.endswith("?") and "…" not in q for q in offered), offered
    suggestions.nth(1).click()
    bubble = _wait_for_answer(page, 2, offered[1])
    asked = page.locator("#cuoc-tro-chuyen .message.user").nth(1).inner_text().strip()
    assert asked == offered[1], "the suggestion itself was sent"
    assert bubble.locator("a.trich-dan").count() >= 1
    page.screenshot(path=str(SHOTS / "nguon_04_hoi_tiep.png"))


def test_refusal_nearest_articles_open_in_the_panel(page: Any) -> None:
    bubble = _ask(page, OFF_ARCHIVE_QUESTION, 3)
    nearest = bubble.locator("a.bai-gan-nhat")
    assert nearest.count() >= 2 and "Không tìm thấy" in bubble.inner_text()
    title = nearest.nth(1).inner_text().strip("«» ")
    target = nearest.nth(1).get_attribute("href")
    nearest.nth(1).click()
    card = page.locator(target)
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('nguon-nhay')", arg=target.lstrip("#")
    )
    page.wait_for_function(_CARD_IN_VIEW, arg=target.lstrip("#"))
    assert card.locator(".nguon-tieu-de").inner_text() == title
    assert card.locator("details.toan-van").evaluate("element => element.open") is True
    assert len(card.locator(".toan-van-noi-dung").inner_text()) > 200, "the article itself, in the panel"
    page.screenshot(path=str(SHOTS / "nguon_05_bai_gan_nhat.png"))


def test_example_questions_are_written_in_full_and_ask(page: Any) -> None:
    examples = page.locator("#cau-hoi-mau a.hoi-tiep")
    shown = examples.all_inner_texts()
    assert len(shown) >= 2 and all("…" not in q for q in shown), shown
    box = examples.first.bounding_box()
    assert box and box["width"] < 900, "wrapped, not cut"
    examples.first.click()
    _wait_for_answer(page, 4, shown[0])
    assert page.locator("#cuoc-tro-chuyen .message.user").nth(3).inner_text().strip() == shown[0]
