"""The «Người dùng» tab in headless Chromium: an admin adds a user and changes a role from the page (the
login file changes, the password boxes are empty afterwards, the new user can log in); a viewer never
sees the tab. Its own app process (login file with an admin and a viewer, hash embedder: nothing here
depends on the model). Screenshots go to test-output/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from assistant.web.accounts import (
    Account,
    AccountFile,
    ScryptParams,
    hash_password,
    read_account_file,
    verify_password,
    write_account_file,
)
from tests.web_fixtures import SHOTS, launched_chromium, logged_in_page, running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.hash_embedder, pytest.mark.slow]

PASSWORD = "mật khẩu thử 2026"
NEW_PASSWORD = "mật khẩu người mới 42"
FAST = ScryptParams(n=2**8, r=8, p=1)
TIMEOUT_MS = 120_000
NO_UPLOAD = "Chỉ biên tập viên và quản trị viên được nạp bài vào kho"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def _logged_in(browser: Any, url: str, user: str, password: str = PASSWORD) -> Any:
    page = logged_in_page(browser, url, user, password)
    page.locator("#cau-hoi textarea").wait_for(timeout=TIMEOUT_MS)
    return page


def _result(page: Any, text: str) -> None:
    page.locator("#ket-qua-nguoi-dung", has_text=text).wait_for(timeout=TIMEOUT_MS)


def test_admin_adds_a_user_and_changes_a_role_viewer_sees_no_tab(chromium: Any, tmp_path: Path) -> None:
    login_file = tmp_path / "users.txt"
    write_account_file(
        AccountFile(
            login_file,
            [
                Account("quantri", "admin", hash_password(PASSWORD, FAST)),
                Account("xem", "viewer", hash_password(PASSWORD, FAST)),
            ],
        )
    )
    env = {"ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_AUTH_FILE": str(login_file)}
    with running_app(tmp_path / "index", tmp_path / "app.log", env) as url:
        viewer = _logged_in(chromium, url, "xem")
        viewer.get_by_role("tab", name="Kho lưu trữ").click()
        viewer.get_by_role("button", name=NO_UPLOAD).wait_for(timeout=TIMEOUT_MS)  # the page load ran
        assert viewer.get_by_role("tab", name="Người dùng").count() == 0
        assert "quantri" not in viewer.content()
        viewer.screenshot(path=str(SHOTS / "40_nguoi_xem_khong_co_tab_nguoi_dung.png"), full_page=True)

        page = _logged_in(chromium, url, "quantri")
        page.get_by_role("tab", name="Người dùng").click()
        page.locator("#ds-nguoi-dung td", has_text="xem").first.wait_for(timeout=TIMEOUT_MS)

        page.locator("#ten-moi input").fill("canbo_moi")
        page.locator("#vai-tro-moi").get_by_text("biên tập viên (editor)").click()
        page.locator("#mat-khau-moi input").fill(NEW_PASSWORD)
        page.locator("#nhap-lai-moi input").fill(NEW_PASSWORD)
        page.locator("#them-nguoi-dung").click()
        _result(page, "Đã thêm người dùng «canbo_moi» với vai trò biên tập viên")
        page.locator("#ds-nguoi-dung td", has_text="canbo_moi").wait_for(timeout=TIMEOUT_MS)
        for box in ("#ten-moi input", "#mat-khau-moi input", "#nhap-lai-moi input"):
            assert page.locator(box).input_value() == "", f"{box} is cleared after the submit"
        assert NEW_PASSWORD not in page.content()
        added = read_account_file(login_file).accounts["canbo_moi"]
        assert added.role == "editor" and verify_password(NEW_PASSWORD, added.password_hash)
        page.screenshot(path=str(SHOTS / "41_quan_tri_them_nguoi_dung.png"), full_page=True)

        page.locator("#chon-nguoi-dung input").click()
        page.get_by_role("option", name="xem", exact=True).click()
        expect(page.locator("#vai-tro").get_by_label("người xem (viewer)")).to_be_checked(timeout=TIMEOUT_MS)
        page.locator("#vai-tro").get_by_text("biên tập viên (editor)").click()
        page.locator("#doi-vai-tro").click()
        _result(page, "«xem» giờ có vai trò biên tập viên (trước đó: người xem)")
        assert read_account_file(login_file).accounts["xem"].role == "editor"
        page.screenshot(path=str(SHOTS / "42_quan_tri_doi_vai_tro.png"), full_page=True)

        newcomer = _logged_in(chromium, url, "canbo_moi", NEW_PASSWORD)
        newcomer.get_by_role("tab", name="Kho lưu trữ").click()
        newcomer.get_by_role("button", name="Chọn tệp để nạp vào kho…").wait_for(timeout=TIMEOUT_MS)
        assert newcomer.get_by_role("tab", name="Người dùng").count() == 0

    log = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert NEW_PASSWORD not in log and PASSWORD not in log
    audit = (tmp_path / "index" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "user_added"' in audit and '"action": "user_role_changed"' in audit
    assert NEW_PASSWORD not in audit
