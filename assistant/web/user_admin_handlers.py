"""What the «Người dùng» tab does: list the accounts, add one, change a role, reset a password, remove
one, lift a login lockout. Admins only, checked here on every call (hiding the tab is not a check: an
event can be sent without the page), against the live login file.

The account changes are `account_changes`' (the `users` command makes the same ones); lockouts are the
rows of `login_attempts_store` that every app process shares. Every change is appended to the archive's
audit log (`audit.jsonl`: who, when, which account, the roles before and after), and logged; a password
is never written anywhere but as its scrypt hash, and never returned to the page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.web.account_changes import (
    AccountChangeError,
    account_name,
    add_account,
    password_problem,
    remove_account,
    role_of_choice,
    set_password,
    set_role,
)
from assistant.web.accounts import (
    DEFAULT_SCRYPT,
    ROLE_LABELS,
    AccountBook,
    AccountFileError,
    ScryptParams,
    read_account_file,
)
from assistant.web.login_attempts_store import (
    LoginAttemptsStore,
    LoginAttemptsStoreError,
    attempts_store_path,
    lift_user_lockout,
    locked_names,
)
from assistant.web.permissions import Permissions
from vectorstore.audit_log import AuditEntry, append_audit

logger = logging.getLogger(__name__)

NO_ACCOUNTS = (
    "Ứng dụng đang chạy không có đăng nhập (chưa đặt ARCHIVE_AUTH_FILE): không có tài khoản nào để quản lý."
)
NOT_LOCKED = "không bị khoá"


@dataclass(frozen=True)
class AccountAuditEntry(AuditEntry):
    """An audit line about an account rather than an article: `account` is the one changed, the roles
    are its role before and after (never a password or a hash)."""

    account: str = ""
    old_role: str | None = None
    new_role: str | None = None


def record_account_change(db_dir: Path, entry: AccountAuditEntry) -> None:
    """Log the change and append it to the index's audit log (raises OSError when that cannot be
    written: the change itself is already made). Shared by the tab and `python -m assistant users`."""
    logger.info(
        "Quản lý người dùng: «%s» %s «%s» (vai trò %s -> %s).",
        entry.user,
        entry.action,
        entry.account,
        entry.old_role,
        entry.new_role,
    )
    append_audit(db_dir, [entry])


@dataclass(frozen=True)
class UserRow:
    """One account as the tab lists it."""

    name: str
    role: str
    status: str


@dataclass(frozen=True)
class UsersView:
    """What the tab shows after a call: a message, the accounts, and the names to choose from."""

    message: str
    rows: list[UserRow] = field(default_factory=list)
    refused: bool = False

    @property
    def names(self) -> list[str]:
        return [row.name for row in self.rows]


class UserAdminHandlers:
    """Account management for admins, over the login file of `permissions` and the audit log in
    `db_dir`. `params` (scrypt cost) and `clock` (wall-clock seconds) are injectable for tests."""

    def __init__(
        self,
        permissions: Permissions,
        db_dir: Path,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.permissions = permissions
        self.db_dir = db_dir
        self.params = params
        self.clock = clock

    @property
    def book(self) -> AccountBook | None:
        return self.permissions.book

    def refusal(self, user: str | None) -> str | None:
        """Why `user` may not manage users (Vietnamese), or None."""
        if self.book is None:
            return NO_ACCOUNTS
        return self.permissions.refusal(user, "users")

    def listing(self, user: str | None, message: str = "") -> UsersView:
        """The accounts with their roles and whether each is locked out of logging in."""
        refused = self.refusal(user)
        if refused or self.book is None:
            return UsersView(f"⚠️ {refused or NO_ACCOUNTS}", refused=True)
        try:
            accounts = read_account_file(self.book.path).accounts
        except AccountFileError as exc:
            return UsersView(f"⚠️ {exc}")
        locked = self._locked()
        rows = [
            UserRow(name, ROLE_LABELS[account.role], _lock_status(locked.get(name)))
            for name, account in sorted(accounts.items())
        ]
        return UsersView(message, rows)

    def role_of_account(self, user: str | None, name: str | None) -> str | None:
        """The role `name` has now (to preselect it when an admin picks the account); None when refused."""
        if self.refusal(user) or self.book is None:
            return None
        account = self.book.get(account_name(name))
        return account.role if account else None

    def add(
        self, user: str | None, name: str | None, role: str | None, password: str | None, repeated: str | None
    ) -> UsersView:
        name = account_name(name)

        def change(path: Path) -> tuple[str, AccountAuditEntry]:
            problem = password_problem(password, repeated)
            if problem:
                raise AccountChangeError(problem)
            new_role = role_of_choice(role)
            add_account(path, name, new_role, password or "", self.params)
            entry = self._entry(user, "user_added", name, new_role=new_role)
            return f"Đã thêm người dùng «{name}» với vai trò {ROLE_LABELS[new_role]}.", entry

        return self._change(user, change)

    def change_role(self, user: str | None, name: str | None, role: str | None) -> UsersView:
        name = account_name(name)

        def change(path: Path) -> tuple[str, AccountAuditEntry]:
            new_role = role_of_choice(role)
            old_role = set_role(path, name, new_role, keep_an_admin=True)
            entry = self._entry(user, "user_role_changed", name, old_role=old_role, new_role=new_role)
            if old_role == new_role:
                return f"«{name}» vẫn có vai trò {ROLE_LABELS[new_role]}.", entry
            return (
                f"«{name}» giờ có vai trò {ROLE_LABELS[new_role]} (trước đó: {ROLE_LABELS[old_role]}).",
                entry,
            )

        return self._change(user, change)

    def reset_password(
        self, user: str | None, name: str | None, password: str | None, repeated: str | None
    ) -> UsersView:
        name = account_name(name)

        def change(path: Path) -> tuple[str, AccountAuditEntry]:
            problem = password_problem(password, repeated)
            if problem:
                raise AccountChangeError(problem)
            set_password(path, name, password or "", self.params)
            return f"Đã đặt lại mật khẩu của «{name}».", self._entry(user, "user_password_reset", name)

        return self._change(user, change)

    def removal_question(self, user: str | None, name: str | None) -> str | None:
        """The confirmation to show before removing `name`, or None when it cannot be asked (the
        reason is then in `listing`'s message of the caller)."""
        name = account_name(name)
        if self.refusal(user) or not name:
            return None
        return (
            f"Xoá người dùng **«{name}»**? Tài khoản này sẽ không đăng nhập được nữa; muốn dùng lại phải "
            "thêm lại với mật khẩu mới."
        )

    def remove(self, user: str | None, name: str | None) -> UsersView:
        name = account_name(name)

        def change(path: Path) -> tuple[str, AccountAuditEntry]:
            old_role = read_account_file(path).get(name)
            remove_account(path, name, keep_an_admin=True)
            entry = self._entry(user, "user_removed", name, old_role=old_role.role if old_role else None)
            return f"Đã xoá người dùng «{name}».", entry

        return self._change(user, change)

    def lift_lockout(self, user: str | None, name: str | None) -> UsersView:
        name = account_name(name)

        def change(path: Path) -> tuple[str, AccountAuditEntry]:
            if not name:
                raise AccountChangeError("Chưa chọn người dùng.")
            try:
                was_locked = lift_user_lockout(attempts_store_path(path), name, self.clock())
            except LoginAttemptsStoreError as exc:
                raise AccountChangeError(str(exc)) from exc
            entry = self._entry(user, "user_lockout_lifted", name)
            if was_locked:
                return f"Đã gỡ tạm khoá đăng nhập của «{name}».", entry
            return f"«{name}» không bị tạm khoá; đã xoá các lần nhập sai đã đếm.", entry

        return self._change(user, change)

    def _change(self, user: str | None, change: Callable[[Path], tuple[str, AccountAuditEntry]]) -> UsersView:
        """Refuse non-admins; otherwise make the change, audit and log it, and list the accounts."""
        refused = self.refusal(user)
        if refused or self.book is None:
            logger.warning("Từ chối quản lý người dùng cho «%s»: không có quyền.", user)
            return UsersView(f"⚠️ {refused or NO_ACCOUNTS}", refused=True)
        try:
            message, entry = change(self.book.path)
        except (AccountChangeError, AccountFileError) as exc:
            return self.listing(user, f"⚠️ {exc}")
        except OSError as exc:
            return self.listing(user, f"⚠️ Không ghi được tệp đăng nhập: {exc.strerror or exc}.")
        try:
            record_account_change(self.db_dir, entry)
        except OSError:
            logger.exception("Không ghi được nhật ký thay đổi trong %s", self.db_dir)
            message += " (Không ghi được nhật ký thay đổi: xem nhật ký ứng dụng.)"
        if self.refusal(user):  # an admin who stepped down or removed themself: done, and no more
            return UsersView(
                f"✅ {message} Tài khoản của bạn không còn quyền quản lý người dùng.", refused=True
            )
        return self.listing(user, f"✅ {message}")

    def _entry(
        self,
        user: str | None,
        action: str,
        name: str,
        *,
        old_role: str | None = None,
        new_role: str | None = None,
    ) -> AccountAuditEntry:
        who = self.permissions.audit_name(user)
        return AccountAuditEntry(who, action, None, account=name, old_role=old_role, new_role=new_role)

    def _locked(self) -> dict[str, float]:
        """User names locked out now, each with its end time; {} when the counts cannot be read."""
        if self.book is None:
            return {}
        try:
            store = LoginAttemptsStore(attempts_store_path(self.book.path))
            try:
                with store.transaction() as conn:
                    return locked_names(conn, "user", self.clock())
            finally:
                store.close()
        except LoginAttemptsStoreError:
            logger.exception("Không đọc được các tạm khoá đăng nhập")
            return {}


def _lock_status(until: float | None) -> str:
    if until is None:
        return NOT_LOCKED
    return f"tạm khoá đăng nhập tới {datetime.fromtimestamp(until).strftime('%H:%M %d/%m/%Y')}"
