"""Feedback in headless Chromium (issue 16 §6): 👎 on an answer opens the short form, the right article
and answer are sent, and `python -m assistant feedback export` writes them as an evaluation question.

Its own app process on the hash embedder (the answer's quality does not matter here, the stored vote
does), over a fresh index folder whose `feedback.sqlite3` the export then reads. Debian's
/usr/bin/chromium through Playwright, never a browser download; screenshots in test-output/browser/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.web.gradio_strings import THUMB_DOWN
from tests.conftest import ROOT, SAMPLE_ARTICLE_IDS
from tests.web_fixtures import CHROMIUM, CHROMIUM_ARGS, SEED_QUESTION, SHOTS, app_environment, running_app

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder, pytest.mark.browser]

ANSWER_TIMEOUT_MS = 60_000
RIGHT_ARTICLE = SAMPLE_ARTICLE_IDS[1]  # typed in the form: not the article the answer cites first
RIGHT_ANSWER = "Tại Trung tâm Hội nghị quốc tế, Hà Nội"
_ANSWER_SHOWN = """() => {
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  return bots.length > 0 && !!bots[bots.length - 1].querySelector('a.trich-dan');
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("feedback_app")
    with running_app(folder / "index", folder / "app.log", {"ARCHIVE_EMBEDDING_MODE": "hash"}) as url:
        yield url, folder / "index"


@pytest.fixture(scope="module")
def page(app: tuple[str, Path]) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        tab.goto(app[0])
        tab.locator("#cau-hoi textarea").wait_for(timeout=60_000)
        yield tab
        browser.close()


def _export(db_dir: Path, out: Path) -> list[dict[str, Any]]:
    env = {**app_environment(db_dir), "ARCHIVE_EMBEDDING_MODE": "hash"}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "export", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"vào {out}" in done.stdout
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_thumbs_down_with_a_correction_is_exported(
    page: Any, app: tuple[str, Path], tmp_path: Path
) -> None:
    page.locator("#cau-hoi textarea").fill(SEED_QUESTION)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_function(_ANSWER_SHOWN, timeout=ANSWER_TIMEOUT_MS)
    form = page.locator("#gop-y-sai").first  # Gradio gives the group its id on two nested elements
    assert not form.is_visible(), "the form opens only after a 👎"
    # Gradio draws the thumbs in the bar under each answer (one pair per answer: this is the only one).
    thumbs_down = page.locator(f'#cuoc-tro-chuyen button[aria-label="{THUMB_DOWN}"]')
    assert thumbs_down.count() == 1
    thumbs_down.click()
    form.wait_for(state="visible", timeout=20_000)
    # The choices are the answer's cited articles, numbered as in the answer.
    choices = page.locator("#gop-y-bai-dung label")
    choices.first.wait_for()
    assert choices.first.inner_text().startswith("[1] ")
    page.screenshot(path=str(SHOTS / "20_gop_y_sai.png"), full_page=True)

    page.locator("#gop-y-ma-bai input, #gop-y-ma-bai textarea").first.fill(RIGHT_ARTICLE)
    page.locator("#gop-y-tra-loi input, #gop-y-tra-loi textarea").first.fill(RIGHT_ANSWER)
    page.locator("#gop-y-gui").click()
    page.locator("#gop-y-trang-thai").get_by_text("góp ý đã được lưu").wait_for(timeout=20_000)
    form.wait_for(state="hidden")
    page.screenshot(path=str(SHOTS / "21_gop_y_da_luu.png"), full_page=True)

    rows = _export(app[1], tmp_path / "gop_y.jsonl")
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["question"] == SEED_QUESTION and row["vote"] == "👎"
    assert row["gold"] == [RIGHT_ARTICLE] and row["answers"] == [RIGHT_ANSWER]
    assert row["user"] == "local" and isinstance(row["index_generation"], int) and row["index_generation"] > 0
