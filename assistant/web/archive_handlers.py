"""Archive tab handlers: upload files into the archive (with a per-file report) and archive statistics.

Uploads are copied under `db_dir/uploads` before ingestion, so the index can always be rebuilt from
files it owns. The stored name is the upload's base name reduced to safe characters: a name such as
`../../evil.txt` cannot leave the folder, and a different file never overwrites an earlier upload (it
gets a `-2`, `-3` … suffix).

What an upload guarantees about stored articles: it only adds. The article id comes from the file name
or a JSON Lines row's `id`, so a file can name a stored article; when that article holds different text,
the upload is stored as a new article under the next free id (`<id>-2` …, reported «lưu thành bài
mới») and the stored one is not touched. A stored article changes only when all three hold: the user
ticked «Thay thế bài đã có» (`replace`), the caller's role allows it (`can_replace`, False by default),
and the user confirmed the question that names that article (`confirmed_ids`; see
`upload_replacement`). Even then its old text is kept as an earlier version in the store
(`python -m ingest history ID`, `restore ID VERSION`), and the report says «thay thế bài «…» (phiên bản
cũ được giữ)». Nothing here deletes an article.
A copy made by this upload that gave the archive nothing (every outcome refused: junk, a bomb past the
reader bounds) is deleted again, so refused files do not pile up in `uploads/`.
Only a role that may upload (editor, admin; see `permissions`) gets past the first line of `upload`,
whatever the page shows, and every change an upload makes is appended to the audit log
(`vectorstore.audit_log`) with the user's name.
"""

from __future__ import annotations

import filecmp
import logging
import re
import shutil
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.archive_assistant import ArchiveAssistant
from assistant.web.archive_table import report_html
from assistant.web.archive_view import report_rows, stats_markdown, upload_summary
from assistant.web.form_values import vn_date
from assistant.web.permissions import NO_LOGIN, Permissions
from assistant.web.upload_replacement import NOT_ALLOWED, confirmation_question
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.report import FileOutcome, IngestReport
from vectorstore.article_history import PlannedReplacement, planned_replacements
from vectorstore.audit_log import CHANGING_STATUSES, append_audit, report_changes
from vectorstore.index_errors import ArchiveIndexError
from vectorstore.ingestion import run_ingest
from vectorstore.replacement_policy import ReplacePolicy

logger = logging.getLogger(__name__)

ProgressReporter = Callable[[float, str], None]
UPLOAD_FOLDER = "uploads"
FALLBACK_NAME = "tep_tai_len"
MAX_NAME_CHARS = 120
ACCEPTED_TYPES = ", ".join(extension.lstrip(".") for extension in SUPPORTED_EXTENSIONS)


@dataclass(frozen=True)
class UploadResult:
    """What the archive tab shows after an upload."""

    rows: list[list[str]]  # report table: tệp, mã bài, trạng thái, lý do
    message: str
    stats: str
    # Articles the upload would replace: `message` asks to confirm them and nothing was stored yet.
    replacements: tuple[PlannedReplacement, ...] = ()


