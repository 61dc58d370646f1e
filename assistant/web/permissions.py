"""What each role may do in the web app, checked by the handlers themselves on the server.

Hiding a button is not a check: a request can be sent to `/nap_kho` without the page. So every handler
that reads or changes the archive asks `Permissions.refusal(user, action)` first and, when refused,
answers with the Vietnamese reason instead of acting. Roles: viewer (ask, brief), editor (+ upload,
replace, delete), admin (+ users). The role is looked up on every request in the live login file, so a
role changed or an account removed with `python -m assistant users` counts at once, even for a session
that logged in before.

Without a login file there are no accounts: the app then listens on this computer only (see `access`)
and whoever uses it may do everything, as with the command line on the same computer.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from assistant.web.accounts import ROLE_LABELS, AccountBook, Role

Action = Literal["ask", "brief", "upload", "replace", "delete", "users"]

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    "viewer": frozenset({"ask", "brief"}),
    "editor": frozenset({"ask", "brief", "upload", "replace", "delete"}),
    "admin": frozenset({"ask", "brief", "upload", "replace", "delete", "users"}),
}
ACTION_LABELS: dict[Action, str] = {
    "ask": "hỏi đáp",
    "brief": "soạn bản tóm tắt",
    "upload": "nạp bài vào kho",
    "replace": "thay thế bài trong kho",
    "delete": "xoá bài khỏi kho",
    "users": "quản lý người dùng",
}
LOCAL_USER = "máy này"  # who an audit line names when the app runs without login


class Permissions:
    """Role checks over the login file (`book`), or none at all without login (`book=None`)."""

    def __init__(self, book: AccountBook | None) -> None:
        self.book = book

    @property
    def login_required(self) -> bool:
        return self.book is not None

    def role_of(self, user: str | None) -> Role | None:
        """The user's role now; None for no such account (or no user name while login is on)."""
        if self.book is None:
            return "admin"
        if not user:
            return None
        account = self.book.get(unicodedata.normalize("NFC", user))  # as the login check looked it up
        return account.role if account else None

    def allows(self, user: str | None, action: Action) -> bool:
        role = self.role_of(user)
        return role is not None and action in ROLE_ACTIONS[role]

    def refusal(self, user: str | None, action: Action) -> str | None:
        """Why `user` may not do `action` (Vietnamese, for the page), or None when allowed."""
        role = self.role_of(user)
        if role is None:
            who = f"Tài khoản «{user}»" if user else "Phiên này"
            return f"{who} không còn quyền dùng ứng dụng. Hãy đăng nhập lại hoặc liên hệ quản trị viên."
        if action in ROLE_ACTIONS[role]:
            return None
        needed = next(candidate for candidate in ROLE_ACTIONS if action in ROLE_ACTIONS[candidate])
        return (
            f"Tài khoản «{user}» có vai trò {ROLE_LABELS[role]}, không được {ACTION_LABELS[action]}; "
            f"việc này cần vai trò {ROLE_LABELS[needed]}. Hãy liên hệ quản trị viên."
        )

    def audit_name(self, user: str | None) -> str:
        """The name an audit line records: the account, or `LOCAL_USER` without login."""
        return user if self.book is not None and user else LOCAL_USER


NO_LOGIN = Permissions(None)
