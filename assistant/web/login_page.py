"""Gradio's login page in Vietnamese, whatever language the browser asks for.

Why this way: the login page is Gradio's own (its frontend's Login component). Its texts are looked up in
Gradio's translations («login.login», «login.username», «login.password», «login.incorrect_credentials»),
but the config Gradio puts in the page before login carries none of the app's (`launch(i18n=…)` reaches
the app's page only; gradio/routes.py, the `auth_required` branch), so an English browser read «Login»,
«username», «password» and «Incorrect Credentials». Gradio 6.31 has no setting for that page, and its
`head` is not sent there either. So `LoginPageMiddleware` adds one inline script to Gradio's HTML pages;
on the login page only (its config says `auth_required`) the script gives that config the Vietnamese
strings under every language Gradio ships, before Gradio's deferred module reads it, and names the
page (the tab's title).

One message covers a wrong password and a locked-out name or address: Gradio's page shows the same text
for every refused login (the check answers only yes or no), so the text says both; the note above the
form (`launch(auth_message=…)`) gives the limit and the lockout time.
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.gradio_strings import GRADIO_LOCALES

logger = logging.getLogger(__name__)

LOGIN_PAGE_TITLE = "Đăng nhập: Trợ lý tra cứu lưu trữ"
LOGIN = "Đăng nhập"
USERNAME = "Tên đăng nhập"
PASSWORD = "Mật khẩu"
LOGIN_REFUSED = (
    "Không đăng nhập được: sai tên đăng nhập hoặc mật khẩu, hoặc việc đăng nhập đang bị tạm khoá "
    "vì nhập sai quá nhiều lần."
)

# Gradio's keys on its login page, flat (found before its nested English); «common.loading» is the line
# shown while the page loads.
LOGIN_STRINGS = {
    "login.login": LOGIN,
    "login.username": USERNAME,
    "login.password": PASSWORD,
    "login.incorrect_credentials": LOGIN_REFUSED,
    "login.enable_cookies": "Trong chế độ ẩn danh, hãy cho phép cookie của bên thứ ba để đăng nhập được.",
    "common.loading": "Đang tải",
}

LOGIN_PAGE_SCRIPT = (
    """<script>(() => {
  const config = window.gradio_config;
  if (!config || !config.auth_required) return;
  const strings = LOGIN_STRINGS;
  config.i18n_translations = Object.fromEntries(LOCALES.map((locale) => [locale, strings]));
  document.title = PAGE_TITLE;
})();</script>""".replace("LOGIN_STRINGS", json.dumps(LOGIN_STRINGS, ensure_ascii=False), 1)
    .replace("LOCALES", json.dumps(list(GRADIO_LOCALES)), 1)
    .replace("PAGE_TITLE", json.dumps(LOGIN_PAGE_TITLE, ensure_ascii=False), 1)
)
_SCRIPT_BYTES = LOGIN_PAGE_SCRIPT.encode("utf-8")
_BODY_END = b"</body>"
_GRADIO_API = "/gradio_api/"  # files (an uploaded page too), API and event streams; never the login page


class LoginPageMiddleware:
    """ASGI middleware: `LOGIN_PAGE_SCRIPT` before the end of each HTML page Gradio serves outside
    `/gradio_api/` (the login page, or after login the app's, where the script does nothing). All else
    (config, API, files, the chat's event streams) passes untouched; an HTML page is held until its
    last part (Gradio sends a page in one) to put the script in and correct its length."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(_GRADIO_API):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_script(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if MutableHeaders(raw=message["headers"]).get("content-type", "").startswith("text/html"):
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = with_login_script(b"".join(body))
                headers = MutableHeaders(raw=list(start["headers"]))
                if "content-length" in headers:
                    headers["content-length"] = str(len(page))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, send_with_script)


def with_login_script(page: bytes) -> bytes:
    """`page` with the script before its last `</body>`; unchanged (and logged) when it has none."""
    end = page.rfind(_BODY_END)
    if end < 0:
        logger.debug("Trang HTML không có </body>: không thêm chữ tiếng Việt cho trang đăng nhập.")
        return page
    return page[:end] + _SCRIPT_BYTES + page[end:]
