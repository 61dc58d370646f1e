"""`scripts/run.sh` and `scripts/setup_env.sh` (issue 16 §5): numbered Vietnamese steps, pip's output in
logs/install.log (named, with its last lines, when the install fails), and no pip run on a warm start.

The scripts run for real in a copy of the project whose `python3` is a stand-in that records its calls
(creating `.venv`, pip, `app.py`), so the test needs neither the network nor minutes of installing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >>"$FAKE_CALLS"
case "$1 ${2:-}" in
  "--version "*) echo "Python 3.11.9" ;;
  "-m venv") mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  "-m pip")
    echo "Collecting torch==2.13.0 (pip noise)"
    if [ -n "${FAKE_PIP_SLOW:-}" ]; then echo "Collecting sympy"; sleep 3; fi
    if [ -n "${FAKE_PIP_FAILS:-}" ]; then echo "ERROR: No matching distribution found"; exit 1; fi ;;
  "app.py "*) echo "APP STARTED: $*" ;;
  *) echo "unexpected call: $*" >&2; exit 3 ;;
esac
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    (copy / "scripts").mkdir(parents=True)
    for name in ("run.sh", "setup_env.sh"):
        shutil.copy(ROOT / "scripts" / name, copy / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    return copy


def _run(project: Path, script: str = "bash scripts/run.sh", **env: str) -> subprocess.CompletedProcess[str]:
    calls = project.parent / "calls.log"
    calls.write_text("", encoding="utf-8")
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHON": str(project.parent / "bin" / "python3"),
        "FAKE_CALLS": str(calls),
        **env,
    }
    return subprocess.run(
        ["bash", "-c", script], cwd=project, env=environment, capture_output=True, text=True, timeout=60
    )


def _calls(project: Path) -> list[str]:
    return (project.parent / "calls.log").read_text(encoding="utf-8").splitlines()


def test_first_run_prints_the_steps_and_keeps_pip_in_the_log(project: Path) -> None:
    result = _run(project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "[1/4] Môi trường: tạo .venv bằng Python 3.11.9."
    assert lines[1].startswith(
        "[2/4] Thư viện: đang cài (lần đầu mất vài phút; chi tiết ghi vào logs/install.log)"
    )
    assert lines[2] == "APP STARTED: app.py --steps"  # the app prints steps 3 and 4
    assert "pip noise" not in result.stdout + result.stderr
    assert "pip noise" in (project / "logs" / "install.log").read_text(encoding="utf-8")
    pip_calls = [call for call in _calls(project) if call.startswith("-m pip install")]
    assert pip_calls == [
        "-m pip install --disable-pip-version-check torch==2.13.0",
        "-m pip install --disable-pip-version-check -e .",
    ]


def test_warm_start_skips_the_install_until_pyproject_changes(project: Path) -> None:
    assert _run(project).returncode == 0
    warm = _run(project, "bash scripts/run.sh --port 7000")
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.splitlines()[:2] == [
        "[1/4] Môi trường: dùng .venv có sẵn (Python 3.11.9).",
        "[2/4] Thư viện: đã cài đủ, bỏ qua bước cài.",
    ]
    assert not [call for call in _calls(project) if "pip" in call]
    assert "APP STARTED: app.py --steps --port 7000" in warm.stdout
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a new dependency\n")
    changed = _run(project)
    assert "[2/4] Thư viện: đang cài" in changed.stdout
    assert len([call for call in _calls(project) if "pip install" in call]) == 2


def test_test_extras_cover_the_app_but_not_the_other_way(project: Path) -> None:
    """test.sh sources setup_env.sh with [test] (silently); the app's warm start then needs no pip."""
    as_tests = _run(project, 'EXTRAS="[test]" source scripts/setup_env.sh && echo "HF=$HF_HUB_OFFLINE"')
    assert as_tests.returncode == 0, as_tests.stderr
    assert as_tests.stdout.splitlines() == ["HF=1"]  # no steps printed for the tests
    assert "-m pip install --disable-pip-version-check -e .[test]" in _calls(project)
    assert "đã cài đủ" in _run(project).stdout
    (project / ".venv" / "install-stamp").write_text("", encoding="utf-8")
    assert _run(project).returncode == 0  # only "" stamped now
    again = _run(project, 'EXTRAS="[test]" source scripts/setup_env.sh')
    assert "-m pip install --disable-pip-version-check -e .[test]" in _calls(project), again.stderr


def test_a_failed_install_points_to_its_log_and_stops(project: Path) -> None:
    result = _run(project, FAKE_PIP_FAILS="1")
    assert result.returncode == 1
    assert "Lỗi: cài torch==2.13.0 thất bại. Xem nhật ký cài đặt: logs/install.log" in result.stderr
    assert "ERROR: No matching distribution found" in result.stderr  # its last lines are shown
    assert "APP STARTED" not in result.stdout
    assert not (project / ".venv" / "install-stamp").exists()  # the next run tries again
    assert "[2/4] Thư viện: đang cài" in _run(project).stdout


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux's `script` for a terminal")
def test_on_a_terminal_the_install_shows_a_package_count(project: Path) -> None:
    """A newcomer's terminal sees the install move (no pip output, a count redrawn in place)."""
    result = _run(project, "script -qec 'bash scripts/run.sh' /dev/null", FAKE_PIP_SLOW="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "      đã xử lý 2 gói…" in result.stdout  # text mode turns its \r into a new line
    assert "pip noise" not in result.stdout and "APP STARTED: app.py --steps" in result.stdout
