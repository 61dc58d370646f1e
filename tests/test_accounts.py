"""Real accounts (issue 14 §5): scrypt hashes with a salt per user, the `users` command, guessing limits
and the log of attempts, roles checked by the handlers themselves, the old SHA-256 lines upgraded at the
first login, and the audit log of archive changes.

Before this, the login file held unsalted SHA-256, 300 wrong logins went through in 4.2 s unslowed and
unlogged, and every logged-in user could upload. Most tests use cheap scrypt parameters (`FAST`); the
ones about the stored format use the real defaults. Clocks are injected, so lockout windows take no time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import stat
import unicodedata
from datetime import datetime
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient
from gradio.routes import App

from assistant.__main__ import main as assistant_main
from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web import accounts, users_command
from assistant.web.access import gradio_login, load_auth, permissions_for
from assistant.web.accounts import (
    DEFAULT_SCRYPT,
    Account,
    AccountBook,
    AccountFile,
    AccountFileError,
    ScryptParams,
    hash_password,
    needs_rehash,
    read_account_file,
    verify_password,
    write_account_file,
)
from assistant.web.archive_handlers import ArchiveHandlers
from assistant.web.briefing_handlers import BriefingHandlers
from assistant.web.chat_handlers import ChatHandlers
from assistant.web.login_guard import LoginGuard, LoginPolicy, LoginThrottle
from assistant.web.permissions import NO_LOGIN, Permissions
from ingest.report import FileOutcome, IngestReport
from vectorstore.audit_log import AuditEntry, append_audit, read_audit, report_changes

FAST = ScryptParams(n=2**8, r=8, p=1)
PASSWORD = "mật khẩu đúng 2024"
POLICY = LoginPolicy(max_failures_per_user=5, max_failures_per_address=20, lockout_s=15 * 60)


class Clock:
    """A hand-moved clock for the lockout windows."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _write_accounts(path: Path, *entries: str | Account) -> Path:
    write_account_file(AccountFile(path, list(entries)))
    return path


def _guard(tmp_path: Path, clock: Clock, *accounts_: Account) -> LoginGuard:
    path = _write_accounts(tmp_path / "users.txt", *accounts_)
    return LoginGuard(AccountBook(path), POLICY, clock=clock, params=FAST)


# --- hashing ----------------------------------------------------------------------------------------


def test_scrypt_hash_has_its_own_salt_and_parameters_and_verifies() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith(f"scrypt${DEFAULT_SCRYPT.n}${DEFAULT_SCRYPT.r}${DEFAULT_SCRYPT.p}$")
    assert first.split("$")[4] != second.split("$")[4], "the salt differs per user"
    assert first != second and PASSWORD not in first
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password("mật khẩu sai", first)
    assert not verify_password(PASSWORD, "scrypt$1024$8$1$khongphaibase64$@@")
    assert not verify_password(PASSWORD, "scrypt$4194304$64$16$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==")
    # The parameters are read from the line: a cheap hash still verifies, and is due for a re-hash.
    cheap = hash_password(PASSWORD, FAST)
    assert verify_password(PASSWORD, cheap) and needs_rehash(cheap) and not needs_rehash(first)


