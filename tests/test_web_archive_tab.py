"""Issue 16 §1 in headless Chromium: the archive tab lists, finds, opens and corrects articles.

One app process of its own (hash embedder: what is listed and corrected does not depend on the model)
over the sample archive, with a login file holding a viewer and an editor:
- the table lists the five sample articles with their publication dates;
- a search typed without diacritics finds an article; clicking its row opens it;
- the editor fixes its date after a confirmation naming it, and the table shows the new date;
- the viewer sees no editing controls, and the same correction sent without the page (gradio_client
  to `/sua_thong_tin_bai`) is refused by the server and changes nothing;
- an upload report of several files with long names and reasons fits without horizontal scrolling.
Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.web.accounts import Account, AccountFile, ScryptParams, hash_password, write_account_file
from tests.web_fixtures import (
    CHROMIUM,
    SHOTS,
    launched_chromium,
    logged_in_page,
    running_app,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.hash_embedder]

PASSWORD = "mật khẩu thử 2026"
SEED_001 = "001_9a84a7000a87e853"
HEADLINE_001 = "Vĩnh Phúc: Hội nghị tập huấn, phổ biến Chỉ thị 25-CT/TW"
SAMPLE_DATES = ["24/06/2020", "26/06/2019", "08/10/2019", "02/12/2022", "07/07/2022"]
TIMEOUT_MS = 60_000
UPLOADED = 12  # files in the multi-file upload: enough for the progress bar to show
# Records every progress text Gradio shows while an upload runs (the bar and its "Đang nạp bài n/N").
WATCH_PROGRESS = """() => {
  const seen = window.__progressSeen = [];
  new MutationObserver(() => {
    for (const e of document.querySelectorAll('.progress-level, .progress-text, .meta-text, .progress-bar')) {
      const text = e.innerText || e.className;
      if (text && !seen.includes(text)) seen.push(text);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    root = tmp_path_factory.mktemp("archive_tab_app")
    users = root / "users.txt"
    fast = ScryptParams(n=2**8, r=8, p=1)
    write_account_file(
        AccountFile(
            users,
            [
                Account("xem", "viewer", hash_password(PASSWORD, fast)),
                Account("bientap", "editor", hash_password(PASSWORD, fast)),
            ],
        )
    )
    extra = {"ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_AUTH_FILE": str(users)}
    with running_app(root / "db", root / "app.log", extra) as url:
        yield url, root / "db"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as chromium:
        yield chromium


def _logged_in_tab(browser: Any, url: str, user: str, width: int = 1400) -> Any:
    page = logged_in_page(browser, url, user, PASSWORD, width=width, height=1000)
    page.get_by_role("tab", name="Kho lưu trữ").click()
    return page


def _stored_date(db: Path, article_id: str) -> str:
    with sqlite3.connect(db / "articles.sqlite3") as conn:
        return str(
            conn.execute("SELECT published_date FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        )


def test_editor_lists_finds_opens_and_fixes_a_date(app: tuple[str, Path], browser: Any) -> None:
    from playwright.sync_api import expect

    url, db = app
    page = _logged_in_tab(browser, url, "bientap")
    table = page.locator("#bang-bai-viet")
    for day in SAMPLE_DATES:
        expect(table.get_by_role("gridcell", name=day, exact=True).first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#tom-tat-bang")).to_contain_text("5 bài")
    page.screenshot(path=str(SHOTS / "archive_01_bang_bai.png"), full_page=True)

    # Sorted by title in the table's own menu, the first row is another article than the server's
    # first row: clicking it must open the article shown, not the one at that index.
    header = table.get_by_role("columnheader", name="Tiêu đề")
    header.click()  # shows the header's ⋮ menu button
    header.locator("button").first.click()
    page.get_by_role("menuitem").filter(has_text="Sắp xếp giảm dần").first.click()
    expect(table.get_by_role("row").nth(1)).to_contain_text(HEADLINE_001)
    table.get_by_role("row").nth(1).get_by_role("gridcell").first.click()
    expect(page.locator("#xem-bai h3")).to_contain_text(HEADLINE_001, timeout=TIMEOUT_MS)

    page.locator("#tim-bai textarea, #tim-bai input").first.fill("vinh phuc chi thi 25")
    page.locator("#tim-bai textarea, #tim-bai input").first.press("Enter")
    expect(page.locator("#tom-tat-bang")).to_contain_text("1 bài", timeout=TIMEOUT_MS)
    expect(table.get_by_role("gridcell", name="26/06/2019", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / "archive_02_tim_khong_dau.png"), full_page=True)

    table.get_by_role("gridcell", name=HEADLINE_001, exact=False).first.click()
    viewer = page.locator("#xem-bai")
    expect(viewer).to_contain_text("Các phiên bản", timeout=TIMEOUT_MS)
    expect(viewer).to_contain_text(f"{SEED_001}.txt")
    expect(viewer).to_contain_text("Kế hoạch số 109-KH/TU")
    date_box = page.locator("#sua-ngay-dang textarea, #sua-ngay-dang input").first
    expect(date_box).to_have_value("26/06/2019")
    page.screenshot(path=str(SHOTS / "archive_03_mo_bai.png"), full_page=True)

    date_box.fill("03/07/2019")
    page.locator("#sua-thong-tin").click()
    confirmation = page.locator("#xac-nhan-sua").first  # a Group nests two divs with its id
    expect(confirmation).to_contain_text("Vĩnh Phúc: Hội nghị tập huấn", timeout=TIMEOUT_MS)
    expect(confirmation).to_contain_text("26/06/2019 → 03/07/2019")
    assert _stored_date(db, SEED_001) == "2019-06-26", "asking changes nothing"
    page.locator("#xac-nhan-sua-nut").click()
    expect(page.locator("#ket-qua-sua")).to_contain_text("Đã sửa ngày đăng", timeout=TIMEOUT_MS)
    expect(table.get_by_role("gridcell", name="03/07/2019", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#hoan-tac >> visible=true")).to_be_visible()
    assert _stored_date(db, SEED_001) == "2019-07-03"
    page.screenshot(path=str(SHOTS / "archive_04_sua_ngay.png"), full_page=True)
    page.context.close()


def test_a_viewer_cannot_fix_a_date_even_without_the_page(app: tuple[str, Path], browser: Any) -> None:
    from gradio_client import Client  # type: ignore[import-untyped]
    from playwright.sync_api import expect

    url, db = app
    page = _logged_in_tab(browser, url, "xem")
    expect(page.locator("#khong-duoc-sua >> visible=true")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#sua-thong-tin >> visible=true")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "archive_05_nguoi_xem.png"), full_page=True)
    page.context.close()

    before = _stored_date(db, SEED_001)
    client = Client(url, auth=("xem", PASSWORD), verbose=False)
    message = client.predict(SEED_001, "", "01/01/2001", "", api_name="/sua_thong_tin_bai")
    assert "vai trò người xem" in message, message
    assert _stored_date(db, SEED_001) == before
    editor = Client(url, auth=("bientap", PASSWORD), verbose=False)
    done = editor.predict(SEED_001, "", "26/06/2019", "", api_name="/sua_thong_tin_bai")
    assert "Đã sửa ngày đăng" in done and _stored_date(db, SEED_001) == "2019-06-26", done


def test_upload_report_fits_without_horizontal_scrolling(
    app: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    url, _ = app
    page = _logged_in_tab(browser, url, "bientap", width=1100)
    files = []
    for number in range(UPLOADED):
        path = tmp_path / f"bao_cao_doan_cong_tac_huu_nghi_tinh_lao_cai_nam_2021_phan_{number}_ban_day_du.txt"
        path.write_text(
            f"Đoàn đại biểu hữu nghị thăm tỉnh Lào Cai lần {number}\n\n12/03/2021\n\nNgày 12/3/2021, đoàn đại "
            "biểu Liên hiệp các tổ chức hữu nghị đã thăm và làm việc tại tỉnh Lào Cai, trao đổi về hợp tác "
            f"nhân dân hai bên biên giới, đợt {number}.\n",
            encoding="utf-8",
        )
        files.append(str(path))
    junk = tmp_path / "anh_chup_man_hinh_rat_dai_khong_phai_bai_bao.png"
    junk.write_bytes(b"\x89PNG")
    files.append(str(junk))
    page.evaluate(WATCH_PROGRESS)
    with page.expect_file_chooser() as chooser:
        page.locator("#nap-tep").click()
    chooser.value.set_files(files)
    expect(page.locator("#ket-qua-nap")).to_contain_text(f"Đã nhận {UPLOADED + 1} tệp", timeout=TIMEOUT_MS)
    seen = page.evaluate("() => window.__progressSeen")
    assert any("Đang nạp bài" in text for text in seen), seen
    report = page.locator("#bao-cao-nap table")
    expect(report).to_contain_text("Đoàn đại biểu hữu nghị thăm tỉnh Lào Cai lần 0")
    expect(report).to_contain_text("12/03/2021")
    expect(report).to_contain_text("Loại tệp không được hỗ trợ")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('#bao-cao-nap, #bao-cao-nap table, #bao-cao-nap table *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
                         || e.matches('table, #bao-cao-nap') && e.scrollWidth > e.clientWidth + 1)
            .map(e => [e.tagName, e.scrollWidth, e.clientWidth])"""
    )
    table = page.evaluate(
        "() => { const t = document.querySelector('#bao-cao-nap table');"
        " return [t.scrollWidth, t.clientWidth, t.parentElement.scrollWidth, t.parentElement.clientWidth]; }"
    )
    assert table[0] <= table[1] and table[2] <= table[3], table
    assert widths == [], widths
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#bao-cao-nap").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "archive_06_bao_cao_nap.png"), full_page=True)
    expect(page.locator("#bang-bai-viet").get_by_role("gridcell", name="12/03/2021").first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.context.close()
