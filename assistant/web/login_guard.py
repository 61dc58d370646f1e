"""Login checks: the password, a limit on guessing, a log line per attempt, and re-hashing old lines.

Before this, 300 wrong logins took 4.2 s and nothing noticed. Now every user name and every client
address may fail `max_failures_*` times; the next attempt is refused without even checking the password,
for `lockout_s` (a success clears the user's count, never the address's: owning one account must not
buy more guesses at others). An attempt counts as a failure from the moment it starts until its password
is found right, so many attempts sent at once cannot slip past the limit together. Unknown names are
limited like real ones and cost the same scrypt, so neither the answer nor its timing reveals which
names exist.

The counts live in a SQLite file beside the login file (`login_attempts_store`), so every app process
serving it and every restart see the same failures and lockouts; times are wall-clock seconds.

Each attempt is logged with the user name, the address and the outcome (the log line carries the time);
never the password. An account still in the first format (unsalted SHA-256) or with weaker scrypt
parameters than today's is re-hashed on its next successful login, the login file rewritten atomically,
and a warning logged.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from assistant.web.accounts import (
    DEFAULT_SCRYPT,
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    needs_rehash,
    verify_password,
)
from assistant.web.login_attempts_store import (
    PENDING_EXPIRY_S,
    Key,
    LoginAttemptsStore,
    LoginAttemptsStoreError,
    add_failure,
    add_pending,
    attempts_store_path,
    clear_failures,
    failure_count,
    forget_old,
    lock_out,
    locked_until,
    pending_count,
    remove_pending,
)

logger = logging.getLogger(__name__)

UNKNOWN_ADDRESS = "không rõ"
# The client address of the request being served; set by `access.LoginAddressMiddleware`, since Gradio
# calls the login check with the user name and the password only.
LOGIN_ADDRESS: ContextVar[str] = ContextVar("login_address", default=UNKNOWN_ADDRESS)
STORE_FAILED = "bộ đếm lần đăng nhập"  # `begin`'s refusal when the counts cannot be read or written
MAX_LOGGED_NAME = 64


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures a user name and an address may have within `lockout_s` before they are
    locked out for `lockout_s`. An office behind one NAT address shares the address limit."""

    max_failures_per_user: int = 5
    max_failures_per_address: int = 20
    lockout_s: float = 15 * 60


class LoginThrottle:
    """Failure counts and lockouts per user name and per address, kept in `LoginAttemptsStore` (a file
    shared by every process, or memory when `path` is None); `clock` (wall-clock seconds) is
    injectable for tests."""

    def __init__(
        self, policy: LoginPolicy, clock: Callable[[], float] = time.time, path: Path | None = None
    ) -> None:
        self.policy = policy
        self.clock = clock
        self.store = LoginAttemptsStore(path)
        # This process's pending rows per (user, address), oldest first: (user row, address row).
        self._pending: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._lock = threading.Lock()

    def begin(self, user: str, address: str) -> str | None:
        """Start an attempt, or say why it is refused ("người dùng" or "địa chỉ" locked out;
        `STORE_FAILED` when the counts cannot be read or written: refused rather than uncounted)."""
        keys = self._keys(user, address)
        try:
            with self.store.transaction() as conn:
                now = self.clock()
                forget_old(conn, now, self.policy.lockout_s)
                for key, limit in zip(keys, self._limits(), strict=True):
                    horizon = now - self.policy.lockout_s
                    in_flight = pending_count(conn, key, now - PENDING_EXPIRY_S)
                    if (
                        locked_until(conn, key) > now
                        or failure_count(conn, key, horizon) + in_flight >= limit
                    ):
                        return _what(key)
                rows = (add_pending(conn, keys[0], now), add_pending(conn, keys[1], now))
        except LoginAttemptsStoreError as exc:
            logger.error("%s", exc)
            return STORE_FAILED
        with self._lock:
            self._pending.setdefault((keys[0][1], address), []).append(rows)
        return None

    def finish(self, user: str, address: str, success: bool) -> list[str]:
        """End an attempt started with `begin`; returns what got locked out by it (for the log)."""
        keys = self._keys(user, address)
        with self._lock:
            started = self._pending.get((keys[0][1], address))
            rows = started.pop(0) if started else None
            if started == []:
                del self._pending[(keys[0][1], address)]
        locked: list[str] = []
        try:
            with self.store.transaction() as conn:
                now = self.clock()
                for row in rows or ():
                    remove_pending(conn, row)
                for key, limit in zip(keys, self._limits(), strict=True):
                    if success:
                        if key[0] == "user":
                            clear_failures(conn, key)
                        continue
                    add_failure(conn, key, now)
                    if failure_count(conn, key, now - self.policy.lockout_s) >= limit:
                        lock_out(conn, key, now + self.policy.lockout_s)
                        clear_failures(conn, key)
                        locked.append(_what(key))
        except LoginAttemptsStoreError as exc:
            logger.error("%s", exc)  # the pending rows expire after PENDING_EXPIRY_S
            return []
        return locked

    def _keys(self, user: str, address: str) -> tuple[Key, Key]:
        return ("user", unicodedata.normalize("NFC", user)), ("address", address)

    def _limits(self) -> tuple[int, int]:
        return self.policy.max_failures_per_user, self.policy.max_failures_per_address


