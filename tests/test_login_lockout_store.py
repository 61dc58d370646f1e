"""Login failure counts and lockouts shared by processes and kept across restarts (issue 14 §5).

Each app process used to count on its own, so N processes (or a restart) granted N fresh sets of
guesses. These tests hold two throttles or guards over one attempts file, real processes racing for the
last guesses, a lockout surviving a new guard, and pending rows of a killed process expiring.
"""

from __future__ import annotations

import multiprocessing
import stat
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import pytest

from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    write_account_file,
)
from assistant.web.login_attempts_store import PENDING_EXPIRY_S, attempts_store_path
from assistant.web.login_guard import STORE_FAILED, LoginGuard, LoginPolicy, LoginThrottle

FAST = ScryptParams(n=2**8, r=8, p=1)
PASSWORD = "mật khẩu đúng 2024"
POLICY = LoginPolicy(max_failures_per_user=5, max_failures_per_address=20, lockout_s=15 * 60)


class Clock:
    """A hand-moved wall clock."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _login_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.txt"
    write_account_file(AccountFile(path, [Account("canbo", "editor", hash_password(PASSWORD, FAST))]))
    return path


def _guard(login_file: Path, clock: Clock) -> LoginGuard:
    return LoginGuard(AccountBook(login_file), POLICY, clock=clock, params=FAST)


def test_counts_live_in_a_private_file_beside_the_login_file(tmp_path: Path) -> None:
    login_file = _login_file(tmp_path)
    guard = _guard(login_file, Clock())
    assert not guard.attempt("canbo", "sai", "10.0.0.1")
    store = attempts_store_path(login_file)
    assert store == tmp_path / "users.txt.logins.sqlite3"
    assert guard.throttle.store.path == store
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert PASSWORD not in store.read_bytes().decode("utf-8", "replace")


def test_two_guards_over_one_login_file_share_the_count(tmp_path: Path) -> None:
    """Two app processes behind one proxy: 3 failures on one and 2 on the other make 5, not 3 and 2."""
    login_file, clock = _login_file(tmp_path), Clock()
    first, second = _guard(login_file, clock), _guard(login_file, clock)
    for _ in range(3):
        assert not first.attempt("canbo", "sai", "10.0.0.1")
    for _ in range(2):
        assert not second.attempt("canbo", "sai", "10.0.0.2")
    assert not first.attempt("canbo", PASSWORD, "10.0.0.3"), "locked out on the first process"
    assert not second.attempt("canbo", PASSWORD, "10.0.0.3"), "and on the second"
    clock.now += POLICY.lockout_s + 1
    assert second.attempt("canbo", PASSWORD, "10.0.0.3")
    # A success on one process clears the user's count for both.
    for _ in range(4):
        assert not first.attempt("canbo", "sai", "10.0.0.4")
    assert second.attempt("canbo", PASSWORD, "10.0.0.4")
    for _ in range(4):
        assert not first.attempt("canbo", "sai", "10.0.0.5")
    assert first.attempt("canbo", PASSWORD, "10.0.0.5"), "4 + 4 failures with a success between"


def test_a_restart_keeps_a_lockout(tmp_path: Path) -> None:
    login_file, clock = _login_file(tmp_path), Clock()
    before = _guard(login_file, clock)
    for _ in range(POLICY.max_failures_per_user):
        assert not before.attempt("canbo", "sai", "10.0.0.1")
    before.throttle.store.close()  # the process ends
    clock.now += 60
    after = _guard(login_file, clock)
    assert not after.attempt("canbo", PASSWORD, "10.0.0.2"), "still locked out after the restart"
    clock.now += POLICY.lockout_s
    assert after.attempt("canbo", PASSWORD, "10.0.0.2"), "the lockout ends at its time"


def test_address_counts_are_shared_too(tmp_path: Path) -> None:
    login_file, clock = _login_file(tmp_path), Clock()
    guards = [_guard(login_file, clock) for _ in range(4)]
    for number in range(POLICY.max_failures_per_address):
        assert not guards[number % 4].attempt(f"doan{number}", "sai", "10.0.0.9")
    assert not guards[0].attempt("canbo", PASSWORD, "10.0.0.9"), "the address is locked out everywhere"
    assert guards[1].attempt("canbo", PASSWORD, "10.0.0.10")


def test_pending_rows_of_a_killed_process_expire(tmp_path: Path) -> None:
    """Attempts that started and never finished count while they could still be running; once they are
    older than PENDING_EXPIRY_S they no longer block the account."""
    path, clock = tmp_path / "attempts.sqlite3", Clock()
    killed = LoginThrottle(POLICY, clock, path)
    assert [killed.begin("canbo", "10.0.0.1") for _ in range(5)] == [None] * 5
    del killed  # no finish: the process was killed mid-check
    survivor = LoginThrottle(POLICY, clock, path)
    assert survivor.begin("canbo", "10.0.0.2") == "người dùng", "in flight: counted as failures"
    clock.now += PENDING_EXPIRY_S - 1
    assert survivor.begin("canbo", "10.0.0.2") == "người dùng"
    clock.now += 2
    assert survivor.begin("canbo", "10.0.0.2") is None, "stale pending rows are ignored"
    assert survivor.finish("canbo", "10.0.0.2", success=False) == []


def test_finished_attempts_release_their_own_pending_rows(tmp_path: Path) -> None:
    path, clock = tmp_path / "attempts.sqlite3", Clock()
    first, second = LoginThrottle(POLICY, clock, path), LoginThrottle(POLICY, clock, path)
    assert first.begin("canbo", "10.0.0.1") is None
    assert second.begin("canbo", "10.0.0.1") is None
    assert first.finish("canbo", "10.0.0.1", success=True) == []
    assert second.finish("canbo", "10.0.0.1", success=True) == []
    rows = first.store._conn.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
    assert rows == 0


def test_an_unreadable_store_refuses_rather_than_lets_guesses_through(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    login_file = _login_file(tmp_path)
    guard = _guard(login_file, Clock())
    guard.throttle.store.close()
    assert guard.throttle.begin("canbo", "10.0.0.1") == STORE_FAILED
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.1")
    assert any("không đọc hoặc ghi được" in record.getMessage() for record in caplog.records)


def _race(path: Path, start: EventType, attempts: int, results: multiprocessing.Queue[int]) -> None:
    """One app process: begin `attempts` logins for the same user at once, never finishing them."""
    throttle = LoginThrottle(POLICY, path=path)
    start.wait(timeout=30)
    results.put(sum(throttle.begin("canbo", f"10.0.2.{n}") is None for n in range(attempts)))


def test_processes_racing_for_the_last_guesses_get_five_in_all(tmp_path: Path) -> None:
    """Four real processes start 4 attempts each at the same moment: only 5 of the 16 may go ahead."""
    context = multiprocessing.get_context("spawn")
    path = tmp_path / "attempts.sqlite3"
    LoginThrottle(POLICY, path=path).store.close()  # the schema exists before the race
    start, results = context.Event(), context.Queue()
    processes = [context.Process(target=_race, args=(path, start, 4, results)) for _ in range(4)]
    for process in processes:
        process.start()
    start.set()
    allowed = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert sum(allowed) == POLICY.max_failures_per_user, allowed


def test_a_store_that_cannot_be_opened_falls_back_to_this_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A login file in a read-only folder must not stop the app: the limits then hold per process,
    and the log says so."""
    unusable = tmp_path / "a-folder"
    unusable.mkdir()
    guard = LoginGuard(
        AccountBook(_login_file(tmp_path)), POLICY, clock=Clock(), params=FAST, attempts_file=unusable
    )
    assert guard.throttle.store.path is None
    assert any("chỉ được đếm trong tiến trình này" in record.getMessage() for record in caplog.records)
    for _ in range(POLICY.max_failures_per_user):
        assert not guard.attempt("canbo", "sai", "10.0.0.1")
    assert not guard.attempt("canbo", PASSWORD, "10.0.0.1"), "still limited, in memory"
