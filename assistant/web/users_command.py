"""`python -m assistant users add|passwd|role|remove|unlock|list`: the web app's accounts, kept in the
login file.

Passwords are only ever typed at a prompt (asked twice, never echoed): a password on the command line
would sit in the shell history and in every process listing. The file is rewritten atomically with mode
0600 (see `accounts.update_account_file`); the running app sees the change at its next request, so a
removed account or a lowered role counts at once.

Every change is appended to the archive's audit log (`audit.jsonl` in the index folder, `--db` or
ARCHIVE_DB_DIR) as the «Người dùng» tab does it, with the same actions and fields, but as user
`cli:<OS login name>` and channel `cli`; never a password or a hash. `unlock` ends a login lockout in the
attempts file every app process shares (`login_attempts_store`), as the tab's «Gỡ tạm khoá đăng nhập».
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
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
from assistant.web.login_attempts_store import (
    LoginAttemptsStoreError,
    attempts_store_path,
    lift_user_lockout,
)
from assistant.web.user_admin_handlers import AccountAuditEntry, record_account_change
from vectorstore.audit_log import CLI_CHANNEL, audit_path, cli_user

__all__ = ["MIN_PASSWORD_CHARS", "UsersCommandError", "add_users_parser", "run_users"]


class UsersCommandError(AccountChangeError):
    """A refused `users` command (Vietnamese message; exit code 2)."""


def add_users_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `users` subcommand and its own subcommands."""
    users = commands.add_parser("users", help="quản lý tài khoản đăng nhập ứng dụng web")
    users.add_argument(
        "--file", type=Path, help="tệp đăng nhập (mặc định ARCHIVE_AUTH_FILE)", dest="auth_file"
    )
    users.add_argument(
        "--db", type=Path, help="thư mục chỉ mục, nơi ghi nhật ký thay đổi (mặc định ARCHIVE_DB_DIR)"
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
    actions.add_parser(
        "unlock", help="gỡ tạm khoá đăng nhập của người dùng (sau quá nhiều lần nhập sai mật khẩu)"
    ).add_argument("name")
    actions.add_parser("list", help="liệt kê người dùng và vai trò")


def run_users(args: argparse.Namespace, auth_file: Path | None, db_dir: Path) -> int:
    """Run one `users` command; `auth_file` is ARCHIVE_AUTH_FILE unless --file names another, `db_dir`
    (where the audit log is) ARCHIVE_DB_DIR unless --db names another."""
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
        message, entry = _change(path, args.users_command, name, args)
    except (AccountChangeError, AccountFileError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp đăng nhập {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    print(message)
    _audit(args.db or db_dir, entry)
    return 0


def _change(path: Path, command: str, name: str, args: argparse.Namespace) -> tuple[str, AccountAuditEntry]:
    """The change itself is `account_changes`' (the web app's «Người dùng» tab makes the same ones);
    returns the message to print and the audit line to append."""
    current = read_account_file(path, missing_ok=True).get(name)
    if command == "add":
        problem = name_problem(name)
        if problem:
            raise UsersCommandError(problem)
        if current is not None:  # before asking for a password that would be typed for nothing
            raise UsersCommandError(f"Người dùng «{name}» đã có; đổi mật khẩu bằng «users passwd {name}».")
        role: Role = args.role
        add_account(path, name, role, _ask_password(name))
        message = f"Đã thêm người dùng «{name}» với vai trò {ROLE_LABELS[role]} vào {path}."
        return message, _entry("user_added", name, new_role=role)
    if current is None:
        raise UsersCommandError(f"Không có người dùng «{name}» trong {path}.")
    if command == "passwd":
        set_password(path, name, _ask_password(name))
        return f"Đã đổi mật khẩu của «{name}».", _entry("user_password_reset", name)
    if command == "role":
        old_role = set_role(path, name, args.role)
        message = f"«{name}» giờ có vai trò {ROLE_LABELS[args.role]}."
        return message, _entry("user_role_changed", name, old_role=old_role, new_role=args.role)
    if command == "unlock":
        if _unlock(path, name):
            message = f"Đã gỡ tạm khoá đăng nhập của «{name}»; người dùng này đăng nhập lại được ngay."
        else:
            message = f"«{name}» không bị tạm khoá đăng nhập; đã xoá các lần nhập sai đã đếm (nếu có)."
        return message, _entry("user_lockout_lifted", name)
    remaining = remove_account(path, name)
    note = "" if remaining else " Tệp không còn người dùng nào: ứng dụng sẽ không khởi động với tệp này."
    return f"Đã xoá người dùng «{name}».{note}", _entry("user_removed", name, old_role=current.role)


def _unlock(path: Path, name: str) -> bool:
    """End `name`'s lockout and forget its counted failures in the attempts file beside `path`, as
    the tab does (the address lockouts are left alone); whether it was locked out. An absent attempts
    file holds no lockout, and is not created here."""
    store_path = attempts_store_path(path)
    if not store_path.exists():
        return False
    try:
        return lift_user_lockout(store_path, name, time.time())
    except LoginAttemptsStoreError as exc:
        raise UsersCommandError(str(exc)) from exc


def _entry(
    action: str, name: str, *, old_role: str | None = None, new_role: str | None = None
) -> AccountAuditEntry:
    """The audit line of a change made here: the tab's fields, as `cli:<OS login name>`."""
    return AccountAuditEntry(
        cli_user(), action, None, channel=CLI_CHANNEL, account=name, old_role=old_role, new_role=new_role
    )


def _audit(db_dir: Path, entry: AccountAuditEntry) -> None:
    """Append the change to the audit log; when that fails the change stands (it is made), so the
    command says so on stderr rather than failing."""
    try:
        record_account_change(db_dir, entry)
    except OSError as exc:
        print(
            f"Cảnh báo: đã thay đổi nhưng không ghi được nhật ký thay đổi {audit_path(db_dir)} "
            f"({exc.strerror or exc}); chỉ thư mục chỉ mục của ứng dụng bằng --db THƯ_MỤC hoặc ARCHIVE_DB_DIR.",
            file=sys.stderr,
        )


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
