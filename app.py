"""Starts the web app: `python app.py [--host H] [--port P]` (the sample archive is ingested on first start).

On the first start the sample archive loads in the background while a progress page answers at the app's
address (`assistant/web/startup_progress.py`); the Gradio app is built once the archive holds the samples.
`--steps` (from `scripts/run.sh`) prints the numbered steps 3 and 4 and keeps the log in `logs/app.log`.

Without a login file (ARCHIVE_AUTH_FILE) the app listens on this computer only, whatever --host says.
With one, users log in (accounts and roles: `python -m assistant users`), wrong logins are limited and
logged, and each handler checks the user's role.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: no telemetry, no version check
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.run_steps import browser_address, configure_logging, print_step
from assistant.sample_archive_loading import (
    StartupProgress,
    needs_sample_archive,
    print_to_terminal,
    start_loading,
)
from assistant.settings import PROJECT_ROOT, Settings
from assistant.web.access import AuthFileError, bind_address, gradio_login, load_auth, permissions_for
from assistant.web.content_policy import with_content_policy
from assistant.web.gradio_strings import vietnamese_gradio_strings
from assistant.web.layout import TITLE, build_ui
from assistant.web.page_assets import CSS
from assistant.web.startup_progress import AddressInUseError, check_port_free, loading_page
from vectorstore.background_embedding import start_background_embedding
from vectorstore.index_errors import ArchiveIndexError

logger = logging.getLogger("app")


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=TITLE)
    parser.add_argument("--host", default=settings.host, help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    parser.add_argument("--port", type=int, default=settings.port, help="cổng (mặc định 7860)")
    parser.add_argument("--steps", action="store_true", help="in các bước khởi động (scripts/run.sh)")
    args = parser.parse_args()
    log_file = configure_logging(args.steps, PROJECT_ROOT / "logs")
    try:
        auth = load_auth(settings.auth_file, settings.login_policy())
    except AuthFileError as exc:
        raise SystemExit(str(exc)) from exc
    host = bind_address(args.host, has_login=auth is not None)
    address = browser_address(host, args.port)
    try:
        check_port_free(host, args.port)
    except AddressInUseError as exc:
        raise SystemExit(f"Lỗi: {exc}") from exc
    try:
        assistant = build_assistant(settings)
        first_start = needs_sample_archive(assistant)
    except ArchiveIndexError as exc:  # damaged index, full disk, other model: say what to do, no traceback
        raise SystemExit(f"Lỗi: {exc}") from exc
    if first_start:
        progress = StartupProgress()
        if args.steps:
            print_step(3, f"Nạp kho mẫu (lần chạy đầu). Mở được ngay {address} để xem tiến độ:")
            progress.subscribe(print_to_terminal())
        start_loading(assistant, progress)
        with loading_page(host, args.port, progress):
            progress.wait()
    elif args.steps:
        print_step(3, f"Kho lưu trữ: {assistant.index.store.counts()['articles']} bài, đã nạp từ trước.")
    threading.Thread(target=_warm_up, args=(assistant,), name="warm-up", daemon=True).start()
    start_background_embedding(assistant.index)  # vectors for articles stored without them (lexical-first)
    demo = build_ui(assistant, permissions_for(auth)).queue(default_concurrency_limit=2)
    demo.launch(
        server_name=host,
        server_port=args.port,
        # auth, the middleware that gives the login check the address, and the Content-Security-Policy
        **with_content_policy(gradio_login(auth)),
        auth_message=(
            "Đăng nhập để dùng Trợ lý tra cứu lưu trữ. Sau "
            f"{settings.login_max_failures} lần nhập sai, tên đăng nhập bị tạm khoá "
            f"{settings.login_lockout_minutes:g} phút."
        ),
        css=CSS,
        i18n=vietnamese_gradio_strings(),  # Gradio's own labels (👍 / 👎…) in Vietnamese in any browser
        show_error=False,  # users see Vietnamese messages from the handlers, never tracebacks
        footer_links=[],
        run_history=False,  # questions are not kept in the browser of a shared office computer
        ssr_mode=False,
        enable_monitoring=False,
        mcp_server=False,
        # A hard cap for the server; the upload handler checks the real limit with a Vietnamese message.
        max_file_size=int(settings.max_upload_mb * 4 * 1024 * 1024),
        quiet=args.steps,  # the steps say where to go; Gradio's own banner would repeat it
        prevent_thread_lock=True,
    )
    if args.steps:
        print_step(4, f"Sẵn sàng: mở {address} trong trình duyệt. Dừng: Ctrl+C. Nhật ký: {log_file}")
    demo.block_thread()


def _warm_up(assistant: ArchiveAssistant) -> None:
    """Background loading; a failure here is only logged: the first question reports it properly."""
    try:
        assistant.warm_up()
    except Exception:  # never kill the server from the warm-up thread
        logger.exception("Warm-up failed")


if __name__ == "__main__":
    main()
