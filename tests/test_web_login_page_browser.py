"""Gradio's login page in Vietnamese in a browser that asks for English (or German): the heading, the
field labels, the button and the tab's title, the message after a wrong password and after a lockout;
the right password still opens the app.

Gradio picks its login page's strings from the browser's language and the app's translations do not
reach that page; assistant/web/login_page.py gives them. Its own app process with a login file (hash
embedder: nothing here depends on the model; two wrong logins lock a name). Debian's /usr/bin/chromium
through Playwright, never a browser download; screenshots in test-output/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.web.accounts import Account, AccountFile, ScryptParams, hash_password, write_account_file
from assistant.web.login_page import LOGIN, LOGIN_PAGE_TITLE, LOGIN_REFUSED, PASSWORD, USERNAME
from tests.web_fixtures import SHOTS, launched_chromium, running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.hash_embedder, pytest.mark.slow]

RIGHT = "mật khẩu đúng 2026"
FAST = ScryptParams(n=2**8, r=8, p=1)
TIMEOUT_MS = 60_000
# Gradio's English on its login page (its en.json «login» group).
ENGLISH = ("Login", "username", "password", "Incorrect Credentials", "third party cookies")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("login_page_app")
    login_file = folder / "users.txt"
    accounts = [Account(name, "viewer", hash_password(RIGHT, FAST)) for name in ("xem", "khoa", "xem2")]
    write_account_file(AccountFile(login_file, accounts))
    env = {
        "ARCHIVE_EMBEDDING_MODE": "hash",
        "ARCHIVE_AUTH_FILE": str(login_file),
        "ARCHIVE_LOGIN_MAX_FAILURES": "2",
    }
    with running_app(folder / "index", folder / "app.log", env) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def _login_page(browser: Any, url: str, locale: str) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": 1200, "height": 800})
    page = context.new_page()
    assert page.evaluate("navigator.language") == locale
    page.goto(url)
    page.locator("input[type=password]").wait_for(timeout=TIMEOUT_MS)
    return page


def _try(page: Any, user: str, password: str) -> None:
    page.get_by_label(USERNAME).fill(user)
    page.get_by_label(PASSWORD).fill(password)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")):
        page.get_by_role("button", name=LOGIN, exact=True).click()


def _refused(page: Any) -> str:
    message = page.get_by_text(LOGIN_REFUSED, exact=True)
    message.wait_for(timeout=TIMEOUT_MS)
    return str(page.evaluate("document.body.innerText"))


def _no_english(text: str) -> None:
    assert not [word for word in ENGLISH if word in text], text


@pytest.mark.parametrize(("locale", "user"), [("en-US", "xem"), ("de-DE", "xem2")])
def test_the_login_page_reads_vietnamese_in_a_foreign_browser(
    chromium: Any, app_url: str, locale: str, user: str
) -> None:
    page = _login_page(chromium, app_url, locale)
    assert page.get_by_role("heading", level=2).inner_text() == LOGIN
    assert page.get_by_label(USERNAME).count() == 1 and page.get_by_label(PASSWORD).count() == 1
    assert page.get_by_role("button", name=LOGIN, exact=True).count() == 1
    assert page.title() == LOGIN_PAGE_TITLE
    assert "Đăng nhập để dùng Trợ lý tra cứu lưu trữ" in page.evaluate("document.body.innerText")
    _no_english(page.evaluate("document.body.innerText"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"41_dang_nhap_{locale}.png"))

    _try(page, user, "mật khẩu sai")
    _no_english(_refused(page))
    page.screenshot(path=str(SHOTS / f"42_dang_nhap_sai_{locale}.png"))

    _try(page, user, RIGHT)  # the script leaves the login itself and the app's page alone
    page.locator("#cau-hoi textarea").wait_for(timeout=TIMEOUT_MS)
    page.context.close()


def test_a_locked_out_name_is_refused_in_vietnamese_even_with_the_right_password(
    chromium: Any, app_url: str
) -> None:
    page = _login_page(chromium, app_url, "en-US")
    for _ in range(2):  # ARCHIVE_LOGIN_MAX_FAILURES=2
        _try(page, "khoa", "mật khẩu sai")
        _refused(page)
    page.reload()
    page.locator("input[type=password]").wait_for(timeout=TIMEOUT_MS)
    _try(page, "khoa", RIGHT)
    _no_english(_refused(page))
    assert page.locator("#cau-hoi textarea").count() == 0
    page.screenshot(path=str(SHOTS / "43_dang_nhap_bi_khoa_en-US.png"))
    page.context.close()
