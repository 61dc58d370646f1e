"""Nothing leaves the machine (issue 14 §3): an article that plants a Markdown image, an `<img>`, an
`<iframe>`, a CSS `url()` and a link to a "beacon" server must not make the browser request anything from
it, in headless Chromium against the real app (Debian's /usr/bin/chromium through Playwright).

The beacon is a local HTTP server on 127.0.0.1 (its own port) that records every request. A dedicated app
process (hash embedder, no model) ingests only the planted article on first start. The test asks a question
whose extractive answer quotes the planted sentence, opens the source card's full text and the briefing
preview, and asserts: the beacon saw zero requests, the page shows the planted text literally, and every
response carries the Content-Security-Policy. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from assistant.web.content_policy import CONTENT_SECURITY_POLICY
from tests.conftest import free_port
from tests.openai_compatible_server import scripted_llm_server
from tests.web_fixtures import SHOTS, launched_chromium, running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.hash_embedder]

ANSWER_TIMEOUT_MS = 120_000
QUESTION = "Đoàn đại biểu tỉnh Quảng Trị thăm hữu nghị tỉnh Savannakhet vào ngày nào?"
TOPIC = "Savannakhet"
_FINAL_ANSWER_SHOWN = """() => {
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  if (!bots.length) return false;
  const last = bots[bots.length - 1];
  return !!last.querySelector('a.trich-dan') || last.innerText.includes('⚠️');
}"""


class _Beacon(http.server.BaseHTTPRequestHandler):
    """Records every request path (any method) and answers with a tiny body."""

    seen: ClassVar[list[str]] = []

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"x")

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def beacon() -> Iterator[tuple[str, list[str]]]:
    seen: ClassVar[list[str]] = []
    handler = type("Beacon", (_Beacon,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def planted_article(base: str) -> str:
    """A scraped page whose key sentence carries every planted form, and a second plain paragraph."""
    return (
        "Đoàn đại biểu tỉnh Quảng Trị thăm hữu nghị tỉnh Savannakhet\n\n"
        "Ngày đăng: 06/03/2024\n\n"
        "Ngày 5/3/2024, đoàn đại biểu Liên hiệp các tổ chức hữu nghị tỉnh Quảng Trị đã thăm hữu nghị tỉnh "
        f'Savannakhet ![ảnh]({base}/md.png) <img src="{base}/img.png"> '
        f'<iframe src="{base}/frame"></iframe> <span style="background:url({base}/css.png)">nền</span> '
        f"[chi tiết]({base}/link) <{base}/auto> {base}/bare.\n\n"
        "Hai bên trao đổi về hợp tác giáo dục, y tế và thương mại giữa tỉnh Quảng Trị và tỉnh Savannakhet "
        "trong năm 2024.\n"
    )


@contextlib.contextmanager
def _planted_app(base: str, root: Path, settings: dict[str, str]) -> Iterator[str]:
    """`python app.py` on a free port over a fresh index that ingests only the planted article."""
    archive = root / "archive"
    archive.mkdir()
    (archive / "savannakhet.txt").write_text(planted_article(base), encoding="utf-8")
    extra = {"ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_SAMPLE_ARCHIVE_DIR": str(archive), **settings}
    with running_app(root / "db", root / "app.log", extra) as url:
        yield url


@pytest.fixture(scope="module")
def app_url(beacon: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _planted_app(beacon[0], tmp_path_factory.mktemp("beacon_app"), {}) as url:
        yield url


@pytest.fixture(scope="module")
def llm_app_url(beacon: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same app answering through a scripted OpenAI-compatible LLM whose answer repeats a planted
    image, raw HTML and a link (what a planted instruction would make a real model write)."""
    base, _ = beacon
    with scripted_llm_server() as server:
        server.reply = (
            f"Ngày 5/3/2024, đoàn đại biểu tỉnh Quảng Trị đã thăm hữu nghị tỉnh Savannakhet [1]. "
            f'![llm]({base}/llm.png) <img src="{base}/llm-tag.png"> [xem]({base}/llm-link) [1]\n\n'
            f"Ảnh ![tham chiếu][r] {base}/llm-bare [1]\n\n[r]: {base}/llm-ref.png"
        )
        settings = {
            "ARCHIVE_LLM_MODE": "openai",
            "ARCHIVE_LLM_BASE_URL": f"{server.url}/v1",
            "ARCHIVE_LLM_MODEL": "test-model",
        }
        with _planted_app(base, tmp_path_factory.mktemp("beacon_llm_app"), settings) as url:
            yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _open(browser: Any, url: str) -> Any:
    tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    tab.goto(url)
    tab.locator("#cau-hoi textarea").wait_for(timeout=60_000)
    return tab


