"""Chat tab handlers, plain functions over an `ArchiveAssistant` (testable without a browser).

Each browser session owns one `Conversation` in `gr.State`: its turns (what the assistant needs to
understand a follow-up), the chat messages and the sources panel. The conversation lives on the server
and is never taken from the client, so one session can neither see nor inject another's history.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.question.follow_up import Turn
from assistant.web.answer_message import answer_markdown, error_markdown, escape_text, streaming_markdown
from assistant.web.example_questions import example_questions
from assistant.web.form_values import (
    ALL_CHOICES,
    InputError,
    build_filters,
    describe_filters,
    period_label,
)
from assistant.web.rendering import sources_panel, sources_section
from vectorstore.hybrid_retriever import RetrievalFilters
from vectorstore.index_errors import ArchiveIndexError

logger = logging.getLogger(__name__)

Message = dict[str, str]
# Source sections kept in the panel: enough for a working session, bounded for long ones.
MAX_PANEL_TURNS = 10
FAILURE = "Đã có lỗi khi trả lời câu hỏi này; lỗi đã được ghi lại. Vui lòng thử lại hoặc hỏi cách khác."


@dataclass
class Conversation:
    """One session's conversation (the value of the chat tab's `gr.State`)."""

    turns: list[Turn] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    source_sections: list[str] = field(default_factory=list)

    def panel(self) -> str:
        return sources_panel(self.source_sections[-MAX_PANEL_TURNS:])


# What every chat event returns: chat messages, sources panel HTML, the conversation, the question box.
ChatUpdate = tuple[list[Message], str, Conversation, str]


class ChatHandlers:
    """Events of the chat tab: ask (streamed), new conversation, filter summary."""

    def __init__(self, assistant: ArchiveAssistant) -> None:
        self.assistant = assistant

    def ask(
        self,
        question: str | None,
        conversation: Conversation | None,
        date_from: str | None = "",
        date_to: str | None = "",
        category: str | None = ALL_CHOICES,
        outlet: str | None = ALL_CHOICES,
    ) -> Iterator[ChatUpdate]:
        """Streams (chat messages, sources panel, conversation, question box) while the answer grows;
        the last update shows the final answer with linked `[n]` markers and its source cards."""
        conversation = conversation if conversation is not None else Conversation()
        question = (question or "").strip()
        if not question:
            yield conversation.messages, conversation.panel(), conversation, ""
            return
        # Each update is a new list: an update already handed out must not change afterwards.
        messages = [*conversation.messages, _user(question), _assistant(streaming_markdown(""))]
        yield messages, conversation.panel(), conversation, ""
        try:
            filters = build_filters(date_from, date_to, category, outlet)
            streamed = ""
            answer: Answer | None = None
            for event in self.assistant.ask_stream(question, conversation.turns, filters):
                if event.kind == "delta":
                    streamed += event.delta
                    messages = [*messages[:-1], _assistant(streaming_markdown(streamed))]
                    yield messages, conversation.panel(), conversation, ""
                elif event.answer is not None:
                    answer = event.answer
            if answer is None:
                raise RuntimeError("ask_stream ended without a final answer")
            yield self._finish(conversation, messages, answer, filters)
        except InputError as exc:
            # The question is kept in the box so the user only fixes the filter and sends again.
            yield (
                [*messages[:-1], _assistant(error_markdown(str(exc)))],
                conversation.panel(),
                conversation,
                question,
            )
        except ArchiveIndexError as exc:  # damaged index or full disk: its message says what to do
            logger.error("Answering %r failed: %s", question, exc)
            yield (
                [*messages[:-1], _assistant(error_markdown(str(exc)))],
                conversation.panel(),
                conversation,
                question,
            )
        except Exception:  # the user never sees a stack trace; the log keeps it
            logger.exception("Answering %r failed", question)
            yield (
                [*messages[:-1], _assistant(error_markdown(FAILURE))],
                conversation.panel(),
                conversation,
                question,
            )

    def _finish(
        self, conversation: Conversation, messages: list[Message], answer: Answer, filters: RetrievalFilters
    ) -> ChatUpdate:
        """The new conversation state after a final answer (a fresh object: gr.State compares values)."""
        turn = len(conversation.turns) + 1
        messages = [*messages[:-1], _assistant(answer_markdown(answer, turn, filters))]
        store = self.assistant.index.store
        texts = {
            citation.article_id: str((store.get_article(citation.article_id) or {}).get("text") or "")
            for citation in answer.citations
        }
        updated = Conversation(
            turns=[
                *conversation.turns,
                Turn(
                    question=answer.question,
                    standalone=answer.standalone_question or answer.question,
                    answer=answer.text,
                    date_from=answer.date_from,
                    date_to=answer.date_to,
                ),
            ],
            messages=messages,
            source_sections=[*conversation.source_sections, sources_section(turn, answer, texts)],
        )
        return messages, updated.panel(), updated, ""

    def new_conversation(self) -> tuple[list[Message], str, Conversation]:
        """ "Cuộc trò chuyện mới": empty chat, panel and history.

        The question box is left alone: a question typed while the reset is on its way must not be
        wiped (it was, and the next "Gửi" then sent an empty question)."""
        fresh = Conversation()
        return fresh.messages, fresh.panel(), fresh

    def filter_summary(
        self,
        date_from: str | None,
        date_to: str | None,
        category: str | None = ALL_CHOICES,
        outlet: str | None = ALL_CHOICES,
    ) -> str:
        """The line under the filters: what is active, or what to fix."""
        try:
            filters = build_filters(date_from, date_to, category, outlet)
        except InputError as exc:
            return f"⚠️ {exc}"
        return describe_filters(filters) or "Không lọc: tìm trong toàn bộ kho."

    def facets(self) -> tuple[list[str], list[str]]:
        """Dropdown choices (the "all" entry first) for category and outlet."""
        store = self.assistant.index.store
        return (
            [ALL_CHOICES, *store.facet_values("category")],
            [ALL_CHOICES, *store.facet_values("outlet")],
        )

    def examples(self) -> list[str]:
        return example_questions(self.assistant.index.store)

    def mode_line(self) -> str:
        """`Chế độ: …` plus what the archive holds, for the page header."""
        store = self.assistant.index.store
        articles = store.counts()["articles"]
        first, last = store.date_range()
        period = period_label(first, last)
        return f"Chế độ: **{self.assistant.mode}** · Kho: {articles} bài" + (f" ({period})" if period else "")


def _user(text: str) -> Message:
    return {"role": "user", "content": escape_text(text)}


def _assistant(text: str) -> Message:
    return {"role": "assistant", "content": text}
