"""👍 / 👎 on the chat's answers and the short correction form of a 👎 (plain functions, testable without a
browser; `feedback_controls` wires them to the page).

A vote names its answer by the index of the chat message Gradio reports. Answers and error bubbles share
the message list, so the message is matched to the session's answers by walking the list: every assistant
message that is not an error bubble is the next answered question (`answer_for_message`). A vote is kept
at once; the form then only adds the right article or answer to that stored vote.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.feedback.feedback_store import FeedbackError, FeedbackStore, answer_sources
from assistant.web.answer_message import error_markdown
from assistant.web.conversation_state import Conversation
from assistant.web.permissions import NO_LOGIN, Permissions

logger = logging.getLogger(__name__)

THANKS_UP = "Cảm ơn bạn: đã ghi nhận câu trả lời đúng."
THANKS_DOWN = "Đã ghi nhận câu trả lời chưa đúng. Nếu biết, hãy chọn bài đúng hoặc ghi câu trả lời đúng."
THANKS_CORRECTION = "Cảm ơn bạn: góp ý đã được lưu và sẽ dùng để đo chất lượng trợ lý."
VOTE_REMOVED = "Đã bỏ đánh giá."
NOT_AN_ANSWER = "Chỉ đánh giá được câu trả lời đã hoàn tất."
NOTHING_TO_SEND = "Hãy chọn hoặc nhập mã bài đúng, hoặc ghi câu trả lời đúng."
_ERROR_PREFIX = error_markdown("")


@dataclass
class SessionVotes:
    """The votes this browser session gave: chat message key -> vote id, and the 👎 the form corrects."""

    by_message: dict[str, int] = field(default_factory=dict)
    pending: int | None = None


@dataclass(frozen=True)
class VoteOutcome:
    """What the page shows after a thumb click: a status line, and the form's article choices (label,
    id) when a 👎 opens it (None keeps the form closed)."""

    status: str
    form_choices: list[tuple[str, str]] | None = None


def answer_for_message(conversation: Conversation, index: int) -> Answer | None:
    """The answer shown in chat message `index`, None for a question, an error bubble or an index that is
    not (any more) in this conversation."""
    if not 0 <= index < len(conversation.messages):
        return None
    answers = iter(conversation.answered)
    for position, message in enumerate(conversation.messages):
        if message.get("role") != "assistant" or str(message.get("content", "")).startswith(_ERROR_PREFIX):
            if position == index:
                return None
            continue
        record = next(answers, None)
        if position == index:
            return record.answer if record is not None else None
    return None


class FeedbackHandlers:
    """Votes go to the index folder's `feedback.sqlite3`, with the index generation of the moment."""

    def __init__(self, assistant: ArchiveAssistant, permissions: Permissions = NO_LOGIN) -> None:
        self.assistant = assistant
        self.permissions = permissions
        self.store = FeedbackStore(assistant.settings.db_dir)

    def vote(
        self,
        conversation: Conversation | None,
        index: int,
        liked: bool | str,
        votes: SessionVotes,
        *,
        user: str | None = None,
    ) -> VoteOutcome:
        """A thumb clicked on message `index`: `liked` is True (👍), False (👎) or "" (taken back)."""
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            return VoteOutcome(refusal)
        answer = answer_for_message(conversation or Conversation(), index)
        if answer is None:
            return VoteOutcome(NOT_AN_ANSWER)
        # The message index and the answer itself: a regenerated answer in the same place is a new vote.
        key = f"{index}:{hashlib.sha256(answer.model_dump_json().encode('utf-8')).hexdigest()[:16]}"
        existing = votes.by_message.get(key)
        votes.pending = None
        try:
            if liked == "" or liked is None:
                if existing is not None:
                    self.store.remove_vote(existing, user=user)
                    del votes.by_message[key]
                return VoteOutcome(VOTE_REMOVED)
            up = liked is True
            if existing is not None and self.store.change_vote(existing, user=user, liked=up):
                vote_id = existing
            else:
                generation = self.assistant.index.store.generation()
                vote_id = self.store.record_vote(
                    user=user, answer=answer, liked=up, index_generation=generation
                )
                votes.by_message[key] = vote_id
        except FeedbackError as exc:
            logger.error("Vote not stored: %s", exc)
            return VoteOutcome(str(exc))
        logger.info(
            "Vote %d (%s) by %s on %r", vote_id, "up" if up else "down", user or "local", answer.question
        )
        if up:
            return VoteOutcome(THANKS_UP)
        votes.pending = vote_id
        return VoteOutcome(THANKS_DOWN, form_choices=article_choices(answer))

    def correct(
        self,
        votes: SessionVotes,
        chosen_id: str | None,
        typed_id: str | None,
        right_answer: str | None,
        *,
        user: str | None = None,
    ) -> tuple[str, bool]:
        """The 👎 form sent: (status, form stays open). A typed id wins over the chosen one and must be an
        article of the archive."""
        if votes.pending is None:
            return NOT_AN_ANSWER, False
        article_id = (typed_id or "").strip() or (chosen_id or "").strip()
        answer_text = " ".join((right_answer or "").split())
        if not article_id and not answer_text:
            return NOTHING_TO_SEND, True
        if article_id and self.assistant.catalog.article(article_id) is None:
            return f"Không có bài mã «{article_id}» trong kho: hãy kiểm tra lại mã bài.", True
        try:
            stored = self.store.correct(
                votes.pending, user=user, article_id=article_id or None, right_answer=answer_text or None
            )
        except FeedbackError as exc:
            logger.error("Correction not stored: %s", exc)
            return str(exc), True
        if not stored:
            return NOT_AN_ANSWER, False
        votes.pending = None
        return THANKS_CORRECTION, False


def article_choices(answer: Answer) -> list[tuple[str, str]]:
    """The form's choices: cited articles as `[n] title`, then the nearest suggested ones."""
    return [
        (f"[{source.n}] {source.title}" if source.n else f"{source.title} (bài gần nhất)", source.article_id)
        for source in answer_sources(answer)
    ]