def test_verification_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, object]] = []
    compare = hmac.compare_digest

    def spy(a: bytes | str, b: bytes | str) -> bool:
        calls.append((a, b))
        return compare(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(accounts.hmac, "compare_digest", spy)
    stored = hash_password(PASSWORD, FAST)
    legacy = hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert verify_password(PASSWORD, stored) and not verify_password("sai", stored)
    assert verify_password(PASSWORD, legacy) and not verify_password("sai", legacy)
    assert len(calls) == 4, "every comparison goes through hmac.compare_digest"


def test_malformed_login_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    path.write_text("# cán bộ\ncanbo:editor:sha256-khong-phai-scrypt\n", encoding="utf-8")
    with pytest.raises(AccountFileError, match="Dòng 2"):
        read_account_file(path)
    path.write_text(f"canbo:superuser:{hash_password(PASSWORD, FAST)}\n", encoding="utf-8")
    with pytest.raises(AccountFileError, match="Dòng 1"):
        load_auth(path)
    path.write_text("# chỉ có chú thích\n", encoding="utf-8")
    with pytest.raises(AccountFileError, match="không có người dùng nào"):
        load_auth(path)


# --- the users command ------------------------------------------------------------------------------


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Patch getpass to type `answers` in turn; returns the prompts it was asked."""
    prompts: list[str] = []
    queue = list(answers)

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return queue.pop(0)

    monkeypatch.setattr(users_command.getpass, "getpass", fake_getpass)
    return prompts


def _users(path: Path, *argv: str) -> int:
    # The audit log goes beside the login file, never into a real index folder (data/index).
    return assistant_main(["users", "--file", str(path), "--db", str(path.parent), *argv])


def test_users_command_prompts_twice_and_writes_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.txt"
    prompts = _typed(monkeypatch, PASSWORD, PASSWORD)
    assert _users(path, "add", "bientap", "--role", "editor") == 0
    assert len(prompts) == 2 and "bientap" in prompts[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.startswith("bientap:editor:scrypt$") and PASSWORD not in text
    assert verify_password(PASSWORD, read_account_file(path).accounts["bientap"].password_hash)
    assert "Đã thêm người dùng «bientap» với vai trò biên tập viên" in capsys.readouterr().out

    # Never a password on the command line: argparse has no place for one.
    with pytest.raises(SystemExit) as refused:
        _users(path, "add", "xem", PASSWORD)
    assert refused.value.code == 2

    _typed(monkeypatch, PASSWORD, "gõ khác hẳn")
    assert _users(path, "add", "xem") == 2
    assert "không khớp" in capsys.readouterr().err and "xem" not in read_account_file(path).accounts
    _typed(monkeypatch, "ngan", "ngan")
    assert _users(path, "add", "xem") == 2 and "ít nhất 8 ký tự" in capsys.readouterr().err
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert _users(path, "add", "xem") == 0
    assert read_account_file(path).accounts["xem"].role == "viewer", "least privilege by default"
    assert _users(path, "add", "xem") == 2 and "đã có" in capsys.readouterr().err
    assert _users(path, "add", "có:hai chấm") == 2

    before = read_account_file(path).accounts["bientap"].password_hash
    _typed(monkeypatch, "mật khẩu mới dài", "mật khẩu mới dài")
    assert _users(path, "passwd", "bientap") == 0
    after = read_account_file(path).accounts["bientap"]
    assert after.password_hash != before and verify_password("mật khẩu mới dài", after.password_hash)
    assert after.role == "editor"
    assert _users(path, "role", "xem", "admin") == 0
    assert read_account_file(path).accounts["xem"].role == "admin"
    capsys.readouterr()
    assert _users(path, "list") == 0
    listing = capsys.readouterr().out
    assert "bientap" in listing and "biên tập viên" in listing and "quản trị viên" in listing
    assert _users(path, "remove", "xem") == 0 and "xem" not in read_account_file(path).accounts
    assert _users(path, "remove", "xem") == 2 and "Không có người dùng «xem»" in capsys.readouterr().err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"], "no temporary file left behind"


# --- guessing limits and the log of attempts -------------------------------------------------------


def test_lockout_per_user_and_recovery_after_the_window(tmp_path: Path) -> None:
    clock = Clock()
    guard = _guard(
        tmp_path,
        clock,
        Account("canbo", "viewer", hash_password(PASSWORD, FAST)),
        Account("khac", "viewer", hash_password(PASSWORD, FAST)),
    )
    assert guard.attempt("canbo", PASSWORD, "10.0.0.1")
    for _ in range(POLICY.max_failures_per_user):
        assert not guard.attempt("canbo", "sai", "10.0.0.1")
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.2"), "locked out: even the right password"
    assert guard.attempt("khac", PASSWORD, "10.0.0.1"), "another user from the same address"
    clock.now += POLICY.lockout_s - 1
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.1")
    clock.now += 2
    assert guard.attempt("canbo", PASSWORD, "10.0.0.1"), "the lockout ends after its window"
    # A success clears the user's count; failures older than the window no longer count.
    for _ in range(POLICY.max_failures_per_user - 1):
        assert not guard.attempt("canbo", "sai", "10.0.0.1")
    clock.now += POLICY.lockout_s + 1
    assert not guard.attempt("canbo", "sai", "10.0.0.1")
    assert guard.attempt("canbo", PASSWORD, "10.0.0.1")


def test_lockout_per_address_across_user_names(tmp_path: Path) -> None:
    clock = Clock()
    guard = _guard(tmp_path, clock, Account("canbo", "viewer", hash_password(PASSWORD, FAST)))
    for number in range(POLICY.max_failures_per_address):
        assert not guard.attempt(f"doan{number}", "sai", "10.0.0.9")  # unknown names count too
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.9"), "the address is locked out"
    assert guard.attempt("canbo", PASSWORD, "10.0.0.10"), "other addresses are not"
    for _ in range(3):  # a success does not buy an address more guesses
        assert guard.attempt("canbo", PASSWORD, "10.0.0.10")
    clock.now += POLICY.lockout_s + 1
    assert guard.attempt("canbo", PASSWORD, "10.0.0.9")


def test_attempts_in_flight_count_against_the_limit() -> None:
    """Attempts sent at once are counted when they start, so they cannot all pass before any fails."""
    throttle = LoginThrottle(POLICY, Clock())
    started = [throttle.begin("canbo", f"10.0.1.{n}") for n in range(POLICY.max_failures_per_user + 3)]
    assert started.count(None) == POLICY.max_failures_per_user
    assert started[-1] == "người dùng"


def test_every_attempt_is_logged_without_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    guard = _guard(tmp_path, Clock(), Account("canbo", "viewer", hash_password(PASSWORD, FAST)))
    caplog.set_level(logging.INFO, logger="assistant.web.login_guard")
    guard.attempt("canbo", PASSWORD, "10.0.0.1")
    for _ in range(POLICY.max_failures_per_user + 1):
        guard.attempt("canbo", "đoán-bừa-123", "10.0.0.2")
    guard.attempt("ai\nđó", "đoán-bừa-123", "10.0.0.3")
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0] == "Đăng nhập thành công: người dùng «canbo», địa chỉ 10.0.0.1."
    assert lines.count("Đăng nhập thất bại: người dùng «canbo», địa chỉ 10.0.0.2.") == 5
    assert any(line.startswith("Tạm khoá đăng nhập 15 phút cho người dùng «canbo»") for line in lines)
    assert any(line.startswith("Đăng nhập bị chặn: người dùng «canbo», địa chỉ 10.0.0.2") for line in lines)
    assert "Đăng nhập thất bại: người dùng «ai\\nđó», địa chỉ 10.0.0.3." in lines, "one line per attempt"
    assert all(record.created > 0 for record in caplog.records), "each line carries its time"
    assert not [line for line in lines if PASSWORD in line or "đoán-bừa" in line]


def test_gradio_login_route_gets_the_client_address_and_locks_out(tmp_path: Path) -> None:
    """The real Gradio /login route with the app's wiring: the address reaches the check, the sixth
    attempt is refused even with the right password."""
    guard = _guard(tmp_path, Clock(), Account("canbo", "editor", hash_password(PASSWORD, FAST)))
    seen: list[str] = []
    original = guard.attempt

    def recording(user: str, password: str, address: str) -> bool:
        seen.append(address)
        return original(user, password, address)

    guard.attempt = recording
    with gr.Blocks() as demo:
        gr.Markdown("x")
    options = gradio_login(guard)
    demo.auth = options["auth"]
    client = TestClient(App.create_app(demo, app_kwargs=options["app_kwargs"]))

    def login(password: str) -> int:
        return client.post("/login", data={"username": "canbo", "password": password}).status_code

    assert login(PASSWORD) == 200
    assert [login("sai") for _ in range(POLICY.max_failures_per_user)] == [400] * 5
    assert login(PASSWORD) == 400
    assert seen == ["testclient"] * 7
    assert gradio_login(None) == {}


# --- the old SHA-256 lines --------------------------------------------------------------------------


def test_legacy_sha256_line_is_rehashed_at_first_login(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    path = tmp_path / "users.txt"
    path.write_text(f"# tệp cũ\ncanbo:{digest}\nkhac:{'0' * 64}\n", encoding="utf-8")
    path.chmod(0o644)
    caplog.set_level(logging.WARNING)
    guard = load_auth(path, POLICY)
    assert guard is not None
    assert any("dạng cũ" in record.getMessage() for record in caplog.records), "warned at start"
    assert not guard.attempt("canbo", "sai", "10.0.0.1")
    assert path.read_text(encoding="utf-8").count(digest) == 1, "a wrong password changes nothing"
    assert guard.attempt("canbo", PASSWORD, "10.0.0.1")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# tệp cũ" and lines[2] == f"khac:{'0' * 64}", "other lines kept"
    assert lines[1].startswith(f"canbo:viewer:scrypt${DEFAULT_SCRYPT.n}$") and digest not in lines[1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert any("đã băm lại bằng scrypt" in record.getMessage() for record in caplog.records)
    assert guard.attempt("canbo", PASSWORD, "10.0.0.1") and not guard.attempt("canbo", "sai", "10.0.0.1")
    assert guard.book.get("canbo") == read_account_file(path).accounts["canbo"]


def test_running_app_sees_accounts_changed_on_disk(tmp_path: Path) -> None:
    clock = Clock()
    guard = _guard(tmp_path, clock, Account("canbo", "editor", hash_password(PASSWORD, FAST)))
    permissions = permissions_for(guard)
    assert permissions.allows("canbo", "upload")
    guard.book.update(lambda file: file.put(Account("canbo", "viewer", hash_password(PASSWORD, FAST))))
    assert not permissions.allows("canbo", "upload") and permissions.allows("canbo", "ask")
    guard.book.update(lambda file: file.remove("canbo"))
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.1")
    assert permissions.refusal("canbo", "ask") is not None
    (tmp_path / "users.txt").write_text("hỏng\n", encoding="utf-8")  # a bad hand edit
    assert guard.book.names() == [], "the last good version stays"


# --- roles ------------------------------------------------------------------------------------------


def test_role_matrix() -> None:
    book = _StaticBook(
        {
            name: Account(name, role, "x")
            for name, role in (("xem", "viewer"), ("bien", "editor"), ("qt", "admin"))
        }
    )
    permissions = Permissions(book)
    actions = ("ask", "brief", "upload", "replace", "delete", "users")
    allowed = {
        user: {action for action in actions if permissions.allows(user, action)}
        for user in ("xem", "bien", "qt", "ai", None)
    }
    assert allowed["xem"] == {"ask", "brief"}
    assert allowed["bien"] == {"ask", "brief", "upload", "replace", "delete"}
    assert allowed["qt"] == allowed["bien"] | {"users"}
    assert allowed["ai"] == set() and allowed[None] == set()
    assert "vai trò người xem" in (permissions.refusal("xem", "upload") or "")
    assert NO_LOGIN.allows(None, "upload"), "without login (this computer only) everything is allowed"


class _StaticBook:
    def __init__(self, accounts_: dict[str, Account]) -> None:
        self.accounts = accounts_

    def get(self, name: str) -> Account | None:
        return self.accounts.get(name)


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory: pytest.TempPathFactory) -> ArchiveAssistant:
    return build_assistant(Settings.for_tests(tmp_path_factory.mktemp("accounts_index")))  # hash embedder


@pytest.fixture
def role_permissions(tmp_path: Path) -> Permissions:
    path = _write_accounts(
        tmp_path / "users.txt",
        Account("xem", "viewer", hash_password(PASSWORD, FAST)),
        Account("bientap", "editor", hash_password(PASSWORD, FAST)),
    )
    return Permissions(AccountBook(path))


def _article(folder: Path, name: str, place: str) -> Path:
    path = folder / name
    path.write_text(
        f"Đoàn công tác thăm tỉnh {place}\n\n05/05/2021\n\nNgày 5/5/2021, đoàn công tác của Liên hiệp các "
        f"tổ chức hữu nghị đã thăm tỉnh {place} và làm việc với lãnh đạo tỉnh.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_handlers_enforce_roles_and_audit_uploads(
    empty_archive: ArchiveAssistant, role_permissions: Permissions, tmp_path: Path
) -> None:
    archive = ArchiveHandlers(empty_archive, role_permissions)
    db_dir = empty_archive.settings.db_dir
    page = _article(tmp_path, "tham_ha_giang.txt", "Hà Giang")

    refused = archive.upload([str(page)], user="xem")
    assert refused.rows == [] and "vai trò người xem, không được nạp bài vào kho" in refused.message
    assert refused.message.startswith("⚠️") and "biên tập viên" in refused.message
    assert empty_archive.catalog.stats()["articles"] == 0 and not (db_dir / "uploads").exists()
    assert read_audit(db_dir) == []
    assert "không còn quyền" in archive.upload([str(page)], user="daxoa").message
    assert "không còn quyền" in archive.upload([str(page)], user=None).message

    accepted = archive.upload([str(page)], user="bientap")
    assert accepted.rows[0][:3] == ["tham_ha_giang.txt", "tham_ha_giang", "đã lập chỉ mục"]
    assert empty_archive.catalog.stats()["articles"] == 1
    (line,) = read_audit(db_dir)
    assert {k: line[k] for k in ("user", "channel", "action", "article_id", "source")} == {
        "user": "bientap",
        "channel": "web",
        "action": "indexed",
        "article_id": "tham_ha_giang",
        "source": "tham_ha_giang.txt",
    }
    assert datetime.fromisoformat(str(line["time"])).tzinfo is not None
    assert archive.upload([str(page)], user="bientap").rows[0][2] == "không đổi"
    assert len(read_audit(db_dir)) == 1, "an unchanged file changes nothing, so it is not audited"

    # Asking and briefing: every role may, an account removed meanwhile may not.
    assert role_permissions.book is not None
    role_permissions.book.update(lambda file: file.remove("xem"))
    messages, _, _, box = list(ChatHandlers(empty_archive, role_permissions).ask("Ai?", None, user="xem"))[-1]
    assert "không còn quyền" in messages[-1]["content"] and box == "Ai?"
    briefing = BriefingHandlers(empty_archive, tmp_path / "exports", permissions=role_permissions)
    assert "không còn quyền" in briefing.make_briefing("Hà Giang", "", "", user="xem").preview


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_replacing_needs_the_editor_role_and_is_audited_with_versions(
    empty_archive: ArchiveAssistant, role_permissions: Permissions, tmp_path: Path
) -> None:
    archive = ArchiveHandlers(empty_archive, role_permissions)
    db_dir = empty_archive.settings.db_dir
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    first = _article(tmp_path / "1", "tham_cao_bang.txt", "Cao Bằng")
    changed = _article(tmp_path / "2", "tham_cao_bang.txt", "Cao Bằng và Bắc Kạn")
    assert archive.upload([str(first)], user="bientap").rows[0][2] == "đã lập chỉ mục"
    audited = len(read_audit(db_dir))

    viewer = archive.upload([str(changed)], user="xem", replace=True, can_replace=True)
    assert "vai trò người xem" in viewer.message and viewer.replacements == ()
    asked = archive.upload([str(changed)], user="bientap", replace=True, can_replace=True)
    assert [planned.article_id for planned in asked.replacements] == ["tham_cao_bang"]
    done = archive.upload(
        [str(changed)], user="bientap", replace=True, can_replace=True, confirmed_ids=["tham_cao_bang"]
    )
    assert done.rows[0][2] == "⚠ đã thay thế bài cũ", done.rows
    article = empty_archive.catalog.article("tham_cao_bang")
    assert article is not None and "Bắc Kạn" in article.text
    (line,) = read_audit(db_dir)[audited:]
    assert (line["user"], line["action"], line["article_id"]) == ("bientap", "replaced", "tham_cao_bang")
    assert (line["old_version"], line["new_version"]) == (1, 2)


def test_audit_log_is_append_only_jsonl(tmp_path: Path) -> None:
    report = IngestReport(
        files=[
            FileOutcome("/kho/uploads/a.txt", "a", "indexed"),
            FileOutcome("/kho/uploads/b.jsonl:3", "b-3", "updated"),
            FileOutcome("/kho/uploads/c.txt", None, "rejected", "hỏng"),
            FileOutcome("/kho/uploads/a.txt", "a", "unchanged"),
            FileOutcome("d", "d", "deleted", "tệp nguồn không còn"),
        ]
    )
    names = {"/kho/uploads/a.txt": "a.txt", "/kho/uploads/b.jsonl": "bài mới.jsonl"}
    entries = report_changes(report, "bientap", names)
    assert [(e.action, e.article_id, e.source) for e in entries] == [
        ("indexed", "a", "a.txt"),
        ("updated", "b-3", "bài mới.jsonl:3"),
        ("deleted", "d", "d"),
    ]
    assert append_audit(tmp_path, entries, now=datetime(2024, 5, 1, 9, 30)) == 3
    first = (tmp_path / "audit.jsonl").read_bytes()
    assert append_audit(tmp_path, [AuditEntry("qt", "deleted", "a", old_version=2)]) == 1
    assert append_audit(tmp_path, []) == 0
    after = (tmp_path / "audit.jsonl").read_bytes()
    assert after.startswith(first), "earlier lines are never rewritten"
    lines = [json.loads(line) for line in after.decode("utf-8").splitlines()]
    assert lines[0]["time"].startswith("2024-05-01T09:30:00") and lines[1]["source"] == "bài mới.jsonl:3"
    assert lines[3]["user"] == "qt" and lines[3]["old_version"] == 2
    assert "bài mới" in after.decode("utf-8"), "Vietnamese kept readable (not \\u escapes)"


def test_settings_map_onto_the_login_policy(tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path, login_max_failures=3, login_lockout_minutes=2)
    assert settings.login_policy() == LoginPolicy(3, 20, 120.0)


def test_decomposed_vietnamese_user_names_find_their_account(tmp_path: Path) -> None:
    """A keyboard that sends «hoàng» decomposed (o + combining grave) logs in as the NFC account."""
    clock = Clock()
    guard = _guard(tmp_path, clock, Account("hoàng", "editor", hash_password(PASSWORD, FAST)))
    decomposed = unicodedata.normalize("NFD", "hoàng")
    assert decomposed != "hoàng"
    assert guard.attempt(decomposed, PASSWORD, "10.0.0.1")
    assert permissions_for(guard).allows(decomposed, "upload")
