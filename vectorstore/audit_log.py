"""The archive's audit log: who changed the archive, when, what, and which version the change replaced.

`audit.jsonl` in the index folder, one JSON object per line, only ever appended: each line is one
`write()` on a descriptor opened with O_APPEND and flushed to disk, so lines of concurrent writers never
interleave and nothing here rewrites or truncates the file. It sits beside `articles.sqlite3` because it
describes that store's history; `ingest rebuild` leaves it alone (it is not derived from anything).

Fields: `time` (ISO 8601, local time with offset), `user`, `channel` (`web`, `cli`), `action` (the
ingestion outcome: `indexed` for a new article, `renamed` for an upload stored as a new article beside a
stored one, `replaced` (the old text kept as an earlier version), `deleted`, …), `article_id`, `source`
(the file as the user named it), and `old_version` / `new_version`: the article's current version number
before and after the change, when known (a replaced article's old text is `old_version` in
`python -m ingest history ID`).

Changes made from the command line (`python -m ingest PATH`, `delete`, `restore`) are audited too, as
user `cli:<OS login name>` with channel `cli`: `ingest_changes` reads each changed article's versions
from the store after the run (the version below the new current one is the one it replaced, unless
another writer changed the article again in between), and `append_cli_audit` writes them, logging rather than failing when it cannot
(the change itself has happened).
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ingest.report import IngestReport
from vectorstore.store.article_store import ArticleStore

logger = logging.getLogger(__name__)

AUDIT_FILE = "audit.jsonl"
CHANGING_STATUSES = frozenset({"indexed", "renamed", "replaced", "updated", "deleted", "restored"})
CLI_CHANNEL = "cli"
_append_lock = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    """One change to the archive."""

    user: str
    action: str
    article_id: str | None
    source: str | None = None
    old_version: int | str | None = None
    new_version: int | str | None = None
    channel: str = "web"


def audit_path(db_dir: Path) -> Path:
    return db_dir / AUDIT_FILE


def append_audit(db_dir: Path, entries: Iterable[AuditEntry], now: datetime | None = None) -> int:
    """Append one line per entry (all with the same time); returns how many were written."""
    stamp = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    lines = [json.dumps({"time": stamp, **asdict(entry)}, ensure_ascii=False) + "\n" for entry in entries]
    if not lines:
        return 0
    data = "".join(lines).encode("utf-8")
    with _append_lock:
        descriptor = os.open(audit_path(db_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return len(lines)


def read_audit(db_dir: Path) -> list[dict[str, object]]:
    """Every line of the audit log, oldest first (an absent log is empty)."""
    try:
        text = audit_path(db_dir).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def report_changes(
    report: IngestReport,
    user: str,
    sources: Mapping[str, str] | None = None,
    channel: str = "web",
    *,
    versions_before: Mapping[str, int] | None = None,
    versions_after: Mapping[str, int] | None = None,
) -> list[AuditEntry]:
    """The audit entries of an ingestion run: every outcome that changed the archive. `sources` maps
    a stored path to the name the user gave the file (JSON Lines rows are `path:LINE`); the version
    maps give each article's current version number before and after the run, when known."""
    names = sources or {}
    before, after = versions_before or {}, versions_after or {}
    entries = []
    for outcome in report.files:
        if outcome.status not in CHANGING_STATUSES:
            continue
        head, _, line = outcome.path.rpartition(":")
        source = (
            f"{names[head]}:{line}"
            if head in names and line.isdigit()
            else names.get(outcome.path, outcome.path)
        )
        article_id = outcome.article_id
        entries.append(
            AuditEntry(
                user,
                outcome.status,
                article_id,
                source,
                old_version=before.get(article_id) if article_id else None,
                new_version=after.get(article_id) if article_id else None,
                channel=channel,
            )
        )
    return entries


def cli_user() -> str:
    """The audit name of whoever runs a command: `cli:` and the OS login name."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and no passwd entry for the uid
        name = f"uid {os.getuid()}"
    return f"cli:{name}"


def ingest_changes(report: IngestReport, store: ArticleStore, user: str) -> list[AuditEntry]:
    """The audit entries of a command-line ingestion run, with versions read from the store after it:
    a replaced article's old version is the highest one below its current one, an article written
    again with the same text (`updated`) keeps its version, and a deleted one's old version is its last.
    """
    changed = {o.article_id for o in report.files if o.article_id and o.status in CHANGING_STATUSES}
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    statuses = {o.article_id: o.status for o in report.files if o.article_id in changed}
    for article_id in changed:
        versions = store.versions_of(article_id)
        numbers = [v.version for v in versions]
        current = next((v.version for v in versions if v.current), None)
        status = statuses[article_id]
        if current is not None:
            after[article_id] = current
        if status == "updated" and current is not None:
            before[article_id] = current
        elif status == "replaced" and current is not None:
            older = [number for number in numbers if number < current]
            if older:
                before[article_id] = max(older)
        elif status == "deleted" and numbers:
            before[article_id] = max(numbers)
    return report_changes(report, user, channel=CLI_CHANNEL, versions_before=before, versions_after=after)


def append_cli_audit(db_dir: Path, entries: Iterable[AuditEntry]) -> int:
    """Append a command's entries; a failure is logged, not raised: the archive has already changed."""
    try:
        return append_audit(db_dir, entries)
    except OSError:
        logger.exception("Could not append to the audit log in %s", db_dir)
        return 0
