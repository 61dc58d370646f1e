"""`python -m assistant users add|passwd|role|remove|list`: the web app's accounts, kept in the login file.

Passwords are only ever typed at a prompt (asked twice, never echoed): a password on the command line
would sit in the shell history and in every process listing. The file is rewritten atomically with mode
0600 (see `accounts.update_account_file`); the running app sees the change at its next request, so a
removed account or a lowered role counts at once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from pathlib import Path

from assistant.web.account_changes import (
    MIN_PASSWORD_CHARS,
    AccountChangeError,
    add_account,
    password_problem,
    remove_account,
    set_password,
    set_role,
)
from assistant.web.accounts import (
    ROLE_LABELS,
    ROLES,
    AccountFile,
    AccountFileError,
    Role,
    name_problem,
    read_account_file,
)

__all__ = ["MIN_PASSWORD_CHARS", "UsersCommandError", "add_users_parser", "run_users"]


class UsersCommandError(AccountChangeError):
    """A refused `users` command (Vietnamese message; exit code 2)."""


def add_users_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `users` subcommand and its own subcommands."""
    users = commands.add_parser("users", help="quản lý tài khoản đăng nhập ứng dụng web")
    users.add_argument(
        "--file", type=Path, help="tệp đăng nhập (mặc định ARCHIVE_AUTH_FILE)", dest="auth_file"
    )
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="thêm người dùng (hỏi mật khẩu hai lần)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="viewer", help="vai trò (mặc định viewer)")
    actions.add_parser("passwd", help="đổi mật khẩu (hỏi mật khẩu mới hai lần)").add_argument("name")
    role = actions.add_parser("role", help="đổi vai trò")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    actions.add_parser("remove", help="xoá người dùng").add_argument("name")
    actions.add_parser("list", help="liệt kê người dùng và vai trò")


def run_users(args: argparse.Namespace, auth_file: Path | None) -> int:
    """Run one `users` command; `auth_file` is ARCHIVE_AUTH_FILE unless --file names another."""
    path: Path | None = args.auth_file or auth_file
    try:
        if path is None:
            raise UsersCommandError(
                "Chưa có tệp đăng nhập: đặt ARCHIVE_AUTH_FILE hoặc dùng --file TỆP "
                "(ví dụ: python -m assistant users --file data/users.txt add canbo --role editor)."
            )
        if not path.parent.is_dir():
            raise UsersCommandError(f"Thư mục {path.parent} không tồn tại.")
        if args.users_command == "list":
            print(_listing(read_account_file(path, missing_ok=True)))
            return 0
        name = unicodedata.normalize("NFC", args.name.strip())
        message = _change(path, args.users_command, name, args)
    except (AccountChangeError, AccountFileError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp đăng nhập {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    print(message)
    return 0


def _change(path: Path, command: str, name: str, args: argparse.Namespace) -> str:
    """The change itself is `account_changes`' (the web app's «Người dùng» tab makes the same ones)."""
    current = read_account_file(path, missing_ok=True).get(name)
    if command == "add":
        problem = name_problem(name)
        if problem:
            raise UsersCommandError(problem)
        if current is not None:  # before asking for a password that would be typed for nothing
            raise UsersCommandError(f"Người dùng «{name}» đã có; đổi mật khẩu bằng «users passwd {name}».")
        role: Role = args.role
        add_account(path, name, role, _ask_password(name))
        return f"Đã thêm người dùng «{name}» với vai trò {ROLE_LABELS[role]} vào {path}."
    if current is None:
        raise UsersCommandError(f"Không có người dùng «{name}» trong {path}.")
    if command == "passwd":
        set_password(path, name, _ask_password(name))
        return f"Đã đổi mật khẩu của «{name}»."
    if command == "role":
        set_role(path, name, args.role)
        return f"«{name}» giờ có vai trò {ROLE_LABELS[args.role]}."
    remaining = remove_account(path, name)
    note = "" if remaining else " Tệp không còn người dùng nào: ứng dụng sẽ không khởi động với tệp này."
    return f"Đã xoá người dùng «{name}».{note}"


def _ask_password(name: str) -> str:
    """The new password, typed twice at a prompt that does not echo it."""
    password = getpass.getpass(f"Mật khẩu mới cho «{name}»: ")
    problem = password_problem(password, password)  # too short: said before the second prompt
    problem = problem or password_problem(password, getpass.getpass("Nhập lại mật khẩu: "))
    if problem:
        raise UsersCommandError(problem)
    return password


def _listing(accounts: AccountFile) -> str:
    rows = [
        f"{account.name:<24} {ROLE_LABELS[account.role]:<14} "
        + ("dạng cũ sha256, sẽ băm lại khi đăng nhập" if account.legacy else "scrypt")
        for account in accounts.accounts.values()
    ]
    return "\n".join(rows) if rows else f"Chưa có người dùng nào trong {accounts.path}."
