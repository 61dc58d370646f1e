"""The page shown at the app's address while the sample archive loads on the first start.

Why a small server of its own and not a Gradio page: the Gradio app is built from what the archive holds
(example questions, filter choices, statistics), so it is built once the archive is loaded. Until then
this page answers on the same address: a progress bar that polls `/tien-do` every second, and once the
loading server has stopped and the real app answers, the page reloads itself into it. It shows only the
loading progress, never archive content, so it needs no login.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant.sample_archive_loading import StartupProgress

logger = logging.getLogger(__name__)

PROGRESS_PATH = "/tien-do"
PAGE_TITLE = "Trợ lý tra cứu lưu trữ: đang nạp kho mẫu"

LOADING_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937; }}
.bar {{ height: 1.2rem; background: #e5e7eb; border-radius: .6rem; overflow: hidden; }}
.bar > div {{ height: 100%; background: #2563eb; width: 0; transition: width .4s; }}
#trang-thai {{ margin-top: .8rem; }}
</style></head>
<body>
<h1>Trợ lý tra cứu lưu trữ</h1>
<p>Lần chạy đầu tiên: ứng dụng đang nạp kho mẫu (các bài báo trong <code>data/sample_archive/</code>).
Trang sẽ tự mở khi xong, bạn không cần tải lại.</p>
<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" id="thanh-tien-do"><div></div></div>
<p id="trang-thai">{status}</p>
<script>
const bar = document.querySelector('#thanh-tien-do'), fill = bar.firstElementChild;
const status = document.querySelector('#trang-thai');
async function poll() {{
  try {{
    const response = await fetch('{progress_path}', {{cache: 'no-store'}});
    const type = response.headers.get('content-type') || '';
    if (!response.ok || !type.includes('application/json')) {{ location.reload(); return; }}
    const progress = await response.json();
    fill.style.width = Math.round(progress.fraction * 100) + '%';
    bar.setAttribute('aria-valuenow', Math.round(progress.fraction * 100));
    status.textContent = progress.text;
  }} catch (error) {{
    status.textContent = 'Đang mở ứng dụng…';
  }}
  setTimeout(poll, 1000);
}}
setTimeout(poll, 1000);
</script>
</body></html>
"""


class AddressInUseError(Exception):
    """The app's port is taken (usually the app already runs); the message says what to do."""


def check_port_free(host: str, port: int) -> None:
    """Fail at once, in Vietnamese, when `host:port` is taken, before anything slow starts."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise AddressInUseError(
                f"Cổng {port} đang được dùng (có thể ứng dụng đã chạy ở cửa sổ khác: mở "
                f"http://127.0.0.1:{port}). Tắt chương trình kia hoặc chạy với --port khác."
            ) from exc


def progress_json(progress: StartupProgress) -> dict[str, Any]:
    snapshot = progress.snapshot()
    return {
        "phase": snapshot.phase,
        "done": snapshot.done,
        "total": snapshot.total,
        "fraction": round(snapshot.fraction, 3),
        "text": snapshot.as_text(),
    }


def _handler(progress: StartupProgress) -> type[BaseHTTPRequestHandler]:
    class LoadingPageHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] == PROGRESS_PATH:
                body = json.dumps(progress_json(progress), ensure_ascii=False).encode("utf-8")
                content_type = "application/json; charset=utf-8"
                status = 200
            else:
                # Every other path (the app's own /config, assets...) is "not yet": 503 with the page.
                page = LOADING_PAGE.format(
                    title=PAGE_TITLE, status=progress.snapshot().as_text(), progress_path=PROGRESS_PATH
                )
                body = page.encode("utf-8")
                content_type = "text/html; charset=utf-8"
                status = 200 if self.path.split("?")[0] == "/" else 503
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("loading page: " + format, *args)

    return LoadingPageHandler


@contextlib.contextmanager
def loading_page(host: str, port: int, progress: StartupProgress) -> Iterator[ThreadingHTTPServer]:
    """Serve the loading page on `host:port` while the block runs; the port is free again afterwards."""
    server = ThreadingHTTPServer((host, port), _handler(progress))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="loading-page", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
