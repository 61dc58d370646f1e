"""The «Người dùng» tab's handlers (no browser, no index): each admin action changes the login file the
way the `users` command does, is audited without the password, and is refused on the server for viewers,
editors, removed accounts and an app without login; the last admin cannot remove or demote themself;
a lockout is shown and lifted. Cheap scrypt parameters (`FAST`) keep it fast."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import gradio as gr
import pytest

from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    read_account_file,
    verify_password,
    write_account_file,
)
from assistant.web.login_guard import LoginGuard, LoginPolicy
from assistant.web.permissions import NO_LOGIN, Permissions
from assistant.web.user_admin_handlers import NOT_LOCKED, UserAdminHandlers, UsersView
from assistant.web.users_tab import users_tab, users_table_html
from vectorstore.audit_log import read_audit

pytestmark = [pytest.mark.hash_embedder]

FAST = ScryptParams(n=2**8, r=8, p=1)
PASSWORD = "mật khẩu cũ 2026"
NEW_PASSWORD = "bí mật mới rất dài 7"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def login_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.txt"
    accounts = [
        Account("quantri", "admin", hash_password(PASSWORD, FAST)),
        Account("bientap", "editor", hash_password(PASSWORD, FAST)),
        Account("xem", "viewer", hash_password(PASSWORD, FAST)),
    ]
    write_account_file(AccountFile(path, list(accounts)))
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def admin(login_file: Path, tmp_path: Path, clock: Clock) -> UserAdminHandlers:
    db_dir = tmp_path / "index"
    db_dir.mkdir()
    return UserAdminHandlers(Permissions(AccountBook(login_file)), db_dir, params=FAST, clock=clock)


def _roles(path: Path) -> dict[str, str]:
    return {name: account.role for name, account in read_account_file(path).accounts.items()}


def _audit(handlers: UserAdminHandlers) -> list[dict[str, object]]:
    return read_audit(handlers.db_dir)


def test_admin_lists_users_with_roles_and_lockouts(admin: UserAdminHandlers) -> None:
    view = admin.listing("quantri")
    assert not view.refused and view.names == ["bientap", "quantri", "xem"]
    assert [(row.name, row.role, row.status) for row in view.rows][1] == (
        "quantri",
        "quản trị viên",
        NOT_LOCKED,
    )
    table = users_table_html(view)
    assert "<td>biên tập viên</td>" in table and "<td>người xem</td>" in table


def test_add_checks_the_password_twice_and_audits_without_it(
    admin: UserAdminHandlers, login_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    short = admin.add("quantri", "moi", "editor", "ngan", "ngan")
    assert "ít nhất 8 ký tự" in short.message and "moi" not in _roles(login_file)
    mismatch = admin.add("quantri", "moi", "editor", NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "không khớp" in mismatch.message and "moi" not in _roles(login_file)
    assert "Vai trò «chủ»" in admin.add("quantri", "moi", "chủ", NEW_PASSWORD, NEW_PASSWORD).message
    assert (
        "chỉ được gồm chữ" in admin.add("quantri", "có khoảng", "viewer", NEW_PASSWORD, NEW_PASSWORD).message
    )
    assert "đã có" in admin.add("quantri", "xem", "viewer", NEW_PASSWORD, NEW_PASSWORD).message
    assert _audit(admin) == [], "nothing changed, nothing audited"

    added = admin.add("quantri", " moi ", "editor", NEW_PASSWORD, NEW_PASSWORD)
    assert added.message.startswith("✅") and "«moi»" in added.message and "biên tập viên" in added.message
    assert "moi" in added.names
    account = read_account_file(login_file).accounts["moi"]
    assert account.role == "editor" and verify_password(NEW_PASSWORD, account.password_hash)
    (line,) = _audit(admin)
    assert {k: line[k] for k in ("user", "channel", "action", "account", "old_role", "new_role")} == {
        "user": "quantri",
        "channel": "web",
        "action": "user_added",
        "account": "moi",
        "old_role": None,
        "new_role": "editor",
    }
    assert line["article_id"] is None and "time" in line
    audit_text = (admin.db_dir / "audit.jsonl").read_text(encoding="utf-8")
    for secret in (NEW_PASSWORD, "ngan", account.password_hash):
        assert secret not in audit_text and secret not in caplog.text
        assert all(secret not in view.message for view in (short, mismatch, added))


def test_change_role_is_audited_and_the_last_admin_cannot_demote_themself(
    admin: UserAdminHandlers, login_file: Path
) -> None:
    changed = admin.change_role("quantri", "xem", "editor")
    assert changed.message.startswith("✅") and "trước đó: người xem" in changed.message
    assert _roles(login_file)["xem"] == "editor"
    assert [(e["action"], e["account"], e["old_role"], e["new_role"]) for e in _audit(admin)] == [
        ("user_role_changed", "xem", "viewer", "editor")
    ]

    assert (
        admin.role_of_account("quantri", "xem") == "editor" and admin.role_of_account("quantri", "ai") is None
    )
    assert admin.role_of_account("bientap", "xem") is None, "an editor is not told roles"
    refused = admin.change_role("quantri", "quantri", "viewer")
    assert "quản trị viên cuối cùng" in refused.message and _roles(login_file)["quantri"] == "admin"
    assert "Không có người dùng «ai»" in admin.change_role("quantri", "ai", "viewer").message
    assert len(_audit(admin)) == 1

    admin.change_role("quantri", "bientap", "admin")  # with a second admin, stepping down is allowed
    stepped_down = admin.change_role("quantri", "quantri", "viewer")
    assert stepped_down.message.startswith("✅") and "không còn quyền quản lý" in stepped_down.message
    assert stepped_down.refused and stepped_down.rows == []
    assert _roles(login_file)["quantri"] == "viewer"
    assert admin.listing("quantri").refused, "no longer an admin: refused at the next request"


def test_reset_password_keeps_the_role_and_clears_nothing_else(
    admin: UserAdminHandlers, login_file: Path
) -> None:
    assert "ít nhất" in admin.reset_password("quantri", "xem", "1234567", "1234567").message
    assert "không khớp" in admin.reset_password("quantri", "xem", NEW_PASSWORD, "khác hẳn nhau").message
    assert verify_password(PASSWORD, read_account_file(login_file).accounts["xem"].password_hash)
    done = admin.reset_password("quantri", "xem", NEW_PASSWORD, NEW_PASSWORD)
    assert done.message == "✅ Đã đặt lại mật khẩu của «xem»."
    account = read_account_file(login_file).accounts["xem"]
    assert account.role == "viewer" and verify_password(NEW_PASSWORD, account.password_hash)
    (line,) = _audit(admin)
    assert (line["action"], line["account"], line["user"]) == ("user_password_reset", "xem", "quantri")
    assert NEW_PASSWORD not in (admin.db_dir / "audit.jsonl").read_text(encoding="utf-8")


def test_remove_asks_naming_the_user_and_the_last_admin_stays(
    admin: UserAdminHandlers, login_file: Path
) -> None:
    question = admin.removal_question("quantri", "bientap")
    assert question is not None and "«bientap»" in question
    assert admin.removal_question("xem", "bientap") is None, "not asked for a viewer"
    removed = admin.remove("quantri", "bientap")
    assert removed.message == "✅ Đã xoá người dùng «bientap»." and "bientap" not in removed.names
    assert "bientap" not in _roles(login_file)
    assert [(e["action"], e["account"], e["old_role"]) for e in _audit(admin)] == [
        ("user_removed", "bientap", "editor")
    ]
    assert "Không có người dùng «bientap»" in admin.remove("quantri", "bientap").message
    refused = admin.remove("quantri", "quantri")
    assert "quản trị viên cuối cùng" in refused.message and "quantri" in _roles(login_file)
    assert len(_audit(admin)) == 1


def test_lockout_is_listed_and_lifted(admin: UserAdminHandlers, login_file: Path, clock: Clock) -> None:
    policy = LoginPolicy(max_failures_per_user=2, max_failures_per_address=100, lockout_s=600)
    guard = LoginGuard(AccountBook(login_file), policy, clock=clock, params=FAST)
    for _ in range(2):
        assert not guard.attempt("xem", "sai mật khẩu", "10.0.0.7")
    assert not guard.attempt("xem", PASSWORD, "10.0.0.7"), "locked out: even the right password"
    status = {row.name: row.status for row in admin.listing("quantri").rows}
    assert status["xem"].startswith("tạm khoá đăng nhập tới") and status["quantri"] == NOT_LOCKED

    assert admin.lift_lockout("xem", "xem").refused, "a viewer cannot unlock anyone, not even themself"
    lifted = admin.lift_lockout("quantri", "xem")
    assert lifted.message == "✅ Đã gỡ tạm khoá đăng nhập của «xem»."
    assert {row.name: row.status for row in lifted.rows}["xem"] == NOT_LOCKED
    assert guard.attempt("xem", PASSWORD, "10.0.0.7"), "the shared counts no longer lock xem out"
    assert "không bị tạm khoá" in admin.lift_lockout("quantri", "xem").message
    assert [e["action"] for e in _audit(admin)] == ["user_lockout_lifted", "user_lockout_lifted"]


@pytest.mark.parametrize("user", ["xem", "bientap", "daxoa", None])
def test_everything_is_refused_on_the_server_for_non_admins(
    admin: UserAdminHandlers, login_file: Path, user: str | None
) -> None:
    before = login_file.read_bytes()
    views = [
        admin.listing(user),
        admin.add(user, "moi", "admin", NEW_PASSWORD, NEW_PASSWORD),
        admin.change_role(user, "xem" if user != "xem" else "bientap", "admin"),
        admin.change_role(user, user or "xem", "admin"),
        admin.reset_password(user, "quantri", NEW_PASSWORD, NEW_PASSWORD),
        admin.remove(user, "quantri"),
        admin.lift_lockout(user, "quantri"),
    ]
    for view in views:
        assert view.refused and view.rows == [] and view.message.startswith("⚠️")
    if user in ("xem", "bientap"):
        assert "không được quản lý người dùng" in views[0].message
    else:
        assert "không còn quyền" in views[0].message
    assert login_file.read_bytes() == before and _audit(admin) == []


def test_without_login_there_are_no_accounts_to_manage(tmp_path: Path) -> None:
    handlers = UserAdminHandlers(NO_LOGIN, tmp_path, params=FAST)
    view = handlers.add(None, "moi", "admin", NEW_PASSWORD, NEW_PASSWORD)
    assert view.refused and "không có đăng nhập" in view.message
    assert not (tmp_path / "audit.jsonl").exists()


def _events(permissions: Permissions, db_dir: Path) -> dict[str, object]:
    """The tab's own event functions by name, as the page calls them (hidden or not)."""
    with gr.Blocks() as demo, gr.Tabs():
        users_tab(permissions, db_dir, demo)
    return {fn.fn.__name__: fn.fn for fn in demo.fns.values() if fn.fn is not None}