class ArchiveHandlers:
    """Events of the archive tab."""

    def __init__(self, assistant: ArchiveAssistant, permissions: Permissions = NO_LOGIN) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.permissions = permissions  # roles, checked here on the server (issue 14 §5)

    def stats(self) -> str:
        return stats_markdown(self.assistant.catalog.stats())

    def report_table(self, rows: Sequence[Sequence[str]]) -> str:
        """The upload report as the page shows it (HTML that fits without horizontal scrolling): each
        row of `UploadResult.rows` with the title and publication date the archive now holds for it."""
        detailed = []
        for file, article_id, status, reason in rows:
            article = self.assistant.catalog.article(article_id) if article_id else None
            title = article.title if article else ""
            published = vn_date(article.published_date) if article and article.published_date else ""
            detailed.append([file, article_id, title, published, status, reason])
        return report_html(detailed)

    def upload(
        self,
        files: Sequence[str | Path] | None,
        progress: ProgressReporter | None = None,
        *,
        user: str | None = None,
        replace: bool = False,
        can_replace: bool = False,
        confirmed_ids: Collection[str] | None = None,
    ) -> UploadResult:
        """Check, copy and ingest uploaded files; every file gets a row in the report. Only a role that
        may upload (editor, admin) gets that far; each change is appended to the audit log as `user`.

        Stored articles are never changed unless `replace` (the user's choice) and `can_replace` (the
        role) are both true: then a first call returns `replacements` and a question naming them,
        storing nothing, and a second call with the `confirmed_ids` replaces only those articles
        (their old versions kept). Everything else an upload collides with becomes a new article."""
        refusal = self.permissions.refusal(user, "upload")
        if refusal:
            logger.warning("Upload refused for user %r (role %s)", user, self.permissions.role_of(user))
            return UploadResult([], f"⚠️ {refusal}", self.stats())
        if not files:
            return UploadResult([], "Chưa chọn tệp nào.", self.stats())
        if replace and not (can_replace and self.permissions.allows(user, "replace")):  # role: editor+
            logger.warning("Replacing refused for user %r", user)
            return UploadResult([], NOT_ALLOWED, self.stats())
        if replace and confirmed_ids is None:
            question = self._ask_before_replacing([Path(file) for file in files])
            if question is not None:
                return question
        folder = self.settings.db_dir / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        refused: list[FileOutcome] = []
        stored: dict[Path, str] = {}  # stored copy -> the name the user uploaded
        copied: set[Path] = set()  # copies this upload made (not an earlier identical upload's)
        for file in files:
            source = Path(file)
            original = display_name(source.name)
            problem = self._problem(source)
            if problem:
                refused.append(FileOutcome(original, None, "rejected", problem))
                continue
            destination = unique_destination(folder, safe_file_name(source.name), source)
            if not destination.exists():
                shutil.copyfile(source, destination)
                copied.add(destination)
            stored[destination] = original
        report = IngestReport()
        # When replacing, a copy stored as `x-2.txt` (an earlier upload holds `x.txt`) still means `x`.
        intended_ids = {str(copy): intended_article_id(name) for copy, name in stored.items()}
        if stored:
            versions_before = self._versions(confirmed_ids or () if replace else ())
            try:
                report = run_ingest(
                    list(stored),
                    self.settings.ingest_config(),
                    index=self.assistant.index,
                    progress=_ingest_progress(progress),
                    replace_policy=ReplacePolicy.add_only(frozenset(confirmed_ids or () if replace else ())),
                    article_ids=intended_ids if replace else None,
                )
            except Exception as exc:
                logger.exception("Ingesting uploads failed")
                rows = report_rows(refused, {})
                message = (
                    f"⚠️ {exc}"  # a damaged index or a full disk: the message says what to do
                    if isinstance(exc, ArchiveIndexError)
                    else "⚠️ Đã có lỗi khi nạp tệp vào kho; lỗi đã được ghi lại. Kho không bị thay đổi dở dang."
                )
                return UploadResult(rows, message, self.stats())
            delete_refused_copies(copied, report)
            self._audit(report, user, {str(path): name for path, name in stored.items()}, versions_before)
        rows = report_rows([*refused, *report.files], {str(path): name for path, name in stored.items()})
        return UploadResult(rows, upload_summary(len(files), refused, report), self.stats())

    def _ask_before_replacing(self, sources: list[Path]) -> UploadResult | None:
        """The question naming the stored articles these files would replace, or None when they would
        replace none. Reads the uploaded files where they are: nothing is copied or stored yet."""
        readable = [source for source in sources if self._problem(source) is None]
        names = {str(source): display_name(source.name) for source in readable}
        planned = planned_replacements(
            readable,
            self.settings.ingest_config(),
            self.assistant.index,
            {path: intended_article_id(name) for path, name in names.items()},
        )
        if not planned:
            return None
        return UploadResult([], confirmation_question(planned, names), self.stats(), tuple(planned))

    def _audit(
        self, report: IngestReport, user: str | None, names: dict[str, str], versions_before: dict[str, int]
    ) -> None:
        """Append what this upload changed to the archive's audit log, with each replaced article's
        version before and after (a failure there is logged: the upload itself has happened)."""
        changed = [o.article_id for o in report.files if o.article_id and o.status in CHANGING_STATUSES]
        try:
            entries = report_changes(
                report,
                self.permissions.audit_name(user),
                names,
                versions_before=versions_before,
                versions_after=self._versions(changed),
            )
            append_audit(self.settings.db_dir, entries)
        except (OSError, ArchiveIndexError):
            logger.exception("Could not append to the audit log in %s", self.settings.db_dir)

    def _versions(self, article_ids: Collection[str]) -> dict[str, int]:
        """The current version number of each stored article among `article_ids`."""
        catalog = self.assistant.catalog
        return {
            article_id: article.version
            for article_id in article_ids
            if (article := catalog.article(article_id)) is not None
        }

    def _problem(self, source: Path) -> str | None:
        """Why an upload is refused before ingestion (Vietnamese), or None."""
        name = source.name.lower()
        if not name.endswith(SUPPORTED_EXTENSIONS):
            extension = name.rsplit(".", 1)[-1] if "." in name else "không có phần mở rộng"
            return f"Loại tệp không được hỗ trợ ({extension}). Chỉ nhận: {ACCEPTED_TYPES}."
        try:
            size = source.stat().st_size
        except OSError:
            return "Không đọc được tệp đã tải lên; hãy tải lại."
        limit = self.settings.max_upload_mb * 1024 * 1024
        if size > limit:
            return f"Tệp {_megabytes(size)} MB, vượt giới hạn {_megabytes(limit)} MB mỗi tệp."
        return None


