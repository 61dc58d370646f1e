"""Gradio's login page in Vietnamese (assistant/web/login_page.py), without a browser: the page Gradio's
real routes serve with the app's login wiring carries the script once and a correct length; the config
and the login route are untouched; every string the installed Gradio's login page
looks up is given. The browser test (test_web_login_page_browser.py) checks what a user reads."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
from fastapi.testclient import TestClient
from gradio.routes import App

from assistant.web.access import gradio_login
from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    write_account_file,
)
from assistant.web.login_guard import LoginGuard
from assistant.web.login_page import LOGIN_PAGE_SCRIPT, LOGIN_STRINGS, with_login_script

FAST = ScryptParams(n=2**8, r=8, p=1)
PASSWORD = "mật khẩu thử"
GRADIO_ASSETS = Path(gr.__file__).parent / "templates" / "frontend" / "assets"


def _client(tmp_path: Path) -> TestClient:
    path = tmp_path / "users.txt"
    write_account_file(AccountFile(path, [Account("canbo", "viewer", hash_password(PASSWORD, FAST))]))
    options = gradio_login(LoginGuard(AccountBook(path), params=FAST))
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.auth, demo.auth_message = options["auth"], "Đăng nhập để dùng ứng dụng."
    return TestClient(App.create_app(demo, app_kwargs=options["app_kwargs"]))


def test_the_login_page_carries_the_script_once_with_a_correct_length(tmp_path: Path) -> None:
    client = _client(tmp_path)
    page = client.get("/")
    assert page.status_code == 200 and '"auth_required":true' in page.text
    assert page.text.count(LOGIN_PAGE_SCRIPT) == 1
    assert page.text.index(LOGIN_PAGE_SCRIPT) > page.text.index("window.gradio_config =")
    assert int(page.headers["content-length"]) == len(page.content)

    config = client.get("/config")
    assert config.status_code == 401 and config.json()["detail"]["error"] == "Not authenticated"
    assert client.post("/login", data={"username": "canbo", "password": "sai"}).status_code == 400
    assert client.post("/login", data={"username": "canbo", "password": PASSWORD}).status_code == 200


def test_a_page_without_body_end_is_left_as_it_is() -> None:
    assert with_login_script(b"<p>x</p>") == b"<p>x</p>"
    assert with_login_script(b"<body></body></body>").endswith(LOGIN_PAGE_SCRIPT.encode() + b"</body>")


def test_every_string_gradio_s_login_page_looks_up_is_vietnamese() -> None:
    """The installed Gradio's Login component: a key added by an upgrade fails here, not in a user's eyes."""
    (login_js,) = GRADIO_ASSETS.glob("Login-*.js")
    looked_up = set(re.findall(r"i18n\(`(login\.\w+)`\)", login_js.read_text(encoding="utf-8")))
    assert looked_up == {"login.login", "login.username", "login.password", "login.incorrect_credentials"} | {
        "login.enable_cookies"
    }
    assert looked_up <= set(LOGIN_STRINGS)
