"""The `users` command leaves the same audit lines as the «Người dùng» tab, and lifts lockouts (issues
14/16 leftovers).

Before this, `python -m assistant users add|passwd|role|remove` changed accounts without a trace in
`audit.jsonl` (the tab wrote one line per change), and only the tab could lift a login lockout. Here each
command runs through `python -m assistant`'s `main` over real files in `tmp_path`; the lockout is made by
the real `LoginGuard` over the real attempts file, so `users unlock` must end it for the guard itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.__main__ import main as assistant_main
from assistant.web import users_command
from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    read_account_file,
    write_account_file,
)
from assistant.web.login_attempts_store import attempts_store_path
from assistant.web.login_guard import LoginGuard, LoginPolicy
from vectorstore.audit_log import audit_path, read_audit

FAST = ScryptParams(n=2**8, r=8, p=1)
PASSWORD = "mật khẩu đúng 2024"
NEW_PASSWORD = "mật khẩu mới dài hơn"
POLICY = LoginPolicy(max_failures_per_user=5, max_failures_per_address=20, lockout_s=15 * 60)
OS_USER = "quantri_os"


@pytest.fixture(autouse=True)
def os_login_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`getpass.getuser()` reads LOGNAME first: the actor is then known to the test (set after
    `tmp_path` exists, since pytest names its temporary folder after the same login name)."""
    monkeypatch.setenv("LOGNAME", OS_USER)


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    queue = list(answers)
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt="": queue.pop(0))


def _users(login_file: Path, db_dir: Path, *argv: str) -> int:
    return assistant_main(["users", "--file", str(login_file), "--db", str(db_dir), *argv])


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    db_dir = tmp_path / "index"
    db_dir.mkdir()
    return tmp_path / "users.txt", db_dir


def test_every_change_is_audited_as_the_os_user_without_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, db_dir = _folders(tmp_path)
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert _users(login_file, db_dir, "add", "canbo", "--role", "editor") == 0
    _typed(monkeypatch, NEW_PASSWORD, NEW_PASSWORD)
    assert _users(login_file, db_dir, "passwd", "canbo") == 0
    hashed = read_account_file(login_file).accounts["canbo"].password_hash
    assert _users(login_file, db_dir, "role", "canbo", "admin") == 0
    assert _users(login_file, db_dir, "remove", "canbo") == 0
    assert _users(login_file, db_dir, "list") == 0, "listing changes nothing and is not audited"

    lines = read_audit(db_dir)
    assert [line["action"] for line in lines] == [
        "user_added",
        "user_password_reset",
        "user_role_changed",
        "user_removed",
    ]
    for line in lines:
        assert line["user"] == f"cli:{OS_USER}" and line["channel"] == "cli"
        assert line["account"] == "canbo" and line["article_id"] is None
        assert line["time"]
    roles = [(line["old_role"], line["new_role"]) for line in lines]
    assert roles == [(None, "editor"), (None, None), ("editor", "admin"), ("admin", None)]
    text = audit_path(db_dir).read_text(encoding="utf-8")
    assert PASSWORD not in text and NEW_PASSWORD not in text
    assert hashed not in text and "scrypt$" not in text, "not even the hash"
    # The same fields as a line of the «Người dùng» tab (`UserAdminHandlers._entry`).
    assert set(json.loads(text.splitlines()[0])) == {
        "time", "user", "action", "article_id", "source", "old_version", "new_version", "channel",
        "account", "old_role", "new_role",
    }  # fmt: skip
    capsys.readouterr()


def test_a_refused_change_is_not_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, db_dir = _folders(tmp_path)
    _typed(monkeypatch, PASSWORD, "gõ khác hẳn")
    assert _users(login_file, db_dir, "add", "canbo") == 2
    assert _users(login_file, db_dir, "role", "ma", "admin") == 2
    assert _users(login_file, db_dir, "remove", "ma") == 2
    assert read_audit(db_dir) == []
    assert "Không có người dùng «ma»" in capsys.readouterr().err


def test_the_audit_log_defaults_to_archive_db_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, db_dir = _folders(tmp_path)
    monkeypatch.setenv("ARCHIVE_DB_DIR", str(db_dir))
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert assistant_main(["users", "--file", str(login_file), "add", "canbo"]) == 0
    assert [line["action"] for line in read_audit(db_dir)] == ["user_added"]
    capsys.readouterr()


def test_a_change_whose_audit_cannot_be_written_stands_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, _ = _folders(tmp_path)
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert _users(login_file, tmp_path / "không có", "add", "canbo") == 0
    assert "canbo" in read_account_file(login_file).accounts
    captured = capsys.readouterr()
    assert "Đã thêm người dùng «canbo»" in captured.out
    assert "không ghi được nhật ký thay đổi" in captured.err and PASSWORD not in captured.err


def _locked_out_guard(login_file: Path) -> LoginGuard:
    """A real guard (wall clock, the attempts file beside `login_file`) with «canbo» locked out."""
    write_account_file(
        AccountFile(
            login_file,
            [
                Account("canbo", "editor", hash_password(PASSWORD, FAST)),
                Account("khac", "viewer", hash_password(PASSWORD, FAST)),
            ],
        )
    )
    guard = LoginGuard(AccountBook(login_file), POLICY, params=FAST)
    for _ in range(POLICY.max_failures_per_user):
        assert not guard.attempt("canbo", "sai", "10.0.0.1")
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.2"), "locked out: even the right password"
    return guard


def test_unlock_lifts_a_real_lockout_and_is_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, db_dir = _folders(tmp_path)
    guard = _locked_out_guard(login_file)
    capsys.readouterr()

    assert _users(login_file, db_dir, "unlock", "canbo") == 0
    assert "Đã gỡ tạm khoá đăng nhập của «canbo»" in capsys.readouterr().out
    assert guard.attempt("canbo", PASSWORD, "10.0.0.2"), "the same guard lets the name in again"
    fresh = LoginGuard(AccountBook(login_file), POLICY, params=FAST)  # another app process
    assert fresh.attempt("canbo", PASSWORD, "10.0.0.3")

    assert _users(login_file, db_dir, "unlock", "canbo") == 0
    assert "«canbo» không bị tạm khoá đăng nhập" in capsys.readouterr().out
    lines = read_audit(db_dir)
    assert [(line["action"], line["account"], line["user"], line["channel"]) for line in lines] == [
        ("user_lockout_lifted", "canbo", f"cli:{OS_USER}", "cli")
    ] * 2


def test_unlock_refuses_an_unknown_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    login_file, db_dir = _folders(tmp_path)
    guard = _locked_out_guard(login_file)
    capsys.readouterr()

    assert _users(login_file, db_dir, "unlock", "khong_co") == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không có người dùng «khong_co»"), err
    assert read_audit(db_dir) == []
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.2"), "nobody else's lockout was touched"


def test_unlock_without_an_attempts_file_does_not_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login_file, db_dir = _folders(tmp_path)
    write_account_file(AccountFile(login_file, [Account("canbo", "viewer", hash_password(PASSWORD, FAST))]))
    assert _users(login_file, db_dir, "unlock", "canbo") == 0
    assert "không bị tạm khoá" in capsys.readouterr().out
    assert not attempts_store_path(login_file).exists()
    assert [line["action"] for line in read_audit(db_dir)] == ["user_lockout_lifted"]
