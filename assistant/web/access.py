"""Who may use the app: optional login from `ARCHIVE_AUTH_FILE`; without it, localhost only."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def load_auth(path: Path | None) -> Callable[[str, str], bool] | None:
    """A Gradio auth callable from `user:sha256(password)` lines, or None when no file is configured."""
    if path is None:
        return None
    users: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        user, _, digest = line.strip().partition(":")
        if not user or len(digest) != 64:
            raise ValueError(f"Dòng {number} của {path} phải có dạng tên:sha256(mật khẩu).")
        users[user] = digest.lower()

    def check(user: str, password: str) -> bool:
        expected = users.get(user)
        actual = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return expected is not None and hmac.compare_digest(expected, actual)

    return check


def bind_address(requested: str, has_login: bool) -> str:
    if requested in LOCAL_HOSTS:
        logger.info("Ứng dụng chỉ nhận kết nối từ máy này (%s).", requested)
        return requested
    if not has_login:
        logger.warning(
            "Không có đăng nhập (ARCHIVE_AUTH_FILE): từ chối mở ra mạng %s, chỉ nhận kết nối từ 127.0.0.1.",
            requested,
        )
        return "127.0.0.1"
    return requested