def test_tab_events_hide_the_tab_and_refuse_a_direct_call_for_a_viewer(
    login_file: Path, tmp_path: Path
) -> None:
    events = _events(Permissions(AccountBook(login_file)), tmp_path)
    viewer, admin_request = gr.Request(username="xem"), gr.Request(username="quantri")

    tab, message, table, _ = events["on_load"](viewer)  # type: ignore[operator]
    assert tab.visible is False and table == "" and message == ""
    tab, _, table, _ = events["on_load"](admin_request)  # type: ignore[operator]
    assert tab.visible is True and "<td>quantri</td>" in table

    sent = events["on_add"]("moi", "admin", NEW_PASSWORD, NEW_PASSWORD, viewer)  # type: ignore[operator]
    assert "không được quản lý người dùng" in sent[0] and sent[-2:] == ("", "")
    assert "moi" not in _roles(login_file)
    sent = events["on_add"]("moi", "editor", NEW_PASSWORD, NEW_PASSWORD, admin_request)  # type: ignore[operator]
    assert sent[0].startswith("✅") and sent[-3:] == ("", "", ""), "name and both password boxes cleared"
    assert _roles(login_file)["moi"] == "editor"
    assert all(NEW_PASSWORD not in json.dumps(part, default=str) for part in sent)
    failed = events["on_reset"]("xem", NEW_PASSWORD, "khác", admin_request)  # type: ignore[operator]
    assert "không khớp" in failed[0] and failed[-2:] == ("", ""), "cleared on failure too"


