"""Archive changes made from the command line are audited like web uploads (issue 14 §5).

Only web uploads used to reach `audit.jsonl`: `python -m ingest PATH`, `ingest delete` and `ingest
restore` changed the archive without a trace. The CLI runs here as the user would run it (subprocesses,
hash embedder, offline), with a known OS login name, and the audit log is read back.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.report import FileOutcome, IngestReport
from tests.conftest import ROOT, SAMPLE_ARCHIVE
from vectorstore.audit_log import cli_user, ingest_changes, read_audit

FIRST, SECOND = "001_9a84a7000a87e853", "003_4d6faa8e32c1a029"
LOGIN_NAME = "nhanvien_luutru"

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARCHIVE_")}
    env.update(
        ARCHIVE_DB_DIR=str(db),
        ARCHIVE_EMBEDDING_MODE="hash",
        ARCHIVE_LLM_MODE="none",
        HF_HUB_OFFLINE="1",
        LOGNAME=LOGIN_NAME,  # getpass.getuser() reads LOGNAME first
    )
    done = subprocess.run(
        [sys.executable, "-m", "ingest", *args, "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def _entries(db: Path) -> list[dict[str, object]]:
    return [{k: v for k, v in entry.items() if k != "time"} for entry in read_audit(db)]


@pytest.mark.slow  # eight CLI subprocesses
def test_ingest_delete_and_restore_from_the_command_line_are_audited(tmp_path: Path) -> None:
    folder, db = tmp_path / "nguon", tmp_path / "index"
    folder.mkdir()
    for article_id in (FIRST, SECOND):
        shutil.copy(SAMPLE_ARCHIVE / f"{article_id}.txt", folder / f"{article_id}.txt")
    user = f"cli:{LOGIN_NAME}"

    _cli(db, str(folder))
    added = read_audit(db)
    assert _entries(db) == [
        {
            "user": user,
            "action": "indexed",
            "article_id": article_id,
            "source": str(folder / f"{article_id}.txt"),
            "old_version": None,
            "new_version": 1,
            "channel": "cli",
        }
        for article_id in (FIRST, SECOND)
    ]
    assert all(str(entry["time"])[:4].isdigit() and "T" in str(entry["time"]) for entry in added)

    _cli(db, str(folder))  # nothing changed: nothing to audit
    assert len(read_audit(db)) == 2

    changed = folder / f"{FIRST}.txt"
    text = changed.read_text(encoding="utf-8")
    assert "Các đại biểu tham dự Hội nghị" in text
    changed.write_text(text.replace("Các đại biểu tham dự Hội nghị", "Các đại biểu dự Hội nghị"), "utf-8")
    _cli(db, str(folder))
    assert _entries(db)[2:] == [
        {
            "user": user,
            "action": "replaced",
            "article_id": FIRST,
            "source": str(changed),
            "old_version": 1,
            "new_version": 2,
            "channel": "cli",
        }
    ]

    _cli(db, "delete", FIRST)
    _cli(db, "restore", FIRST, "1")
    _cli(db, "restore", FIRST, "1")  # its text is current already (as version 3): no entry
    assert _entries(db)[3:] == [
        {
            "user": user,
            "action": "deleted",
            "article_id": FIRST,
            "source": "lệnh python -m ingest delete",
            "old_version": 2,
            "new_version": None,
            "channel": "cli",
        },
        {
            "user": user,
            "action": "restored",
            "article_id": FIRST,
            "source": "khôi phục phiên bản 1",
            "old_version": None,  # the article had been deleted
            "new_version": 3,
            "channel": "cli",
        },
    ]

    folder.joinpath(f"{SECOND}.txt").unlink()
    _cli(db, str(folder), "--prune")  # the folder still holds the changed text of FIRST: version 4
    assert _entries(db)[5:] == [
        {
            "user": user,
            "action": "replaced",
            "article_id": FIRST,
            "source": str(changed),
            "old_version": 3,
            "new_version": 4,
            "channel": "cli",
        },
        {
            "user": user,
            "action": "deleted",
            "article_id": SECOND,
            "source": SECOND,
            "old_version": 1,
            "new_version": None,
            "channel": "cli",
        },
    ]


def test_cli_user_is_the_os_login_name_or_the_uid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "canbo")
    assert cli_user() == "cli:canbo"

    def no_name() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert cli_user() == f"cli:uid {os.getuid()}"


class _Versions:
    """A store answering `versions_of` only, for the version rules of `ingest_changes`."""

    def __init__(self, numbers: dict[str, tuple[list[int], int | None]]) -> None:
        self.numbers = numbers

    def versions_of(self, article_id: str) -> list[object]:
        numbers, current = self.numbers[article_id]
        return [type("V", (), {"version": n, "current": n == current})() for n in numbers]


def test_ingest_changes_reads_versions_before_and_after() -> None:
    report = IngestReport()
    for outcome in (
        FileOutcome("a.txt", "a", "replaced"),
        FileOutcome("b.txt", "b", "updated"),
        FileOutcome("c.txt", "c", "indexed"),
        FileOutcome("d.txt", "d", "unchanged"),
        FileOutcome("e", "e", "deleted"),
    ):
        report.add(outcome)
    store = _Versions({"a": ([1, 2, 3], 3), "b": ([1, 2], 2), "c": ([1], 1), "e": ([1, 2], None)})
    entries = ingest_changes(report, store, "cli:canbo")  # type: ignore[arg-type]
    assert [(e.action, e.article_id, e.old_version, e.new_version) for e in entries] == [
        ("replaced", "a", 2, 3),
        ("updated", "b", 2, 2),
        ("indexed", "c", None, 1),
        ("deleted", "e", 2, None),
    ]
    assert {e.channel for e in entries} == {"cli"} and {e.user for e in entries} == {"cli:canbo"}
    assert json.dumps([e.source for e in entries]) == '["a.txt", "b.txt", "c.txt", "e"]'
