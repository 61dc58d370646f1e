"""Login checks: the password, a limit on guessing, a log line per attempt, and re-hashing old lines.

Before this, 300 wrong logins took 4.2 s and nothing noticed. Now every user name and every client
address may fail `max_failures_*` times; the next attempt is refused without even checking the password,
for `lockout_s` (a success clears the user's count, never the address's: owning one account must not
buy more guesses at others). An attempt counts as a failure from the moment it starts until its password
is found right, so many attempts sent at once cannot slip past the limit together. Unknown names are
limited like real ones and cost the same scrypt, so neither the answer nor its timing reveals which
names exist.

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
from dataclasses import dataclass, field

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

logger = logging.getLogger(__name__)

UNKNOWN_ADDRESS = "không rõ"
# The client address of the request being served; set by `access.LoginAddressMiddleware`, since Gradio
# calls the login check with the user name and the password only.
LOGIN_ADDRESS: ContextVar[str] = ContextVar("login_address", default=UNKNOWN_ADDRESS)
MAX_TRACKED_KEYS = 10_000  # past this, forgotten entries (no failure left, not locked) are dropped
MAX_LOGGED_NAME = 64


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures a user name and an address may have within `lockout_s` before they are
    locked out for `lockout_s`. An office behind one NAT address shares the address limit."""

    max_failures_per_user: int = 5
    max_failures_per_address: int = 20
    lockout_s: float = 15 * 60


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)  # finished failed attempts, oldest first
    pending: int = 0  # attempts started and not yet finished (counted as failures meanwhile)
    locked_until: float = 0.0


class LoginThrottle:
    """Failure counts and lockouts per user name and per address; `clock` is injectable for tests."""

    def __init__(self, policy: LoginPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self.clock = clock
        self._records: dict[tuple[str, str], _Record] = {}
        self._lock = threading.Lock()

    def begin(self, user: str, address: str) -> str | None:
        """Start an attempt, or say why it is refused ("người dùng" or "địa chỉ" locked out)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            keys = self._keys(user, address)
            for (kind, _), limit in zip(keys, self._limits(), strict=True):
                record = self._records.get((kind, _))
                if record is None:
                    continue
                if record.locked_until > now or len(record.failures) + record.pending >= limit:
                    return "người dùng" if kind == "user" else "địa chỉ"
            for key in keys:
                self._records.setdefault(key, _Record()).pending += 1
            return None

    def finish(self, user: str, address: str, success: bool) -> list[str]:
        """End an attempt started with `begin`; returns what got locked out by it (for the log)."""
        locked: list[str] = []
        with self._lock:
            now = self.clock()
            for key, limit in zip(self._keys(user, address), self._limits(), strict=True):
                record = self._records.setdefault(key, _Record())
                record.pending = max(record.pending - 1, 0)
                if success:
                    if key[0] == "user":
                        record.failures.clear()
                    continue
                record.failures.append(now)
                if len(record.failures) >= limit:
                    record.locked_until = now + self.policy.lockout_s
                    record.failures.clear()
                    locked.append("người dùng" if key[0] == "user" else "địa chỉ")
        return locked

    def _keys(self, user: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("user", unicodedata.normalize("NFC", user)), ("address", address)

    def _limits(self) -> tuple[int, int]:
        return self.policy.max_failures_per_user, self.policy.max_failures_per_address

    def _forget_old(self, now: float) -> None:
        """Failures older than the window no longer count; idle records are dropped when many."""
        horizon = now - self.policy.lockout_s
        for record in self._records.values():
            while record.failures and record.failures[0] <= horizon:
                record.failures.pop(0)
        if len(self._records) > MAX_TRACKED_KEYS:
            self._records = {
                key: record
                for key, record in self._records.items()
                if record.failures or record.pending or record.locked_until > now
            }


class LoginGuard:
    """The login check handed to Gradio: `guard(user, password) -> bool` (the address comes from
    `LOGIN_ADDRESS`), or `attempt(user, password, address)`."""

    def __init__(
        self,
        book: AccountBook,
        policy: LoginPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        params: ScryptParams = DEFAULT_SCRYPT,
    ) -> None:
        self.book = book
        self.policy = policy or LoginPolicy()
        self.throttle = LoginThrottle(self.policy, clock)
        self.params = params
        self._unknown_hash = hash_password("không có người dùng này", params)

    def __call__(self, user: str, password: str) -> bool:
        return self.attempt(user, password, LOGIN_ADDRESS.get())

    def attempt(self, user: str, password: str, address: str) -> bool:
        """Check one login; refused without checking while the user or the address is locked out."""
        user = unicodedata.normalize("NFC", user)  # some keyboards send decomposed Vietnamese letters
        shown = _loggable(user)
        refused = self.throttle.begin(user, address)
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


def _loggable(name: str) -> str:
    """A user name as typed, safe for one log line: control characters escaped, length capped."""
    cleaned = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)
    return cleaned[:MAX_LOGGED_NAME] + ("…" if len(cleaned) > MAX_LOGGED_NAME else "")
