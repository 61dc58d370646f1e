"""The kept conversations of the chat tab's side column: list, open, rename, delete, export (plain
functions over the conversation store, testable without a browser; `conversation_sidebar` wires them).

The conversation id in these events comes from the page, so it is never trusted: every call names the
request's user and the store matches the owner in SQL (`ConversationNotFoundError` for anyone else's id,
shown as "not found", the same as a deleted one). An account removed while logged in gets nothing.
"""

from __future__ import annotations

import atexit
import functools
import logging
import re
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.archive_assistant import ArchiveAssistant
from assistant.conversations.export import EXPORT_FORMATS, export_conversation
from assistant.conversations.store import (
    ConversationNotFoundError,
    ConversationStore,
    ConversationSummary,
    owner_of,
)
from assistant.web.answer_message import escape_text
from assistant.web.conversation_state import Conversation, restored_conversation
from assistant.web.permissions import NO_LOGIN, Permissions
from ingest.vietnamese_text import fold_accents

logger = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy cuộc trò chuyện này (có thể đã bị xoá)."
CHOOSE_FIRST = "Hãy chọn một cuộc trò chuyện trong danh sách trước."
STORE_FAILED = "Không đọc hoặc ghi được kho cuộc trò chuyện; lỗi đã được ghi lại. Vui lòng thử lại."
EXPORT_PREFIX = "tro_chuyen_"
EXPORT_MAX_AGE_S = 15 * 60  # long past the moment Gradio copied the files it serves

Choice = tuple[str, str]  # (label shown, conversation id)


@dataclass(frozen=True)
class Opened:
    """What opening (or deleting) changes on the page: the chat, the panel, the session's conversation
    and a status line."""

    messages: list[dict[str, str]]
    panel: str
    conversation: Conversation
    status: str


