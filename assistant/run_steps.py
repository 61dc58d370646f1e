"""The numbered steps `scripts/run.sh` prints for a newcomer; the app prints the last two.

`scripts/run.sh` prints steps 1 (environment) and 2 (install) itself and starts `app.py --steps`, which
prints 3 (the archive, with a progress bar on the first start) and 4 (the address to open). With `--steps`
the app's log goes to `logs/app.log` and the terminal shows only the steps and warnings, so the address
is not lost among library messages.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

STEP_COUNT = 4
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def step_line(number: int, text: str) -> str:
    """`[3/4] text`, the same form as the shell's steps."""
    return f"[{number}/{STEP_COUNT}] {text}"


def print_step(number: int, text: str, stream: TextIO = sys.stdout) -> None:
    stream.write(step_line(number, text) + "\n")
    stream.flush()


def browser_address(host: str, port: int) -> str:
    """The address a person types: an all-interfaces bind is opened on this computer as 127.0.0.1."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}"


def configure_logging(steps: bool, log_dir: Path) -> Path | None:
    """Without `--steps`: INFO to the terminal, as before. With it: INFO to `log_dir/app.log`, only
    warnings to the terminal; returns the log file then."""
    if not steps:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
        return None
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "app.log"
    to_file = logging.FileHandler(log_file, encoding="utf-8")
    to_file.setLevel(logging.INFO)
    to_terminal = logging.StreamHandler()
    to_terminal.setLevel(logging.WARNING)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, handlers=[to_file, to_terminal])
    return log_file
