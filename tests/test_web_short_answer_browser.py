"""The fact first and the question's period as a removable chip (issue 13 §1, §5), in headless Chromium
against the real app (Debian's /usr/bin/chromium through Playwright, never a browser download).

A question naming "năm 2022" shows the chip «Thời gian theo câu hỏi: …» and the filter line says that
period is used; one click on the chip's ✕ re-asks the same question without it, in place. What the page
must show is taken from the chat handlers' own state for the same question over the same five articles
(`seed_assistant`), never from strings typed here: the period, and the bold short answer whenever the
answering core gives one. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.archive_assistant import ArchiveAssistant
from assistant.web.chat_handlers import ChatHandlers, Conversation
from tests.web_fixtures import CHROMIUM, CHROMIUM_ARGS, SHOTS

pytestmark = [pytest.mark.integration, pytest.mark.browser]

ANSWER_TIMEOUT_MS = 120_000
# A "when" question whose period ("năm 2022") is read from the question itself.
QUESTION = "Hội nghị toàn quốc về công tác đối ngoại nhân dân năm 2022 khai mạc vào ngày nào?"
# True once the newest bot bubble holds a final answer: a linked [n], a refusal's linked nearest articles
# or its text, or an error.
_FINAL_ANSWER_SHOWN = """() => {
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  if (!bots.length) return false;
  const last = bots[bots.length - 1];
  return !!last.querySelector('a.trich-dan, a.bai-gan-nhat') || last.innerText.includes('Không tìm thấy')
    || last.innerText.includes('⚠️');
}"""


@pytest.fixture(scope="module")
def expected(seed_assistant: ArchiveAssistant) -> tuple[Conversation, Conversation]:
    """The handlers' state after asking `QUESTION`, then after removing its period."""
    chat = ChatHandlers(seed_assistant)
    asked = list(chat.ask(QUESTION, None))[-1][2]
    assert asked.last_question_period(), f"{QUESTION!r} must take a period from the question"
    reasked = list(chat.ask_without_question_period(asked))[-1][2]
    return asked, reasked


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
        tab.goto(web_app.url)
        tab.locator("#cau-hoi textarea").wait_for(timeout=60_000)
        yield tab
        browser.close()


def _last_bubble(page: Any) -> Any:
    return page.locator("#cuoc-tro-chuyen .message.bot").last


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_question_period_chip_removed_in_one_click(
    page: Any, expected: tuple[Conversation, Conversation]
) -> None:
    asked, reasked = expected
    period = asked.last_question_period()
    answer = asked.answered[-1].answer

    page.locator("#cau-hoi textarea").fill(QUESTION)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_function(_FINAL_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)
    bubble = _last_bubble(page)
    chip = bubble.locator(".chip-thoi-gian")
    assert _squeezed(chip.inner_text()) == f"Thời gian theo câu hỏi: {period}"
    page.locator("#bo-loc-dang-dung").get_by_text(
        f"Thời gian theo câu hỏi (câu trả lời gần nhất): {period}"
    ).wait_for()
    assert "Không lọc" not in page.locator("#bo-loc-dang-dung").inner_text()
    page.locator("#bo-thoi-gian").wait_for(state="visible")
    assert period in page.locator("#bo-thoi-gian").inner_text()

    shown = _squeezed(bubble.inner_text())
    short = _squeezed(answer.short_answer or "")
    if short:  # meaningful once the answering core gives short answers
        assert _squeezed(bubble.locator("strong.tra-loi-ngan").inner_text()) == short
        assert shown.index(short) < shown.index(_squeezed(answer.text)[:40]), "the fact before its support"
    else:
        assert bubble.locator("strong.tra-loi-ngan").count() == 0
    page.screenshot(path=str(SHOTS / "10_thoi_gian_theo_cau_hoi.png"), full_page=True)

    page.get_by_role("button", name="Sao chép kèm nguồn").click()
    copied = _squeezed(page.evaluate("() => navigator.clipboard.readText()"))
    assert "✕" not in copied and f"Thời gian theo câu hỏi: {period}" in copied
    if short:
        assert copied.index(short) < copied.index(_squeezed(answer.text)[:40])

    chip.locator("a.bo-thoi-gian").click()
    page.wait_for_function(
        """() => {
          const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
          return bots.length && bots[bots.length - 1].innerText.includes('Đã bỏ thời gian theo câu hỏi');
        }""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    page.wait_for_function(_FINAL_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)
    assert page.locator("#cuoc-tro-chuyen .message.user").count() == 1, "re-asked in place, not appended"
    assert page.locator("#cuoc-tro-chuyen .message.bot").count() == 1
    bubble = _last_bubble(page)
    assert f"Đã bỏ thời gian theo câu hỏi ({period})" in _squeezed(bubble.inner_text())
    assert not reasked.last_question_period(), "the core ignored question_dates=False"
    assert bubble.locator(".chip-thoi-gian").count() == 0
    page.locator("#bo-thoi-gian").wait_for(state="hidden")
    page.locator("#bo-loc-dang-dung").get_by_text("Không lọc: tìm trong toàn bộ kho.").wait_for()
    again = reasked.answered[-1].answer
    if again.citations:
        page.locator("#nguon-1-1").wait_for()
    short_again = _squeezed(again.short_answer or "")
    if short_again:
        assert _squeezed(bubble.locator("strong.tra-loi-ngan").inner_text()) == short_again
    page.screenshot(path=str(SHOTS / "11_da_bo_thoi_gian.png"), full_page=True)
