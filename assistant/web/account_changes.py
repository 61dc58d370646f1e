"""The changes an administrator makes to accounts, shared by `python -m assistant users` and the web
app's «Người dùng» tab, so both apply exactly the same rules.

Each change validates what it can before the login file is locked (a name's form, a password's length;
the password is hashed outside the lock, since scrypt takes a tenth of a second), then re-checks what
another writer may have changed meanwhile inside `update_account_file`, where a refusal raises before
anything is written. Passwords are arguments only: never logged, never in a message.

`keep_an_admin`: the web app refuses a change that would leave the file without any admin (an admin
removing or demoting themself while the last one), since nobody could then manage users from the app.
The command line, run by whoever owns the file, is the way back and is not held to it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from assistant.web.accounts import (
    DEFAULT_SCRYPT,
    LEGACY_ROLE,
    ROLE_LABELS,
    ROLES,
    Account,
    AccountFile,
    Role,
    ScryptParams,
    hash_password,
    name_problem,
    update_account_file,
)

MIN_PASSWORD_CHARS = 8  # NIST SP 800-63B minimum


class AccountChangeError(Exception):
    """A refused change to the accounts (Vietnamese message, safe to show: it never holds a password)."""


def account_name(typed: str | None) -> str:
    """A typed user name as it is stored: trimmed and NFC (some keyboards send decomposed letters)."""
    return unicodedata.normalize("NFC", (typed or "").strip())


def password_problem(password: str | None, repeated: str | None) -> str | None:
    """Why a new password, typed twice, is refused (Vietnamese), or None."""
    if len(password or "") < MIN_PASSWORD_CHARS:
        return f"Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."
    if password != repeated:
        return "Hai lần nhập mật khẩu không khớp; chưa thay đổi gì."
    return None


def role_of_choice(choice: str | None) -> Role:
    """A role name (`viewer`, `editor`, `admin`) as typed or sent by a form; anything else is refused."""
    for role in ROLES:
        if role == choice:
            return role
    raise AccountChangeError(f"Vai trò «{choice or ''}» không có; chọn một trong: {', '.join(ROLES)}.")


def add_account(
    path: Path, name: str, role: Role, password: str, params: ScryptParams = DEFAULT_SCRYPT
) -> Account:
    """Add a new account; refused when the name is malformed or taken."""
    problem = name_problem(name)
    if problem:
        raise AccountChangeError(problem)
    account = Account(name, role, hash_password(password, params))

    def put_new(accounts: AccountFile) -> None:
        if accounts.get(name) is not None:
            raise AccountChangeError(f"Người dùng «{name}» đã có.")
        accounts.put(account)

    update_account_file(path, put_new)
    return account


def set_password(path: Path, name: str, password: str, params: ScryptParams = DEFAULT_SCRYPT) -> None:
    """Give an existing account a new password (its role is kept; an old-format line becomes scrypt)."""
    new_hash = hash_password(password, params)

    def replace(accounts: AccountFile) -> None:
        accounts.put(Account(name, _existing(accounts, name).role, new_hash))

    update_account_file(path, replace)


def set_role(path: Path, name: str, role: Role, *, keep_an_admin: bool = False) -> Role:
    """Change an account's role; returns the role it had."""

    def replace(accounts: AccountFile) -> Role:
        current = _existing(accounts, name)
        if current.legacy:
            raise AccountChangeError(
                f"Tài khoản «{name}» còn ở dạng cũ (sha256, vai trò {ROLE_LABELS[LEGACY_ROLE]}): đặt mật khẩu "
                "mới cho tài khoản này trước (trong ứng dụng web, hoặc «python -m assistant users passwd "
                f"{name}»), rồi đổi vai trò."
            )
        if keep_an_admin and role != "admin":
            _refuse_last_admin(accounts, name, "hạ vai trò")
        accounts.put(Account(name, role, current.password_hash))
        return current.role

    return update_account_file(path, replace)


def remove_account(path: Path, name: str, *, keep_an_admin: bool = False) -> int:
    """Remove an account; returns how many accounts remain."""

    def remove(accounts: AccountFile) -> int:
        _existing(accounts, name)
        if keep_an_admin:
            _refuse_last_admin(accounts, name, "xoá")
        accounts.remove(name)
        return len(accounts.accounts)

    return update_account_file(path, remove)


def _existing(accounts: AccountFile, name: str) -> Account:
    current = accounts.get(name)
    if current is None:
        raise AccountChangeError(f"Không có người dùng «{name}».")
    return current


def _refuse_last_admin(accounts: AccountFile, name: str, what: str) -> None:
    """Refuse when `name` is the only admin left."""
    admins = [account.name for account in accounts.accounts.values() if account.role == "admin"]
    if admins == [name]:
        raise AccountChangeError(
            f"Không thể {what} «{name}»: đây là quản trị viên cuối cùng. Hãy cấp vai trò quản trị viên "
            "cho một người dùng khác trước."
        )
