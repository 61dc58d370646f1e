"""`python -m tests.held_first_start RELEASE_FILE [app.py arguments]`: the real `app.py`, whose first-start
loading stops at the end of reading (the bar at 30 %, «Đã đọc N tệp; đang lập chỉ mục…») and goes on only
once RELEASE_FILE exists.

Why: the browser test must see the loading page's bar move before the page turns into the app. Left free,
loading on the hash embedder can finish before the page's first poll (one second after it opens), and the
test then reads a page that has already become the app. Holding the loading at a fixed point makes what
the page shows depend on the test, not on the machine's speed. Everything else is the real app: the
loading page, its polling, the hand-over to Gradio. The hold ends by itself after HOLD_LIMIT_SECONDS, so
a failed test never leaves an app that waits forever.
"""

from __future__ import annotations

import logging
import runpy
import sys
import time
from pathlib import Path

from assistant.sample_archive_loading import ProgressSnapshot, StartupProgress

logger = logging.getLogger(__name__)

APP = Path(__file__).resolve().parents[1] / "app.py"
HOLD_LIMIT_SECONDS = 180.0


def hold_at_indexing(release: Path) -> None:
    """Patch `StartupProgress.update` so that the first indexing snapshot (reading done) is published,
    then the loading thread waits for `release` to exist before it goes on."""
    original = StartupProgress.update
    held: list[bool] = []

    def update(self: StartupProgress, snapshot: ProgressSnapshot) -> None:
        original(self, snapshot)
        if snapshot.phase != "indexing" or held:
            return
        held.append(True)
        logger.info("loading held at %s until %s exists", snapshot.as_text(), release)
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    StartupProgress.update = update  # type: ignore[method-assign]


def main() -> None:
    release = Path(sys.argv[1])
    hold_at_indexing(release)
    sys.argv = [str(APP), *sys.argv[2:]]
    runpy.run_path(str(APP), run_name="__main__")


if __name__ == "__main__":
    main()
