"""One browser session's conversation, kept on the server in `gr.State` (never taken from the client, so
one session can neither see nor inject another's history).

Besides what the assistant needs to understand a follow-up (`turns`) and what the page shows (`messages`,
the sources panel), it keeps each final `Answer` with the form filters it was asked with: the chip that
removes the question's period re-asks the newest question exactly as it was asked, minus that period.

A conversation is also kept in the conversation store (`assistant/conversations/store.py`) once its first
answer finishes; `stored_id` names it there, and `restored_conversation` rebuilds the session state from
the stored turns (bubbles and source cards rendered again, the follow-up state as it was).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from assistant.answering.answer_models import Answer
from assistant.conversations.store import (
    ConversationChangedError,
    ConversationNotFoundError,
    ConversationStore,
    StoredTurn,
)
from assistant.question.follow_up import Turn
from assistant.web.answer_message import answer_markdown, escape_text, question_period, without_chip_control
from assistant.web.form_values import period_label
from assistant.web.rendering import sources_panel, sources_section
from vectorstore.hybrid_retriever import RetrievalFilters

logger = logging.getLogger(__name__)

Message = dict[str, str]
# Source sections kept in the panel: enough for a working session, bounded for long ones.
MAX_PANEL_TURNS = 10


@dataclass(frozen=True)
class AnsweredQuestion:
    """A final answer with the user's form filters it was asked with."""

    answer: Answer
    filters: RetrievalFilters
    dropped_period: str = ""  # the question's period the user removed with the chip ("" if none)

    @property
    def question_period(self) -> tuple[date | None, date | None]:
        return question_period(self.answer)


@dataclass
class Conversation:
    """One session's conversation (the value of the chat tab's `gr.State`)."""

    turns: list[Turn] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    source_sections: list[str] = field(default_factory=list)
    answered: list[AnsweredQuestion] = field(default_factory=list)
    stored_id: str | None = None  # its id in the conversation store, once its first answer is kept

    def panel(self) -> str:
        return sources_panel(self.source_sections[-MAX_PANEL_TURNS:])

    def last_question_period(self) -> str:
        """`dd/mm/yyyy – dd/mm/yyyy` of the period the newest answer took from its question, or ""."""
        return period_label(*self.answered[-1].question_period) if self.answered else ""


def user_message(text: str) -> Message:
    return {"role": "user", "content": escape_text(text)}


def assistant_message(text: str) -> Message:
    return {"role": "assistant", "content": text}


def with_answer(
    earlier: list[Message],
    turn: int,
    record: AnsweredQuestion,
    article_text: Callable[[str], str],
) -> tuple[list[Message], str]:
    """The messages after answer `turn` (1-based) below `earlier`, and the answer's source section.
    Only the newest answer keeps the chip's ✕."""
    # Cited and (for a refusal) nearest articles: their cards, and the quote of each [n] tooltip.
    answer = record.answer
    shown = [c.article_id for c in answer.citations] + [s.article_id for s in answer.suggestions]
    texts = {article_id: article_text(article_id) for article_id in shown}
    bubble = answer_markdown(
        record.answer, turn, record.filters, dropped_period=record.dropped_period, article_texts=texts
    )
    messages = [{**m, "content": without_chip_control(m["content"])} for m in earlier]
    return [*messages, assistant_message(bubble)], sources_section(turn, record.answer, texts)


def restored_conversation(
    stored_id: str, turns: Sequence[StoredTurn], article_text: Callable[[str], str]
) -> Conversation:
    """The session state of a kept conversation: its bubbles and source cards rendered again (from the
    articles as they are now) and the follow-up state as it was, so the next question continues it."""
    messages: list[Message] = []
    sections: list[str] = []
    answered: list[AnsweredQuestion] = []
    for position, stored in enumerate(turns, start=1):
        record = AnsweredQuestion(stored.answer, stored.filters, stored.dropped_period)
        messages, section = with_answer(
            [*messages, user_message(stored.question)], position, record, article_text
        )
        sections.append(section)
        answered.append(record)
    return Conversation(
        turns=[stored.follow_up for stored in turns],
        messages=messages,
        source_sections=sections,
        answered=answered,
        stored_id=stored_id,
    )


def keep_turn(
    store: ConversationStore, owner: str, updated: Conversation, position: int, shown_turns: int
) -> bool:
    """Writes turn `position` (0-based) of `updated` to the store, starting the kept conversation on its
    first answer (sets `stored_id`); `shown_turns` is how many turns the page held before. A conversation
    deleted or continued elsewhere meanwhile is kept as a new one, never overwritten. False when the
    store failed (the answer is shown all the same)."""
    turns = [
        StoredTurn(record.answer, record.filters, follow_up, record.dropped_period)
        for record, follow_up in zip(updated.answered, updated.turns, strict=True)
    ]
    try:
        if updated.stored_id is not None:
            try:
                store.put_turn(
                    owner, updated.stored_id, position, turns[position], expected_turns=shown_turns
                )
                return True
            except (
                ConversationNotFoundError,
                ConversationChangedError,
            ):  # another tab deleted or continued it
                logger.info("Conversation %s changed meanwhile; kept as a new one", updated.stored_id)
        updated.stored_id = store.start(owner, turns[0])
        for later, turn in enumerate(turns[1:], start=1):
            store.put_turn(owner, updated.stored_id, later, turn)
        return True
    except (sqlite3.Error, OSError, ValueError):
        logger.exception("Keeping the conversation of %r failed", owner)
        return False