def delete_refused_copies(copies: set[Path], report: IngestReport) -> None:
    """Delete each copy whose every outcome in `report` is "rejected" (a JSON Lines file with one good
    row stays: that row's article is read from it)."""
    kept: set[str] = set()
    refused: set[str] = set()
    for outcome in report.files:
        head, _, line = outcome.path.rpartition(":")  # JSON Lines rows are `path:LINE`
        path = head if head and line.isdigit() else outcome.path
        (refused if outcome.status == "rejected" else kept).add(path)
    for copy in copies:
        if str(copy) in refused and str(copy) not in kept:
            try:
                copy.unlink()
            except OSError as exc:
                logger.warning("Could not delete the refused upload %s: %s", copy, exc)


def safe_file_name(name: str) -> str:
    """The base name only (no folders, no `..`), letters (Vietnamese kept), digits, `._-` and spaces
    as `_`; never hidden, never empty, at most `MAX_NAME_CHARS` characters with the extension kept."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    cleaned = re.sub(r"[^\w.\-]+", "_", base).strip("._-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned or cleaned.lower() in {extension.lstrip(".") for extension in SUPPORTED_EXTENSIONS}:
        cleaned = f"{FALLBACK_NAME}.{cleaned}" if cleaned else FALLBACK_NAME
    if len(cleaned) > MAX_NAME_CHARS:
        stem, extension = _split_extension(cleaned)
        cleaned = stem[: MAX_NAME_CHARS - len(extension)] + extension
    return cleaned


def unique_destination(folder: Path, name: str, source: Path) -> Path:
    """`folder/name`, or `stem-2.ext`, `stem-3.ext` … when another file already has that name. The same
    file uploaded again maps to its earlier copy (ingestion then reports it unchanged)."""
    stem, extension = _split_extension(name)
    candidate, counter = folder / name, 2
    while candidate.exists() and not filecmp.cmp(candidate, source, shallow=False):
        candidate = folder / f"{stem}-{counter}{extension}"
        counter += 1
    return candidate


def intended_article_id(name: str) -> str:
    """The article id a file uploaded as `name` stands for: its safe name without the extension."""
    return _split_extension(safe_file_name(name))[0]


def display_name(name: str) -> str:
    """The upload's own name as the user knows it (base name only)."""
    return re.split(r"[\\/]", name)[-1] or name


def _split_extension(name: str) -> tuple[str, str]:
    lowered = name.lower()
    for extension in sorted(SUPPORTED_EXTENSIONS, key=len, reverse=True):
        if lowered.endswith(extension) and len(name) > len(extension):
            return name[: -len(extension)], name[-len(extension) :]
    stem, dot, extension = name.rpartition(".")
    return (stem, dot + extension) if stem else (name, "")


def _megabytes(size: float) -> str:
    """`0,01`, `12,35`, `50`: megabytes with a Vietnamese decimal comma and no trailing zeros."""
    return f"{size / 1024 / 1024:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _ingest_progress(progress: ProgressReporter | None) -> Callable[[int, int | None], None] | None:
    if progress is None:
        return None

    def report(done: int, total: int | None) -> None:
        fraction = min(done / total, 1.0) if total else 0.0
        progress(fraction, f"Đang nạp bài {done}/{total or '?'}")

    return report
