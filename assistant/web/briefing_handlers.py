"""Briefing tab handler: topic + period -> Markdown preview and the `.docx` / `.md` files to download.

The preview is the briefing's own Markdown with its text HTML-escaped (it quotes article sentences) and
every `[n]` linked to its line in the **Nguồn** list. Files go to a fresh folder per briefing, which
Gradio is allowed to serve (it copies them into its own cache when it sends them); nothing is written into
the archive. The folders live under one export folder of this process in the temporary directory: each
new briefing deletes those older than `EXPORT_MAX_AGE_S`, and the whole folder is removed when the
process exits, so briefings no longer pile up as `/tmp/ban_tom_tat_*` (issue 14 §2).
"""

from __future__ import annotations

import atexit
import functools
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.archive_assistant import ArchiveAssistant
from assistant.briefing.topic_briefing import export_briefing, write_briefing
from assistant.inert_markdown import inert_html_markdown
from assistant.web.form_values import InputError, build_filters
from assistant.web.permissions import NO_LOGIN, Permissions
from ingest.vietnamese_text import fold_accents
from vectorstore.index_errors import ArchiveIndexError

logger = logging.getLogger(__name__)

SOURCES_HEADING = "## Nguồn"
EXPORT_FORMATS = (".docx", ".md")
_MARKER = re.compile(r"\[(\d+)\]")
_SOURCE_LINE = re.compile(r"^\[(\d+)\]", re.MULTILINE)
EXPORT_PREFIX = "ban_tom_tat_"
EXPORT_MAX_AGE_S = 15 * 60  # long past the moment Gradio copied the files it serves


@dataclass(frozen=True)
class BriefingResult:
    """What the briefing tab shows: the preview (or a message) and the exported files."""

    preview: str
    files: list[Path] = field(default_factory=list)

    def file(self, suffix: str) -> Path | None:
        return next((path for path in self.files if path.suffix == suffix), None)


class BriefingHandlers:
    """Events of the briefing tab."""

    def __init__(
        self,
        assistant: ArchiveAssistant,
        export_root: Path | None = None,
        permissions: Permissions = NO_LOGIN,
    ) -> None:
        self.assistant = assistant
        self.export_root = export_root
        self.permissions = permissions

    def make_briefing(
        self, topic: str | None, date_from: str | None, date_to: str | None, *, user: str | None = None
    ) -> BriefingResult:
        """Write the briefing and export it in every format; failures become a Vietnamese message."""
        refusal = self.permissions.refusal(user, "brief")
        if refusal:
            return BriefingResult(f"⚠️ {refusal}")
        topic = " ".join((topic or "").split())
        if not topic:
            return BriefingResult("⚠️ Hãy nhập chủ đề cho bản tóm tắt, ví dụ: đối ngoại nhân dân.")
        try:
            filters = build_filters(date_from, date_to)
        except InputError as exc:
            return BriefingResult(f"⚠️ {exc}")
        try:
            briefing = write_briefing(self.assistant, topic, filters.date_from, filters.date_to)
            root = self.export_root or _process_export_root()
            prune_exports(root, EXPORT_MAX_AGE_S)
            folder = Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX, dir=root))
            stem = export_stem(topic)
            files = [export_briefing(briefing, folder / f"{stem}{suffix}") for suffix in EXPORT_FORMATS]
        except ArchiveIndexError as exc:
            logger.error("Briefing on %r failed: %s", topic, exc)
            return BriefingResult(f"⚠️ {exc}")
        except Exception:
            logger.exception("Briefing on %r failed", topic)
            return BriefingResult("⚠️ Đã có lỗi khi soạn bản tóm tắt; lỗi đã được ghi lại. Vui lòng thử lại.")
        notice = f"> ⚠️ {inert_html_markdown(briefing.notice)}\n\n" if briefing.notice else ""
        return BriefingResult(notice + briefing_preview(briefing.markdown), files)


@functools.cache
def _process_export_root() -> Path:
    """This process's export folder in the temporary directory, removed when the process exits."""
    root = Path(tempfile.mkdtemp(prefix="tro_ly_xuat_tom_tat_"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def prune_exports(root: Path, max_age_s: float) -> None:
    """Delete the briefing folders under `root` last changed more than `max_age_s` ago."""
    cutoff = time.time() - max_age_s
    for folder in root.glob(f"{EXPORT_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
        except OSError as exc:  # another process pruning the same folder, or a file still open
            logger.warning("Could not delete the old briefing export %s: %s", folder, exc)


def export_stem(topic: str) -> str:
    """`ban_tom_tat_doi_ngoai_nhan_dan`: an ASCII file name any office machine can open and mail."""
    slug = re.sub(r"[^a-z0-9]+", "_", fold_accents(topic).lower()).strip("_")[:50].rstrip("_")
    return f"ban_tom_tat_{slug}" if slug else "ban_tom_tat"


def source_anchor(n: int) -> str:
    return f"tom-tat-nguon-{n}"


def briefing_preview(markdown: str) -> str:
    """Briefing Markdown shown as text (HTML escaped, images/links/autolinks of article or LLM text made
    inert); `[n]` in the body links to line `[n]` of the Nguồn list."""
    escaped = inert_html_markdown(markdown)
    body, heading, sources = escaped.partition(SOURCES_HEADING)
    if not heading:
        return escaped
    body = _MARKER.sub(lambda m: f'<a href="#{source_anchor(int(m.group(1)))}">[{m.group(1)}]</a>', body)
    sources = _SOURCE_LINE.sub(
        lambda m: f'<span id="{source_anchor(int(m.group(1)))}"></span>[{m.group(1)}]', sources
    )
    return body + heading + sources
