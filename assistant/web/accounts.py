"""Accounts of the web app: who may log in, with which role, and how their passwords are kept.

The login file (`ARCHIVE_AUTH_FILE`) holds one account per line, `name:role:scrypt$N$r$p$salt$hash`.
scrypt is memory-hard and in the standard library; every account has its own random salt, and the cost
parameters are written in the line so they can be raised later (an account whose line has weaker ones is
re-hashed at its next login). Lines of the first format, `name:sha256hex(password)` (unsalted, no role),
are still read so an existing file keeps working: such an account logs in once and is then re-hashed
(`login_guard`). Comments (#) and blank lines survive a rewrite. Every rewrite goes through
`update_account_file`: one writer at a time (a lock file beside it), a temporary file in the same folder
renamed over the old one with mode 0600, so neither a crash nor the running app ever sees half a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar, get_args

logger = logging.getLogger(__name__)

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS: dict[Role, str] = {"viewer": "người xem", "editor": "biên tập viên", "admin": "quản trị viên"}
# The first format had no roles, and every user could upload. Least privilege: an old account becomes a
# viewer; an admin gives it more with `python -m assistant users role NAME editor`.
LEGACY_ROLE: Role = "viewer"
SCHEME = "scrypt"
SALT_BYTES = 16
KEY_BYTES = 32
MAX_NAME_CHARS = 64
_NAME = re.compile(r"[\w.@-]+")
_LEGACY_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
MAX_SCRYPT_MEMORY = 1024**3  # a line asking for more is refused, not computed
T = TypeVar("T")


@dataclass(frozen=True)
class ScryptParams:
    """scrypt's cost: N (CPU and memory, a power of two), r (block size), p (parallelism). Memory is
    128·N·r bytes: 32 MiB with the defaults, about 0.1–0.2 s per hash on an office PC."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        return 128 * self.n * self.r * self.p + 1024 * 1024

    def weaker_than(self, other: ScryptParams) -> bool:
        return self.n < other.n or self.r < other.r or self.p < other.p


DEFAULT_SCRYPT = ScryptParams()


class AccountFileError(ValueError):
    """The login file is missing, unreadable or malformed (Vietnamese message naming file and line)."""


def hash_password(password: str, params: ScryptParams = DEFAULT_SCRYPT) -> str:
    """`scrypt$N$r$p$salt$key` (base64) for a password, with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, params)
    encoded = [base64.b64encode(value).decode("ascii") for value in (salt, key)]
    return "$".join([SCHEME, str(params.n), str(params.r), str(params.p), *encoded])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a stored hash (scrypt, or the first format's SHA-256 hex), compared in
    constant time. A malformed hash never matches."""
    if is_legacy_hash(stored):
        # Also pay for one scrypt, so an old-format account takes as long as any other.
        _scrypt(password, b"\0" * SALT_BYTES, DEFAULT_SCRYPT)
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, stored.lower())
    parsed = parse_scrypt_hash(stored)
    if parsed is None:
        return False
    params, salt, key = parsed
    return hmac.compare_digest(_scrypt(password, salt, params, len(key)), key)


def is_legacy_hash(stored: str) -> bool:
    """The first format: unsalted SHA-256 of the password, 64 hex digits."""
    return _LEGACY_DIGEST.fullmatch(stored) is not None


def parse_scrypt_hash(stored: str) -> tuple[ScryptParams, bytes, bytes] | None:
    """(params, salt, key) of a `scrypt$…` hash, or None when it is not one."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME or not all(part.isdigit() for part in parts[1:4]):
        return None
    n, r, p = (int(part) for part in parts[1:4])
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or 128 * n * r * p > MAX_SCRYPT_MEMORY:
        return None
    try:
        salt, key = (base64.b64decode(part, validate=True) for part in parts[4:])
    except binascii.Error:
        return None
    if len(salt) < 8 or len(key) < 16:
        return None
    return ScryptParams(n, r, p), salt, key


def needs_rehash(stored: str, params: ScryptParams = DEFAULT_SCRYPT) -> bool:
    """An old-format hash, or scrypt with weaker parameters than `params`."""
    parsed = parse_scrypt_hash(stored)
    return parsed is None or parsed[0].weaker_than(params)


def _scrypt(password: str, salt: bytes, params: ScryptParams, length: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(
        unicodedata.normalize("NFC", password).encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=length,
    )


def name_problem(name: str) -> str | None:
    """Why `name` cannot be an account name (Vietnamese), or None."""
    if not name:
        return "Tên người dùng không được để trống."
    if len(name) > MAX_NAME_CHARS:
        return f"Tên người dùng dài quá {MAX_NAME_CHARS} ký tự."
    if _NAME.fullmatch(name) is None:
        return (
            f"Tên «{name}» chỉ được gồm chữ, số và các dấu . _ - @ (không có khoảng trắng hay dấu hai chấm)."
        )
    return None


@dataclass(frozen=True)
class Account:
    """One line of the login file."""

    name: str
    role: Role
    password_hash: str

    @property
    def legacy(self) -> bool:
        return is_legacy_hash(self.password_hash)

    def line(self) -> str:
        if self.legacy:  # never written by this code, but kept verbatim when another line changes
            return f"{self.name}:{self.password_hash}"
        return f"{self.name}:{self.role}:{self.password_hash}"


@dataclass
class AccountFile:
    """The login file in memory: accounts and the comment/blank lines around them, in file order."""

    path: Path
    entries: list[str | Account] = field(default_factory=list)

    @property
    def accounts(self) -> dict[str, Account]:
        return {entry.name: entry for entry in self.entries if isinstance(entry, Account)}

    def get(self, name: str) -> Account | None:
        return self.accounts.get(name)

    def put(self, account: Account) -> None:
        """Replace the account's line in place, or append it."""
        for index, entry in enumerate(self.entries):
            if isinstance(entry, Account) and entry.name == account.name:
                self.entries[index] = account
                return
        self.entries.append(account)

    def remove(self, name: str) -> bool:
        kept = [entry for entry in self.entries if not (isinstance(entry, Account) and entry.name == name)]
        removed = len(kept) != len(self.entries)
        self.entries = kept
        return removed

    def text(self) -> str:
        return "".join(f"{entry.line() if isinstance(entry, Account) else entry}\n" for entry in self.entries)


