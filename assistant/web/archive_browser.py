"""Archive tab, browsing and correcting: the article table, one opened article, and the editor's
corrections (metadata, text, delete) with a confirmation that names the article, and undo.

Every correction is two requests: `plan_*` checks the role and the input and returns a question naming
the article and the change (nothing written); `apply` checks the role again, on the server, and makes
the change. A viewer's request to `apply` is refused whatever the page showed, so hiding the buttons is
only a convenience. Each applied change is appended to the audit log with the version before and after,
and can be undone: `undo` makes the earlier version current again (itself a new version).
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from typing import Literal

from assistant.archive_assistant import ArchiveAssistant
from assistant.web.archive_table import TABLE_HEADERS, table_rows
from assistant.web.article_viewer import article_html, changes_line
from assistant.web.form_values import ALL_CHOICES, InputError, parse_date_input, vn_date
from assistant.web.permissions import NO_LOGIN, Action, Permissions
from vectorstore.article_catalog_query import ArticleCatalogQueries, CatalogQuery
from vectorstore.article_history import VersionNotFoundError
from vectorstore.audit_log import AuditEntry, append_audit, read_audit
from vectorstore.index_errors import ArchiveIndexError
from vectorstore.metadata_correction import (
    CorrectionError,
    MetadataFix,
    correct_metadata,
    delete_article,
    replace_article_text,
    restore_as_new_version,
)

logger = logging.getLogger(__name__)

ChangeKind = Literal["metadata", "text", "delete"]
ACTION_OF: dict[ChangeKind, Action] = {"metadata": "replace", "text": "replace", "delete": "delete"}
__all__ = ["TABLE_HEADERS", "ArchiveBrowser", "PlannedChange"]


@dataclass(frozen=True)
class TableView:
    rows: list[list[str]]
    article_ids: list[str]  # the article of each row, for opening it
    summary: str
    page: int


@dataclass(frozen=True)
class OpenedArticle:
    """What the viewer and the edit form show for one article (`found` False: only `html`)."""

    html: str
    found: bool
    article_id: str = ""
    version: int = 0
    title: str = ""
    date_text: str = ""
    outlet: str = ""
    text: str = ""


@dataclass(frozen=True)
class PlannedChange:
    """A confirmed-to-be change: what `apply` will do once the user confirms `question`."""

    kind: ChangeKind
    article_id: str
    version: int  # the version the editor saw; a change in between refuses
    question: str
    fix: MetadataFix = field(default_factory=MetadataFix)
    text: str = ""


@dataclass(frozen=True)
class ChangeResult:
    message: str
    done: bool
    undo_version: int | None = None  # the version `undo` would make current again


class ArchiveBrowser:
    """Browsing and correction events of the archive tab, over one shared assistant."""

    def __init__(self, assistant: ArchiveAssistant, permissions: Permissions = NO_LOGIN) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.permissions = permissions
        self.queries = ArticleCatalogQueries(assistant.index.store.path)

    # --- reading -----------------------------------------------------------------------------------
    def table(
        self,
        text: str | None = "",
        date_from: str | None = "",
        date_to: str | None = "",
        outlet: str | None = ALL_CHOICES,
        category: str | None = ALL_CHOICES,
        page: int | float | None = 1,
        *,
        user: str | None = None,
    ) -> TableView:
        """One page of the article table; a bad date gives an empty page and says why. Any role that
        may ask may browse (an account removed meanwhile may not)."""
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return TableView([], [], f"⚠️ {refusal}", 1)
        try:
            start = parse_date_input(date_from, "Từ ngày")
            end = parse_date_input(date_to, "Đến ngày")
        except InputError as exc:
            return TableView([], [], f"⚠️ {exc}", 1)
        query = CatalogQuery(
            text=(text or "").strip(),
            date_from=start,
            date_to=end,
            outlet=None if outlet in (None, "", ALL_CHOICES) else outlet,
            category=None if category in (None, "", ALL_CHOICES) else category,
            page=int(page or 1),
        )
        snapshot = self.assistant.index.lexical.snapshot() if query.text else None
        found = self.queries.page(query, snapshot)
        if not found.total:
            summary = "Không có bài nào khớp." if query.text or start or end else "Kho chưa có bài nào."
        else:
            summary = f"{found.total} bài (tin trùng gộp một dòng) · trang {found.page}/{found.pages}"
        return TableView(table_rows(found.rows), [row.article_id for row in found.rows], summary, found.page)

    def open(self, article_id: str | None, *, user: str | None = None) -> OpenedArticle:
        """The article viewer: metadata, cleaned text, chunks, source files, versions, story, changes."""
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return OpenedArticle(f"<p>⚠️ {html.escape(refusal)}</p>", False)
        store = self.assistant.index.store
        stored = store.get_article(article_id) if article_id else None
        if stored is None:
            return OpenedArticle("<p>Chọn một bài trong bảng để xem.</p>" if not article_id else (
                f"<p>Bài «{html.escape(article_id)}» không còn trong kho.</p>"), False)  # fmt: skip
        story = self.queries.story_members(stored.story_id or stored.article_id)
        changes = [
            entry for entry in read_audit(self.settings.db_dir) if entry.get("article_id") == article_id
        ]
        page = article_html(
            stored,
            store.chunks_of(stored.article_id),
            store.sources_of(stored.article_id),
            store.versions_of(stored.article_id),
            [member for member in story if member.article_id != stored.article_id],
            changes,
        )
        return OpenedArticle(
            page,
            True,
            stored.article_id,
            stored.version,
            stored.title,
            vn_date(stored.published_date, missing=""),
            stored.outlet or "",
            stored.text,
        )

    # --- correcting --------------------------------------------------------------------------------
    def plan_metadata_fix(
        self, article_id: str, version: int, title: str, date_text: str, outlet: str, *, user: str | None
    ) -> tuple[str, PlannedChange | None]:
        """The question naming the article and each changed field, or why not (nothing written)."""
        refusal = self.permissions.refusal(user, "replace")
        stored = self.assistant.index.store.get_article(article_id) if article_id else None
        if refusal or stored is None:
            return f"⚠️ {refusal or 'Hãy mở một bài trước khi sửa.'}", None
        try:
            new_date = parse_date_input(date_text, "Ngày đăng")
        except InputError as exc:
            return f"⚠️ {exc}", None
        fix = MetadataFix(
            title=title if title.strip() and title.strip() != stored.title else None,
            published_date=new_date if new_date != stored.published_date else None,
            outlet=outlet.strip() if outlet.strip() != (stored.outlet or "") else None,
        )
        changes = changes_line(stored, fix)
        if not changes:
            return "Không có thông tin nào khác với bản đang lưu; bài giữ nguyên.", None
        question = (
            f"**Sửa bài «{_plain(stored.title)}»** (mã {_plain(article_id)}): {_plain(changes)}. Bài được lập chỉ mục "
            "lại ngay; bản hiện tại được giữ thành phiên bản cũ, có thể hoàn tác."
        )
        return question, PlannedChange("metadata", article_id, version or stored.version, question, fix=fix)

    def plan_text_replacement(
        self, article_id: str, version: int, text: str, *, user: str | None
    ) -> tuple[str, PlannedChange | None]:
        refusal = self.permissions.refusal(user, "replace")
        stored = self.assistant.index.store.get_article(article_id) if article_id else None
        if refusal or stored is None:
            return f"⚠️ {refusal or 'Hãy mở một bài trước khi sửa.'}", None
        question = (
            f"**Thay nội dung bài «{_plain(stored.title)}»** (mã {_plain(article_id)}) bằng nội dung vừa nhập "
            f"({len(text.strip())} ký tự, trước đây {len(stored.text)}). Nội dung cũ được giữ thành phiên "
            "bản cũ, có thể hoàn tác."
        )
        return question, PlannedChange("text", article_id, version or stored.version, question, text=text)

    def plan_delete(
        self, article_id: str, version: int, *, user: str | None
    ) -> tuple[str, PlannedChange | None]:
        refusal = self.permissions.refusal(user, "delete")
        stored = self.assistant.index.store.get_article(article_id) if article_id else None
        if refusal or stored is None:
            return f"⚠️ {refusal or 'Hãy mở một bài trước khi xoá.'}", None
        question = (
            f"**Xoá bài «{_plain(stored.title)}»** (mã {_plain(article_id)}, {vn_date(stored.published_date)}) "
            "khỏi kho? Bài không còn được dùng để trả lời; nội dung cuối được giữ và có thể khôi phục."
        )
        return question, PlannedChange("delete", article_id, version or stored.version, question)

    def apply(self, planned: PlannedChange | None, *, user: str | None) -> ChangeResult:
        """Make a confirmed change; the role is checked again here, whatever the page sent."""
        if planned is None:
            return ChangeResult("Không có thay đổi nào đang chờ xác nhận.", False)
        refusal = self.permissions.refusal(user, ACTION_OF[planned.kind])
        if refusal:
            logger.warning("Correction of %s refused for user %r", planned.article_id, user)
            return ChangeResult(f"⚠️ {refusal}", False)
        config, index = self.settings.ingest_config(), self.assistant.index
        try:
            if planned.kind == "delete":
                removed = delete_article(index, config, planned.article_id, expected_version=planned.version)
                self._audit(
                    user, "deleted", planned.article_id, "xoá trên trang Kho lưu trữ", removed.version, None
                )
                return ChangeResult(
                    f"Đã xoá bài «{removed.title}». Nội dung cuối được giữ (phiên bản {removed.version}).",
                    True,
                    removed.version,
                )
            if planned.kind == "metadata":
                outcome = correct_metadata(
                    index, config, planned.article_id, planned.fix, expected_version=planned.version
                )
            else:
                outcome = replace_article_text(
                    index, config, planned.article_id, planned.text, expected_version=planned.version
                )
        except CorrectionError as exc:
            return ChangeResult(f"⚠️ {exc}", False)
        except ArchiveIndexError as exc:
            logger.exception("Correcting %s failed", planned.article_id)
            return ChangeResult(f"⚠️ {exc}", False)
        what = outcome.changed_labels()
        self._audit(
            user, "corrected", planned.article_id, f"sửa {what}", outcome.old_version, outcome.new_version
        )
        return ChangeResult(
            f"Đã sửa {what} của bài «{outcome.title}» (phiên bản {outcome.old_version} → {outcome.new_version}). "
            "Câu trả lời từ nay dùng thông tin mới.",
            True,
            outcome.old_version,
        )

    def undo(self, article_id: str, version: int | None, *, user: str | None) -> ChangeResult:
        """Make `version` of the article current again (a new version; the undone one is kept)."""
        refusal = self.permissions.refusal(user, "replace")
        if refusal:
            return ChangeResult(f"⚠️ {refusal}", False)
        if not article_id or not version:
            return ChangeResult("Không có thay đổi nào để hoàn tác.", False)
        try:
            outcome = restore_as_new_version(
                self.assistant.index, self.settings.ingest_config(), article_id, int(version)
            )
        except (VersionNotFoundError, CorrectionError, ArchiveIndexError) as exc:
            return ChangeResult(f"⚠️ {exc}", False)
        self._audit(
            user,
            "restored",
            article_id,
            f"hoàn tác về phiên bản {version}",
            outcome.old_version or None,
            outcome.new_version,
        )
        return ChangeResult(f"Đã hoàn tác: bài «{outcome.title}» trở lại nội dung phiên bản {version}.", True)

    def _audit(
        self, user: str | None, action: str, article_id: str, source: str, old: int | None, new: int | None
    ) -> None:
        entry = AuditEntry(self.permissions.audit_name(user), action, article_id, source, old, new)
        try:
            append_audit(self.settings.db_dir, [entry])
        except OSError:
            logger.exception("Could not append to the audit log in %s", self.settings.db_dir)


def _plain(text: str) -> str:
    """Shown literally inside Markdown: no HTML, Markdown markers escaped."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for marker in "\\`*_[]()!#|":
        escaped = escaped.replace(marker, f"\\{marker}")
    return escaped
