"""Gradio's own labels in Vietnamese in a browser that asks for English (or German): the chat's 👍 / 👎
read «Câu trả lời đúng» / «Câu trả lời chưa đúng» in aria-label and title, also once clicked.

An office PC may run an English browser, and Gradio picks its strings from the browser's language; the
app's `launch(i18n=…)` and one page script make them Vietnamese anyway (assistant/web/gradio_strings.py).
Its own app process on the hash embedder (the answer's content does not matter, its buttons do). Debian's
/usr/bin/chromium through Playwright, never a browser download; screenshots in test-output/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.web.gradio_strings import (
    FIXED_LABELS,
    THUMB_DOWN,
    THUMB_DOWN_CHOSEN,
    THUMB_UP,
    THUMB_UP_CHOSEN,
)
from tests.web_fixtures import CHROMIUM, CHROMIUM_ARGS, SEED_QUESTION, SHOTS, running_app

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder, pytest.mark.browser]

ANSWER_TIMEOUT_MS = 60_000
# Gradio's English for the chat's built-in buttons (its en.json and the two written in its code).
ENGLISH = {"Like", "Dislike", "Liked", "Disliked", "Copy", "Copy message", "Retry", "Undo", "Clear", "Edit"}
_ANSWER_SHOWN = """() => {
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  return bots.length > 0 && !!bots[bots.length - 1].querySelector('a.trich-dan');
}"""
_LABELS = """(scope) => [...document.querySelectorAll(scope)].flatMap(
  (e) => [e.getAttribute('aria-label'), e.getAttribute('title')]).filter((v) => v !== null)"""
CHAT_BUTTONS = "#cuoc-tro-chuyen button"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gradio_strings_app")
    with running_app(folder / "index", folder / "app.log", {"ARCHIVE_EMBEDDING_MODE": "hash"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _thumb(page: Any, label: str) -> Any:
    thumb = page.locator(f'#cuoc-tro-chuyen button[aria-label="{label}"]')
    assert thumb.count() == 1, page.evaluate(_LABELS, CHAT_BUTTONS)
    return thumb


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_the_thumbs_are_named_in_vietnamese_in_a_foreign_browser(
    browser: Any, app_url: str, locale: str
) -> None:
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    assert page.evaluate("navigator.language") == locale
    page.goto(app_url)
    page.locator("#cau-hoi textarea").fill(SEED_QUESTION)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_function(_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)

    up, down = _thumb(page, THUMB_UP), _thumb(page, THUMB_DOWN)
    assert (up.get_attribute("title"), down.get_attribute("title")) == (THUMB_UP, THUMB_DOWN)
    labels = page.evaluate(_LABELS, CHAT_BUTTONS)
    assert not ENGLISH & set(labels), labels
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"40_nut_gop_y_{locale}.png"))

    up.click()  # Gradio then writes «Liked» itself; the page script renames it
    chosen = page.locator(f'#cuoc-tro-chuyen button[aria-label="{THUMB_UP_CHOSEN}"]')
    chosen.wait_for(timeout=10_000)
    assert chosen.get_attribute("title") == THUMB_UP_CHOSEN
    down.click()
    page.locator(f'#cuoc-tro-chuyen button[aria-label="{THUMB_DOWN_CHOSEN}"]').wait_for(timeout=10_000)
    labels = page.evaluate(_LABELS, CHAT_BUTTONS)
    assert not ENGLISH & set(labels), labels
    context.close()


def test_no_label_gradio_writes_in_english_is_left_on_the_chat_and_archive_tabs(
    browser: Any, app_url: str
) -> None:
    """Gradio's labels that no translation reaches («Fullscreen», «Copy table data»…) are renamed too."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app_url)
    page.locator("#cau-hoi textarea").wait_for(timeout=60_000)
    english = ENGLISH | set(FIXED_LABELS)
    shown = page.evaluate(_LABELS, "[aria-label], [title]")
    assert shown and not english & set(shown), shown
    page.get_by_role("tab", name="Kho lưu trữ").click()
    page.locator("table").first.wait_for(timeout=20_000)
    shown = page.evaluate(_LABELS, "[aria-label], [title]")
    assert FIXED_LABELS["Copy table data"] in shown, shown  # the archive table's own button, renamed
    assert not english & set(shown), shown
    context.close()
