"""Login guessing against the real app (issue 14 §5): how many wrong logins get checked, how fast, and
whether roles hold over the public API.

    python bench/login_rate.py [--attempts 300]

Starts `app.py` (hash embedder, a fresh index, a login file with a viewer and an editor, real scrypt
parameters) and, over HTTP from 127.0.0.1:
1. sends `--attempts` wrong passwords for the editor, one after another (the review's figure before this
   work: 300 in 4.2 s, all checked, nothing logged), then the right one;
2. sends `--attempts` wrong logins under ever new user names (password spraying from one address);
3. first of all, calls `/nap_kho` through gradio_client as the viewer (must be refused) and as the
   editor (must be ingested and appear in the audit log).
4. restarts the app over the same login file: the locked user and address must stay refused (the
   counts are in `<login file>.logins.sqlite3`, shared by processes).
Prints the figures: attempts, how many were checked (HTTP 400 after a password check) vs refused by the
lockout, seconds, attempts per second before the lockout.

Measured on two busy cores (load ~7): one user, 300 wrong logins -> 5 checked at 4.5/s (scrypt-bound),
295 refused unchecked (~20/s, HTTP-bound), the right password refused until the lockout ends; 300
sprayed names from one address -> 15 more checked (the address's 20), 285 refused, and every other user
from that address locked out too; viewer upload refused, editor upload indexed and audited; 20 "thất
bại" + 582 "bị chặn" + 2 "thành công" log lines, no password in the log.

With the counts in SQLite (2026-12-02, load 10-18): one user, 5 checked at 1.2/s, 295 refused at 8.1/s;
spraying, 15 checked at 1.9/s, 285 refused at 5.5/s; after the restart the editor's right password and
the other user from the locked address are still refused (HTTP 400). In-process, the SQLite bookkeeping
costs ~1.5 ms per checked attempt and ~0.1 ms per refused one, against scrypt's ~100 ms.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from assistant.web.accounts import Account, AccountFile, hash_password, write_account_file

ROOT = Path(__file__).resolve().parents[1]

PASSWORD = "mật khẩu thử nghiệm 2024"
logger = logging.getLogger("login_rate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=300)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="login_rate_") as folder:
        work = Path(folder)
        users = work / "users.txt"
        write_account_file(
            AccountFile(
                users,
                [
                    Account("xem", "viewer", hash_password(PASSWORD)),
                    Account("bientap", "editor", hash_password(PASSWORD)),
                ],
            )
        )
        port = _free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")}
        env.update(
            ARCHIVE_DB_DIR=str(work / "index"),
            ARCHIVE_EMBEDDING_MODE="hash",
            ARCHIVE_AUTH_FILE=str(users),
            HF_HUB_OFFLINE="1",
            GRADIO_ANALYTICS_ENABLED="False",
        )
        log_path = work / "app.log"
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
            )
            try:
                url = f"http://127.0.0.1:{port}"
                _wait(url, process, log_path)
                results: dict[str, object] = {"roles": _roles(url, work)}  # before the address is locked
                results["one_user"] = _guess(url, args.attempts, lambda n: "bientap", log_path)
                results["right_password_after_lockout"] = _login(url, "bientap", PASSWORD)
                results["spraying"] = _guess(url, args.attempts, lambda n: f"doan{n}", log_path)
                results["other_user_after_spraying"] = _login(url, "xem", PASSWORD)
            finally:
                process.terminate()
                process.wait(timeout=30)
        # 4. a restart (a second process over the same login file) still refuses both: the counts are
        # in <login file>.logins.sqlite3, not in the first process's memory.
        restart_log = work / "app_restarted.log"
        with restart_log.open("w", encoding="utf-8") as log:
            url = f"http://127.0.0.1:{_free_port()}"
            process = subprocess.Popen(
                [sys.executable, "app.py", "--port", url.rsplit(":", 1)[1]],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
            try:
                _wait(url, process, restart_log)
                results["right_password_after_restart"] = _login(url, "bientap", PASSWORD)
                results["other_user_after_restart"] = _login(url, "xem", PASSWORD)
            finally:
                process.terminate()
                process.wait(timeout=30)
        app_log = log_path.read_text(encoding="utf-8")
        results["log_lines"] = _log_counts(log_path)
        results["a_password_in_the_log"] = PASSWORD in app_log or "sai-1" in app_log
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"app.py exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            # The first-start progress page answers 503 on every path but its own until the app is up.
            if httpx.get(f"{url}/login_check", timeout=5).status_code != 503:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("app.py did not start")


def _login(url: str, user: str, password: str) -> int:
    return httpx.post(f"{url}/login", data={"username": user, "password": password}, timeout=30).status_code


def _guess(url: str, attempts: int, user_for: Callable[[int], str], log_path: Path) -> dict[str, object]:
    """Wrong logins one after another. The app log tells how many were checked (a password check, "thất
    bại") and how many the lockout refused unchecked ("bị chặn"); the checked ones come first."""
    before = _log_counts(log_path)
    durations: list[float] = []
    statuses: list[int] = []
    for number in range(attempts):
        start = time.perf_counter()
        statuses.append(_login(url, user_for(number), f"sai-{number}"))
        durations.append(time.perf_counter() - start)
    time.sleep(0.5)  # the log is written by another process
    after = _log_counts(log_path)
    checked = after["thất bại"] - before["thất bại"]
    refused = after["bị chặn"] - before["bị chặn"]
    return {
        "attempts": attempts,
        "accepted": statuses.count(200),
        "checked": checked,
        "refused_by_lockout": refused,
        "seconds": round(sum(durations), 2),
        "checked_per_second_before_lockout": round(checked / sum(durations[:checked]), 1)
        if checked
        else None,
        "refused_per_second_after": round(refused / sum(durations[checked:]), 1) if refused else None,
    }


def _log_counts(log_path: Path) -> dict[str, int]:
    text = log_path.read_text(encoding="utf-8")
    return {key: text.count(f"Đăng nhập {key}") for key in ("thất bại", "bị chặn", "thành công")}


def _roles(url: str, work: Path) -> dict[str, object]:
    from gradio_client import Client, handle_file

    page = work / "tham_ha_giang.txt"
    page.write_text(
        "Đoàn công tác thăm tỉnh Hà Giang\n\n05/05/2021\n\nNgày 5/5/2021, đoàn công tác của Liên hiệp các tổ "
        "chức hữu nghị đã thăm tỉnh Hà Giang.\n",
        encoding="utf-8",
    )
    outcome: dict[str, object] = {}
    for user in ("xem", "bientap"):
        client = Client(url, auth=(user, PASSWORD), verbose=False)
        rows, message, *_ = client.predict([handle_file(str(page))], False, api_name="/nap_kho")
        outcome[user] = {
            "message": message[:160],
            "rows": rows.get("data") if isinstance(rows, dict) else rows,
        }
    audit = work / "index" / "audit.jsonl"
    outcome["audit"] = audit.read_text(encoding="utf-8").splitlines() if audit.exists() else []
    return outcome


if __name__ == "__main__":
    sys.exit(main())