def _what(key: Key) -> str:
    return "người dùng" if key[0] == "user" else "địa chỉ"


class LoginGuard:
    """The login check handed to Gradio: `guard(user, password) -> bool` (the address comes from
    `LOGIN_ADDRESS`), or `attempt(user, password, address)`."""

    def __init__(
        self,
        book: AccountBook,
        policy: LoginPolicy | None = None,
        *,
        clock: Callable[[], float] = time.time,
        params: ScryptParams = DEFAULT_SCRYPT,
        attempts_file: Path | None = None,
    ) -> None:
        self.book = book
        self.policy = policy or LoginPolicy()
        self.throttle = _throttle(self.policy, clock, attempts_file or attempts_store_path(book.path))
        self.params = params
        self._unknown_hash = hash_password("không có người dùng này", params)

    def __call__(self, user: str, password: str) -> bool:
        return self.attempt(user, password, LOGIN_ADDRESS.get())

    def attempt(self, user: str, password: str, address: str) -> bool:
        """Check one login; refused without checking while the user or the address is locked out."""
        user = unicodedata.normalize("NFC", user)  # some keyboards send decomposed Vietnamese letters
        shown = _loggable(user)
        refused = self.throttle.begin(user, address)
        if refused == STORE_FAILED:
            logger.warning(
                "Đăng nhập bị chặn: người dùng «%s», địa chỉ %s (không đọc hoặc ghi được %s).",
                shown,
                address,
                self.throttle.store.path,
            )
            return False
        if refused:
            logger.warning(
                "Đăng nhập bị chặn: người dùng «%s», địa chỉ %s (%s đang bị tạm khoá).",
                shown,
                address,
                refused,
            )
            return False
        success = False
        try:
            account = self.book.get(user)
            success = verify_password(password, account.password_hash if account else self._unknown_hash)
            success = success and account is not None
        finally:
            locked = self.throttle.finish(user, address, success)
        if success:
            logger.info("Đăng nhập thành công: người dùng «%s», địa chỉ %s.", shown, address)
        else:
            logger.warning("Đăng nhập thất bại: người dùng «%s», địa chỉ %s.", shown, address)
        for what in locked:
            logger.warning(
                "Tạm khoá đăng nhập %d phút cho %s «%s» sau quá nhiều lần sai.",
                round(self.policy.lockout_s / 60),
                what,
                shown if what == "người dùng" else address,
            )
        if success and account is not None and needs_rehash(account.password_hash, self.params):
            self._rehash(account, password)
        return success

    def _rehash(self, account: Account, password: str) -> None:
        """Replace an old-format or weaker hash with a scrypt one of today's parameters."""
        new_hash = hash_password(password, self.params)

        def replace(accounts: AccountFile) -> None:
            current = accounts.get(account.name)
            if current is not None and current.password_hash == account.password_hash:
                accounts.put(Account(account.name, current.role, new_hash))

        try:
            self.book.update(replace)
        except (OSError, ValueError) as exc:
            logger.error(
                "Không ghi lại được tệp đăng nhập %s để băm lại mật khẩu của «%s»: %s",
                self.book.path,
                _loggable(account.name),
                exc,
            )
            return
        logger.warning(
            "Tài khoản «%s» dùng dạng băm cũ (%s); đã băm lại bằng scrypt và ghi lại %s (vai trò %s).",
            _loggable(account.name),
            "sha256 không muối" if account.legacy else "scrypt với tham số yếu hơn",
            self.book.path,
            account.role,
        )


def _throttle(policy: LoginPolicy, clock: Callable[[], float], path: Path) -> LoginThrottle:
    """The throttle over the shared attempts file; if that cannot be opened (a read-only folder), one
    in this process's memory, with an error logged: the limits then hold per process only."""
    try:
        return LoginThrottle(policy, clock, path)
    except LoginAttemptsStoreError as exc:
        logger.error(
            "%s. Giới hạn đăng nhập sai chỉ được đếm trong tiến trình này cho tới khi khởi động lại.", exc
        )
        return LoginThrottle(policy, clock, None)


def _loggable(name: str) -> str:
    """A user name as typed, safe for one log line: control characters escaped, length capped."""
    cleaned = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)
    return cleaned[:MAX_LOGGED_NAME] + ("…" if len(cleaned) > MAX_LOGGED_NAME else "")