class ConversationList:
    """List, open, rename, delete and export the request user's kept conversations."""

    def __init__(
        self,
        assistant: ArchiveAssistant,
        store: ConversationStore,
        permissions: Permissions = NO_LOGIN,
        export_root: Path | None = None,
    ) -> None:
        self.assistant = assistant
        self.store = store
        self.permissions = permissions
        self.export_root = export_root

    def choices(self, user: str | None) -> list[Choice]:
        """The user's conversations, the most recently continued first: "title · dd/mm/yyyy hh:mm"."""
        if not self.permissions.allows(user, "ask"):
            return []
        try:
            return [(label_of(summary), summary.id) for summary in self.store.summaries(owner_of(user))]
        except sqlite3.Error:
            logger.exception("Listing the conversations of %r failed", owner_of(user))
            return []

    def open(self, conversation_id: str | None, current: Conversation | None, user: str | None) -> Opened:
        """The kept conversation `conversation_id` of `user`, ready to continue; the current one stays
        when it cannot be opened."""
        current = current if current is not None else Conversation()
        if not conversation_id:
            return Opened(current.messages, current.panel(), current, "")
        if current.stored_id == conversation_id:
            return Opened(current.messages, current.panel(), current, "")
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return Opened(current.messages, current.panel(), current, f"⚠️ {refusal}")
        try:
            turns = self.store.turns(owner_of(user), conversation_id)
        except ConversationNotFoundError:
            return Opened(current.messages, current.panel(), current, f"⚠️ {NOT_FOUND}")
        except (sqlite3.Error, ValueError):  # ValueError: a stored turn that no longer reads as an answer
            logger.exception("Opening conversation %s failed", conversation_id)
            return Opened(current.messages, current.panel(), current, f"⚠️ {STORE_FAILED}")
        opened = restored_conversation(conversation_id, turns, self._article_text)
        return Opened(opened.messages, opened.panel(), opened, "")

    def rename(self, conversation_id: str | None, title: str | None, user: str | None) -> str:
        """The status line after renaming (the new name, or why not)."""
        if not conversation_id:
            return f"⚠️ {CHOOSE_FIRST}"
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return f"⚠️ {refusal}"
        if not " ".join((title or "").split()):
            return "⚠️ Hãy nhập tên mới cho cuộc trò chuyện."
        try:
            renamed = self.store.rename(owner_of(user), conversation_id, title or "")
        except ConversationNotFoundError:
            return f"⚠️ {NOT_FOUND}"
        except sqlite3.Error:
            logger.exception("Renaming conversation %s failed", conversation_id)
            return f"⚠️ {STORE_FAILED}"
        return f"Đã đổi tên thành «{escape_text(renamed)}»."

    def delete_question(self, conversation_id: str | None, user: str | None) -> str | None:
        """The confirmation asked before deleting (naming the conversation), None when there is nothing
        of this user's to delete."""
        if not conversation_id or not self.permissions.allows(user, "ask"):
            return None
        try:
            title = self.store.title(owner_of(user), conversation_id)
        except (ConversationNotFoundError, sqlite3.Error):
            return None
        return f"Xoá hẳn cuộc trò chuyện «{escape_text(title)}»? Không khôi phục được."

    def delete(self, conversation_id: str | None, current: Conversation | None, user: str | None) -> Opened:
        """Deletes (after the confirmation); the chat is emptied when the deleted one was open."""
        current = current if current is not None else Conversation()
        unchanged = Opened(current.messages, current.panel(), current, "")
        if not conversation_id:
            return Opened(current.messages, current.panel(), current, f"⚠️ {CHOOSE_FIRST}")
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return Opened(current.messages, current.panel(), current, f"⚠️ {refusal}")
        try:
            title = self.store.title(owner_of(user), conversation_id)
            self.store.delete(owner_of(user), conversation_id)
        except ConversationNotFoundError:
            return Opened(current.messages, current.panel(), current, f"⚠️ {NOT_FOUND}")
        except sqlite3.Error:
            logger.exception("Deleting conversation %s failed", conversation_id)
            return Opened(current.messages, current.panel(), current, f"⚠️ {STORE_FAILED}")
        status = f"Đã xoá cuộc trò chuyện «{escape_text(title)}»."
        if current.stored_id != conversation_id:
            return Opened(unchanged.messages, unchanged.panel, current, status)
        fresh = Conversation()
        return Opened(fresh.messages, fresh.panel(), fresh, status)

    def export(self, conversation_id: str | None, user: str | None) -> tuple[str, list[Path]]:
        """The status line and the `.docx` and `.md` files of the conversation (none when refused)."""
        if not conversation_id:
            return f"⚠️ {CHOOSE_FIRST}", []
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return f"⚠️ {refusal}", []
        try:
            owner = owner_of(user)
            title, turns = self.store.title(owner, conversation_id), self.store.turns(owner, conversation_id)
            root = self.export_root or _process_export_root()
            root.mkdir(parents=True, exist_ok=True)
            _prune(root)
            folder = Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX, dir=root))
            stem = export_stem(title)
            files = [
                export_conversation(title, turns, folder / f"{stem}{suffix}") for suffix in EXPORT_FORMATS
            ]
        except ConversationNotFoundError:
            return f"⚠️ {NOT_FOUND}", []
        except (sqlite3.Error, OSError, ValueError):
            logger.exception("Exporting conversation %s failed", conversation_id)
            return "⚠️ Không xuất được cuộc trò chuyện; lỗi đã được ghi lại. Vui lòng thử lại.", []
        return f"Đã xuất «{escape_text(title)}»: tải bản Word hoặc Markdown bên dưới.", files

    def _article_text(self, article_id: str) -> str:
        article = self.assistant.catalog.article(article_id)
        return article.text if article else ""


def label_of(summary: ConversationSummary) -> str:
    """ "title · dd/mm/yyyy hh:mm" (last continued, in this computer's time zone)."""
    return f"{summary.title} · {summary.updated_at.astimezone():%d/%m/%Y %H:%M}"


def export_stem(title: str) -> str:
    """`tro_chuyen_hoi_nghi_...`: an ASCII file name any office machine can open and mail."""
    slug = re.sub(r"[^a-z0-9]+", "_", fold_accents(title).lower()).strip("_")[:50].rstrip("_")
    return f"{EXPORT_PREFIX}{slug}" if slug else EXPORT_PREFIX.rstrip("_")


@functools.cache
def _process_export_root() -> Path:
    """This process's folder for conversation exports, removed when the process exits."""
    root = Path(tempfile.mkdtemp(prefix="tro_ly_xuat_tro_chuyen_"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def _prune(root: Path) -> None:
    """Deletes export folders under `root` older than `EXPORT_MAX_AGE_S`."""
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for folder in root.glob(f"{EXPORT_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
        except OSError as exc:  # removed meanwhile by another request
            logger.warning("Could not delete the old conversation export %s: %s", folder, exc)