def test_view_names_follow_rows() -> None:
    assert UsersView("").names == [] and users_table_html(UsersView("")) == ""


def test_tab_removal_asks_naming_the_account_then_removes_that_one(login_file: Path, tmp_path: Path) -> None:
    events = _events(Permissions(AccountBook(login_file)), tmp_path)
    admin_request = gr.Request(username="quantri")
    _, _, _, group, question, pending = events["on_ask_remove"]("bientap", admin_request)  # type: ignore[operator]
    assert group.visible is True and "«bientap»" in question and pending == "bientap"
    assert "bientap" in _roles(login_file), "nothing removed before the confirmation"
    cancelled = events["on_cancel"](admin_request)  # type: ignore[operator]
    assert "không xoá ai" in cancelled[0] and cancelled[3].visible is False and cancelled[5] is None
    asked_bad = events["on_ask_remove"]("<b>x</b>", admin_request)  # type: ignore[operator]
    assert "<b>" not in asked_bad[4] and "&lt;b&gt;" in asked_bad[4]
    removed = events["on_remove"](pending, admin_request)  # type: ignore[operator]
    assert removed[0] == "✅ Đã xoá người dùng «bientap»." and removed[3].visible is False
    assert "bientap" not in _roles(login_file) and removed[-1].visible is True, "still an admin: tab stays"
    refused = events["on_remove"]("xem", gr.Request(username="xem"))  # type: ignore[operator]
    assert "không được quản lý người dùng" in refused[0] and "xem" in _roles(login_file)
