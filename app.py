"""Starts the web app: `python app.py [--host H] [--port P]` (sample archive ingested on first start)."""

from __future__ import annotations

import argparse
import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.access import bind_address, load_auth
from assistant.web.layout import CSS, build_ui
from ingest.pipeline import run_ingest

logger = logging.getLogger("app")


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description="Trợ lý tra cứu lưu trữ")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    assistant = build_assistant(settings)
    if assistant.index.store.counts()["articles"] == 0 and settings.sample_archive_dir.exists():
        logger.info("Kho trống: nạp kho mẫu %s", settings.sample_archive_dir)
        run_ingest([settings.sample_archive_dir], settings, index=assistant.index)
    auth = load_auth(settings.auth_file)
    host = bind_address(args.host, auth is not None)
    build_ui(assistant).queue(default_concurrency_limit=8).launch(
        server_name=host, server_port=args.port, auth=auth, css=CSS, show_error=False, footer_links=[]
    )


if __name__ == "__main__":
    main()
