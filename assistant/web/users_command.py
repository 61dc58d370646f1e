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

from assistant.web.accounts import (
    LEGACY_ROLE,
    ROLE_LABELS,
    ROLES,
    Account,
    AccountFile,
    AccountFileError,
    Role,
    hash_password,
    name_problem,
    read_account_file,
    update_account_file,
)

MIN_PASSWORD_CHARS = 8  # NIST SP 800-63B minimum


class UsersCommandError(Exception):
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
    except (UsersCommandError, AccountFileError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp đăng nhập {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    print(message)
    return 0


def _change(path: Path, command: str, name: str, args: argparse.Namespace) -> str:
    current = read_account_file(path, missing_ok=True).get(name)
    if command == "add":
        problem = name_problem(name)
        if problem:
            raise UsersCommandError(problem)
        if current is not None:
            raise UsersCommandError(f"Người dùng «{name}» đã có; đổi mật khẩu bằng «users passwd {name}».")
        role: Role = args.role
        new_hash = hash_password(_ask_password(name))  # asked before the file is locked
        update_account_file(path, lambda accounts: _put_new(accounts, Account(name, role, new_hash)))
        return f"Đã thêm người dùng «{name}» với vai trò {ROLE_LABELS[role]} vào {path}."
    if current is None:
        raise UsersCommandError(f"Không có người dùng «{name}» trong {path}.")
    if command == "passwd":
        new_hash = hash_password(_ask_password(name))
        update_account_file(path, lambda accounts: _replace(accounts, name, hash_=new_hash))
        return f"Đã đổi mật khẩu của «{name}»."
    if command == "role":
        if current.legacy:
            raise UsersCommandError(
                f"Tài khoản «{name}» còn ở dạng cũ (sha256, vai trò {LEGACY_ROLE}); đặt mật khẩu mới bằng "
                f"«users passwd {name}» rồi đổi vai trò."
            )
        update_account_file(path, lambda accounts: _replace(accounts, name, role=args.role))
        return f"«{name}» giờ có vai trò {ROLE_LABELS[args.role]}."
    update_account_file(path, lambda accounts: _remove(accounts, name))
    remaining = read_account_file(path, missing_ok=True).accounts
    note = "" if remaining else " Tệp không còn người dùng nào: ứng dụng sẽ không khởi động với tệp này."
    return f"Đã xoá người dùng «{name}».{note}"


def _put_new(accounts: AccountFile, account: Account) -> None:
    if accounts.get(account.name) is not None:  # added by someone else meanwhile
        raise UsersCommandError(f"Người dùng «{account.name}» đã có.")
    accounts.put(account)


def _replace(accounts: AccountFile, name: str, *, hash_: str | None = None, role: Role | None = None) -> None:
    current = accounts.get(name)
    if current is None:
        raise UsersCommandError(f"Không có người dùng «{name}».")
    accounts.put(Account(name, role or current.role, hash_ or current.password_hash))


def _remove(accounts: AccountFile, name: str) -> None:
    if not accounts.remove(name):
        raise UsersCommandError(f"Không có người dùng «{name}».")


def _ask_password(name: str) -> str:
    """The new password, typed twice at a prompt that does not echo it."""
    password = getpass.getpass(f"Mật khẩu mới cho «{name}»: ")
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsersCommandError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự.")
    if getpass.getpass("Nhập lại mật khẩu: ") != password:
        raise UsersCommandError("Hai lần nhập mật khẩu không khớp; chưa thay đổi gì.")
    return password


def _listing(accounts: AccountFile) -> str:
    rows = [
        f"{account.name:<24} {ROLE_LABELS[account.role]:<14} "
        + ("dạng cũ sha256, sẽ băm lại khi đăng nhập" if account.legacy else "scrypt")
        for account in accounts.accounts.values()
    ]
    return "\n".join(rows) if rows else f"Chưa có người dùng nào trong {accounts.path}."
