"""Who may use the app. Without a login file the app is reachable from this computer only; with
`ARCHIVE_AUTH_FILE` users log in (accounts, roles and password hashes in `accounts`; guessing limits and
the log of attempts in `login_guard`; what each role may do in `permissions`) and the app may listen on
the network.

This module wires those into Gradio. Gradio calls its login check with the user name and the password
only, so `LoginAddressMiddleware` puts each request's client address where the check finds it; the check
itself runs in a worker thread (scrypt takes a tenth of a second or more and must not stall the server's
event loop). Behind a reverse proxy the address is the proxy's unless it forwards the client's
(uvicorn trusts `X-Forwarded-For` from 127.0.0.1 only).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.web.accounts import AccountBook, AccountFileError
from assistant.web.login_guard import LOGIN_ADDRESS, UNKNOWN_ADDRESS, LoginGuard, LoginPolicy
from assistant.web.login_page import LoginPageMiddleware
from assistant.web.permissions import NO_LOGIN, Permissions

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_DEFAULT = "127.0.0.1"

AuthFileError = AccountFileError  # the name app.py and older tests know


def load_auth(path: Path | None, policy: LoginPolicy | None = None) -> LoginGuard | None:
    """The login check over the login file, or None when no file is configured. A missing, empty or
    malformed file raises `AuthFileError` with a Vietnamese message naming it."""
    if path is None:
        return None
    guard = LoginGuard(AccountBook(path), policy)
    logger.info("Đăng nhập bật: %d người dùng từ %s.", len(guard.book.names()), path)
    return guard


def permissions_for(guard: LoginGuard | None) -> Permissions:
    """Role checks over the guard's accounts; everything allowed without login (localhost only)."""
    return Permissions(guard.book) if guard is not None else NO_LOGIN


class LoginAddressMiddleware:
    """ASGI middleware: the client address of each HTTP request, for the login check to read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        token = LOGIN_ADDRESS.set(str(client[0]) if client else UNKNOWN_ADDRESS)
        try:
            await self.app(scope, receive, send)
        finally:
            LOGIN_ADDRESS.reset(token)


def gradio_login(guard: LoginGuard | None) -> dict[str, Any]:
    """The `launch()` arguments for login: `auth` and the middleware in `app_kwargs` (the address for
    the check; Gradio's login page in Vietnamese, `login_page`); empty without login. The check is a
    coroutine function (Gradio awaits those) running the guard in a thread, which inherits the
    request's address."""
    if guard is None:
        return {}

    async def check(user: str, password: str) -> bool:
        return await asyncio.to_thread(guard, user, password)

    middleware = [Middleware(LoginAddressMiddleware), Middleware(LoginPageMiddleware)]
    return {"auth": check, "app_kwargs": {"middleware": middleware}}


def bind_address(requested: str, has_login: bool) -> str:
    """The address to listen on: the requested one, except that without a login the app never opens
    to the network (it refuses, says so in the log, and binds to this computer only)."""
    if requested in LOCAL_HOSTS:
        if not has_login:
            logger.info("Chưa cấu hình đăng nhập: ứng dụng chỉ nhận kết nối từ máy này (%s).", requested)
        return requested
    if not has_login:
        logger.warning(
            "Từ chối mở ứng dụng ra mạng tại %s khi chưa cấu hình đăng nhập (ARCHIVE_AUTH_FILE); "
            "ứng dụng chỉ nhận kết nối từ máy này (%s).",
            requested,
            LOCAL_DEFAULT,
        )
        return LOCAL_DEFAULT
    logger.info("Ứng dụng nhận kết nối qua mạng tại %s, yêu cầu đăng nhập.", requested)
    return requested