@pytest.fixture(scope="module")
def page(browser: Any, app_url: str) -> Any:
    return _open(browser, app_url)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_every_response_carries_the_content_security_policy(app_url: str) -> None:
    for path in ("", "config"):
        with urllib.request.urlopen(app_url + path, timeout=10) as response:
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_planted_article_makes_no_outside_request(page: Any, beacon: tuple[str, list[str]]) -> None:
    base, seen = beacon
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if base in request.url else None)

    page.locator("#cau-hoi textarea").fill(QUESTION)
    page.locator("#gui").click()
    page.wait_for_function(_FINAL_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)
    bubble = page.locator("#cuoc-tro-chuyen .message.bot").last
    shown = _squeezed(bubble.inner_text())
    assert f"![ảnh]({base}/md.png)" in shown, shown
    assert f'<img src="{base}/img.png">' in shown and f"[chi tiết]({base}/link)" in shown
    assert bubble.locator("img, iframe").count() == 0
    assert bubble.locator(f'a[href^="{base}"]').count() == 0

    card = page.locator("#nguon-trich-dan article.nguon").first
    card.locator("summary").click()
    card_text = _squeezed(card.inner_text())
    assert f'<iframe src="{base}/frame"></iframe>' in card_text and f"url({base}/css.png)" in card_text
    assert card.locator("img, iframe").count() == 0
    page.screenshot(path=str(SHOTS / "no_outside_requests_chat.png"), full_page=True)

    page.get_by_role("tab", name="Bản tóm tắt nhanh").click()
    page.locator("#chu-de textarea").fill(TOPIC)
    page.locator("#soan-tom-tat").click()
    preview = page.locator("#xem-truoc-tom-tat")
    preview.get_by_text("Savannakhet").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    preview_text = _squeezed(preview.inner_text())
    page.screenshot(path=str(SHOTS / "no_outside_requests_briefing.png"), full_page=True)
    assert f"![ảnh]({base}/md.png)" in preview_text, preview_text
    assert preview.locator("img, iframe").count() == 0
    assert preview.locator(f'a[href^="{base}"]').count() == 0

    page.wait_for_timeout(1000)  # any late image or frame load would have started by now
    assert seen == [] and outside == [], (seen, outside)


def test_content_policy_blocks_what_escaping_might_miss(page: Any, beacon: tuple[str, list[str]]) -> None:
    """The second wall: an image, a frame, a stylesheet and a fetch to the beacon put straight into the
    page (as if some text had slipped through unescaped) are refused by the browser."""
    base, seen = beacon
    before = list(seen)
    page.evaluate(
        """(base) => {
          const img = document.createElement('img'); img.src = base + '/csp-img.png';
          const frame = document.createElement('iframe'); frame.src = base + '/csp-frame';
          const style = document.createElement('div'); style.style.backgroundImage = `url(${base}/csp-css.png)`;
          style.textContent = 'x';
          document.body.append(img, frame, style);
          fetch(base + '/csp-fetch').catch(() => {});
        }""",
        base,
    )
    page.wait_for_timeout(1500)
    assert seen == before, seen


def test_llm_answer_with_planted_image_makes_no_outside_request(
    browser: Any, llm_app_url: str, beacon: tuple[str, list[str]]
) -> None:
    base, seen = beacon
    before = list(seen)
    tab = _open(browser, llm_app_url)
    tab.locator("#cau-hoi textarea").fill(QUESTION)
    tab.locator("#gui").click()
    tab.wait_for_function(_FINAL_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)
    tab.wait_for_timeout(1000)
    bubble = tab.locator("#cuoc-tro-chuyen .message.bot").last
    shown = _squeezed(bubble.inner_text())
    tab.screenshot(path=str(SHOTS / "no_outside_requests_llm.png"), full_page=True)
    assert "Savannakhet" in shown, shown
    assert "test-model" in tab.locator("#che-do").inner_text(), "the mode, now only in the page header"
    assert bubble.locator("img, iframe").count() == 0
    assert bubble.locator(f'a[href^="{base}"]').count() == 0
    assert seen == before, seen
