"""Who may use the app. Without a login file the app is reachable from this computer only; with
`ARCHIVE_AUTH_FILE` (lines `user:sha256hex(password)`) users log in and the app may listen on the network.

Only password hashes are stored; a login attempt is compared in constant time, and an unknown user costs
the same comparison as a known one, so timing does not reveal user names.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_DEFAULT = "127.0.0.1"
_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
_UNKNOWN_USER_DIGEST = hashlib.sha256(b"no such user").hexdigest()

AuthCheck = Callable[[str, str], bool]


class AuthFileError(ValueError):
    """The login file is missing or malformed (Vietnamese message naming the file and line)."""


def password_digest(password: str) -> str:
    """What the login file stores for a password: sha256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def load_auth(path: Path | None) -> AuthCheck | None:
    """A Gradio auth callable from the login file, or None when no file is configured."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise AuthFileError(f"Không đọc được tệp đăng nhập {path}: {exc.strerror or exc}.") from exc
    users: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        user, _, digest = entry.partition(":")
        if not user.strip() or not _DIGEST.fullmatch(digest.strip()):
            raise AuthFileError(
                f"Dòng {number} của {path} phải có dạng tên:sha256(mật khẩu) (64 chữ số hệ 16)."
            )
        users[user.strip()] = digest.strip().lower()
    if not users:
        raise AuthFileError(f"Tệp đăng nhập {path} không có người dùng nào.")

    def check(user: str, password: str) -> bool:
        expected = users.get(user, _UNKNOWN_USER_DIGEST)
        matches = hmac.compare_digest(expected, password_digest(password))
        return matches and user in users

    logger.info("Đăng nhập bật: %d người dùng từ %s.", len(users), path)
    return check


def bind_address(requested: str, has_login: bool) -> str:
    """The address to listen on: the requested one, except that without a login the app never opens
    to the network (it refuses, says so in the log, and binds to this computer only)."""
    if requested in LOCAL_HOSTS:
        if not has_login:
            logger.info("Chưa cấu hình đăng nhập: ứng dụng chỉ nhận kết nối từ máy này (%s).", requested)
        return requested
    if not has_login:
        logger.warning(
            "Từ chối mở ứng dụng ra mạng tại %s khi chưa cấu hình đăng nhập (ARCHIVE_AUTH_FILE); "
            "ứng dụng chỉ nhận kết nối từ máy này (%s).",
            requested,
            LOCAL_DEFAULT,
        )
        return LOCAL_DEFAULT
    logger.info("Ứng dụng nhận kết nối qua mạng tại %s, yêu cầu đăng nhập.", requested)
    return requested