def read_account_file(path: Path, *, missing_ok: bool = False) -> AccountFile:
    """Parse the login file; a malformed line raises `AccountFileError` naming it."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        if missing_ok:
            return AccountFile(path)
        raise AccountFileError(f"Không tìm thấy tệp đăng nhập {path}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountFileError(f"Không đọc được tệp đăng nhập {path}: {exc}.") from exc
    parsed = AccountFile(path)
    for number, line in enumerate(lines, 1):
        entry = unicodedata.normalize("NFC", line.strip())
        if not entry or entry.startswith("#"):
            parsed.entries.append(line.rstrip())
            continue
        account = _parse_line(entry)
        if account is None:
            raise AccountFileError(
                f"Dòng {number} của {path} phải có dạng tên:vai_trò:scrypt$… (tạo bằng "
                "«python -m assistant users add TÊN») hoặc dạng cũ tên:sha256(mật khẩu) (64 chữ số hệ 16)."
            )
        if account.name in parsed.accounts:
            raise AccountFileError(
                f"Dòng {number} của {path}: người dùng «{account.name}» đã có ở dòng trước."
            )
        parsed.entries.append(account)
    return parsed


def _parse_line(entry: str) -> Account | None:
    fields = [part.strip() for part in entry.split(":")]
    if len(fields) == 2 and name_problem(fields[0]) is None and is_legacy_hash(fields[1]):
        return Account(fields[0], LEGACY_ROLE, fields[1].lower())
    if len(fields) != 3 or name_problem(fields[0]) is not None or fields[1] not in ROLES:
        return None
    if parse_scrypt_hash(fields[2]) is None:
        return None
    role: Role = next(role for role in ROLES if role == fields[1])
    return Account(fields[0], role, fields[2])


def update_account_file(path: Path, change: Callable[[AccountFile], T]) -> T:
    """Read the file (empty when absent), apply `change`, write it back atomically; one writer at a
    time. Returns what `change` returned."""
    with _writer_lock(path):
        accounts = read_account_file(path, missing_ok=True)
        result = change(accounts)
        write_account_file(accounts)
        return result


def write_account_file(accounts: AccountFile) -> None:
    """Temporary file (mode 0600) in the same folder, flushed to disk, renamed over the old file."""
    path = accounts.path
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(accounts.text())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `.<name>.lock` beside the file (POSIX; elsewhere nothing to lock with)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


class AccountBook:
    """The login file as the running app sees it: re-read whenever it changes on disk (the `users`
    command may add, change or remove accounts while the app runs; a removed account loses its rights
    at its next request). A file broken by a hand edit keeps the last good version, with an error logged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._accounts: dict[str, Account] = {}
        self._reload()
        if not self._accounts:
            raise AccountFileError(
                f"Tệp đăng nhập {path} không có người dùng nào; thêm bằng «python -m assistant users add TÊN»."
            )

    def get(self, name: str) -> Account | None:
        self._reload()
        return self._accounts.get(name)

    def names(self) -> list[str]:
        self._reload()
        return sorted(self._accounts)

    def update(self, change: Callable[[AccountFile], T]) -> T:
        result = update_account_file(self.path, change)
        self._reload()
        return result

    def _reload(self) -> None:
        try:
            status = self.path.stat()
        except OSError as exc:
            if self._stamp is None:
                raise AccountFileError(f"Không đọc được tệp đăng nhập {self.path}: {exc.strerror}.") from exc
            logger.error("Không đọc được tệp đăng nhập %s (%s); dùng danh sách đã nạp.", self.path, exc)
            return
        stamp = (status.st_ino, status.st_mtime_ns, status.st_size)
        if stamp == self._stamp:
            return
        try:
            accounts = read_account_file(self.path).accounts
        except AccountFileError:
            if self._stamp is None:
                raise
            logger.exception("Tệp đăng nhập %s bị lỗi; dùng danh sách đã nạp trước đó.", self.path)
            return
        self._stamp, self._accounts = stamp, accounts
        legacy = sorted(name for name, account in accounts.items() if account.legacy)
        if legacy:
            logger.warning(
                "Tệp đăng nhập %s còn %d tài khoản dạng cũ (sha256 không muối: %s); mỗi tài khoản được "
                "băm lại bằng scrypt khi đăng nhập thành công lần tới, với vai trò %s.",
                self.path,
                len(legacy),
                ", ".join(legacy),
                LEGACY_ROLE,
            )
