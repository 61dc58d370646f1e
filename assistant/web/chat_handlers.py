"""Chat tab handlers, plain functions over an `ArchiveAssistant` (testable without a browser).

Each browser session owns one `Conversation` (see `conversation_state`). Asking streams the answer into a
new bubble; "Bỏ thời gian theo câu hỏi" re-asks the newest question without the period it named and
*replaces* that answer (bubble, turn, source cards): the history then says what the user now holds, and a
follow-up carries no period the user removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.inert_markdown import inert_html_markdown
from assistant.question.follow_up import Turn
from assistant.web.answer_message import (
    QUESTION_PERIOD,
    answer_markdown,
    error_markdown,
    escape_text,
    streaming_markdown,
    without_chip_control,
)
from assistant.web.conversation_state import MAX_PANEL_TURNS, AnsweredQuestion, Conversation, Message
from assistant.web.example_questions import example_questions
from assistant.web.form_values import (
    ALL_CHOICES,
    InputError,
    build_filters,
    describe_filters,
    period_label,
)
from assistant.web.permissions import NO_LOGIN, Permissions
from assistant.web.rendering import sources_section
from vectorstore.hybrid_retriever import RetrievalFilters
from vectorstore.index_errors import ArchiveIndexError

__all__ = ["FAILURE", "MAX_PANEL_TURNS", "ChatHandlers", "Conversation"]

logger = logging.getLogger(__name__)

FAILURE = "Đã có lỗi khi trả lời câu hỏi này; lỗi đã được ghi lại. Vui lòng thử lại hoặc hỏi cách khác."
NO_FILTER = "Không lọc: tìm trong toàn bộ kho."

# What every chat event returns: chat messages, sources panel HTML, the conversation, the question box.
ChatUpdate = tuple[list[Message], str, Conversation, str]


class ChatHandlers:
    """Events of the chat tab: ask (streamed), re-ask without the question's period, new conversation,
    filter summary."""

    def __init__(self, assistant: ArchiveAssistant, permissions: Permissions = NO_LOGIN) -> None:
        self.assistant = assistant
        self.permissions = permissions  # an account removed while logged in may no longer ask

    def ask(
        self,
        question: str | None,
        conversation: Conversation | None,
        date_from: str | None = "",
        date_to: str | None = "",
        category: str | None = ALL_CHOICES,
        outlet: str | None = ALL_CHOICES,
        *,
        user: str | None = None,
    ) -> Iterator[ChatUpdate]:
        """Streams (chat messages, sources panel, conversation, question box) while the answer grows;
        the last update shows the final answer with linked `[n]` markers and its source cards."""
        conversation = conversation if conversation is not None else Conversation()
        question = (question or "").strip()
        if not question:
            yield conversation.messages, conversation.panel(), conversation, ""
            return
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            refused = [*conversation.messages, _user(question), _assistant(error_markdown(refusal))]
            yield refused, conversation.panel(), conversation, question
            return
        # Each update is a new list: an update already handed out must not change afterwards.
        earlier = [*conversation.messages, _user(question)]
        try:
            filters = build_filters(date_from, date_to, category, outlet)
        except InputError as exc:
            # The question is kept in the box so the user only fixes the filter and sends again.
            yield (
                [*earlier, _assistant(error_markdown(str(exc)))],
                conversation.panel(),
                conversation,
                question,
            )
            return
        for messages, updated, failed in self._stream(
            conversation, earlier, question, filters, replace=False
        ):
            yield messages, updated.panel(), updated, question if failed else ""

    def ask_without_question_period(
        self, conversation: Conversation | None, *, user: str | None = None
    ) -> Iterator[tuple[list[Message], str, Conversation]]:
        """The chip's ✕: the newest question asked again, same history and filters, ignoring the period
        it names. Its answer replaces the old one; nothing happens when that answer used no such period."""
        conversation = conversation if conversation is not None else Conversation()
        if not conversation.last_question_period() or not self.permissions.allows(user, "ask"):
            yield conversation.messages, conversation.panel(), conversation
            return
        last = conversation.answered[-1]
        earlier = conversation.messages[:-1]
        for messages, updated, failed in self._stream(
            conversation, earlier, last.answer.question, last.filters, replace=True
        ):
            if failed:  # the earlier answer stays, with the error under it
                old = conversation.messages[-1]["content"]
                messages = [*earlier, _assistant(f"{old}\n\n{messages[-1]['content']}")]
            yield messages, updated.panel(), updated

    def _stream(
        self,
        conversation: Conversation,
        earlier: list[Message],
        question: str,
        filters: RetrievalFilters,
        *,
        replace: bool,
    ) -> Iterator[tuple[list[Message], Conversation, bool]]:
        """(messages, conversation, failed) while the answer to `question` arrives below `earlier`.
        `replace` re-asks the newest turn without its question's period, in its place."""
        history = conversation.turns[:-1] if replace else conversation.turns
        dropped = conversation.last_question_period() if replace else ""
        messages = [*earlier, _assistant(streaming_markdown(""))]
        yield messages, conversation, False
        try:
            streamed = ""
            answer: Answer | None = None
            events = (
                self.assistant.ask_stream(question, history, filters, question_dates=False)
                if replace
                else self.assistant.ask_stream(question, history, filters)
            )
            for event in events:
                if event.kind == "delta":
                    streamed += event.delta
                    messages = [*earlier, _assistant(streaming_markdown(streamed))]
                    yield messages, conversation, False
                elif event.answer is not None:
                    answer = event.answer
            if answer is None:
                raise RuntimeError("ask_stream ended without a final answer")
            yield (
                *self._finish(conversation, earlier, answer, filters, replace=replace, dropped=dropped),
                False,
            )
        except ArchiveIndexError as exc:  # damaged index or full disk: its message says what to do
            logger.error("Answering %r failed: %s", question, exc)
            yield [*earlier, _assistant(error_markdown(str(exc)))], conversation, True
        except Exception:  # the user never sees a stack trace; the log keeps it
            logger.exception("Answering %r failed", question)
            yield [*earlier, _assistant(error_markdown(FAILURE))], conversation, True

    def _finish(
        self,
        conversation: Conversation,
        earlier: list[Message],
        answer: Answer,
        filters: RetrievalFilters,
        *,
        replace: bool,
        dropped: str,
    ) -> tuple[list[Message], Conversation]:
        """The new conversation state after a final answer (a fresh object: gr.State compares values)."""
        kept = slice(None, -1) if replace else slice(None)
        turns, sections, answered = (
            conversation.turns[kept],
            conversation.source_sections[kept],
            conversation.answered[kept],
        )
        turn = len(turns) + 1
        record = AnsweredQuestion(answer, filters)
        bubble = answer_markdown(answer, turn, filters, dropped_period=dropped)
        # Only the newest answer keeps the chip's ✕.
        messages = [{**m, "content": without_chip_control(m["content"])} for m in earlier] + [
            _assistant(bubble)
        ]
        catalog = self.assistant.catalog
        texts = {
            citation.article_id: article.text if (article := catalog.article(citation.article_id)) else ""
            for citation in answer.citations
        }
        period_from, period_to = record.question_period
        updated = Conversation(
            turns=[
                *turns,
                # The question's own period (not the user's hard filter): what a follow-up carries over.
                Turn(
                    question=answer.question,
                    standalone=answer.standalone_question or answer.question,
                    answer=answer.text,
                    date_from=period_from,
                    date_to=period_to,
                ),
            ],
            messages=messages,
            source_sections=[*sections, sources_section(turn, answer, texts)],
            answered=[*answered, record],
        )
        return messages, updated

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
        conversation: Conversation | None = None,
    ) -> str:
        """The line under the filters: every period in use (the form's filter, the period the newest
        answer took from its question), what to fix, or "Không lọc" when no period is used at all."""
        try:
            filters = build_filters(date_from, date_to, category, outlet)
        except InputError as exc:
            return f"⚠️ {exc}"
        parts = [describe_filters(filters)] if filters.active else []
        asked_period = conversation.last_question_period() if conversation else ""
        if asked_period:
            parts.append(f"{QUESTION_PERIOD} (câu trả lời gần nhất): {asked_period}")
        # Outlet and category names come from article metadata: rendered as inert Markdown text.
        return inert_html_markdown(" · ".join(parts)) if parts else NO_FILTER

    def period_controls(
        self,
        conversation: Conversation | None,
        date_from: str | None = "",
        date_to: str | None = "",
        category: str | None = ALL_CHOICES,
        outlet: str | None = ALL_CHOICES,
    ) -> tuple[str, str]:
        """After each answer: the filter line, and the question's period the "Bỏ thời gian theo câu hỏi"
        button removes ("" hides the button)."""
        summary = self.filter_summary(date_from, date_to, category, outlet, conversation)
        return summary, conversation.last_question_period() if conversation else ""

    def facets(self) -> tuple[list[str], list[str]]:
        """Dropdown choices (the "all" entry first) for category and outlet."""
        categories, outlets = self.assistant.catalog.facets()
        return [ALL_CHOICES, *categories], [ALL_CHOICES, *outlets]

    def examples(self) -> list[str]:
        return example_questions(self.assistant.catalog.headlines())

    def mode_line(self) -> str:
        """`Chế độ: …` plus what the archive holds, for the page header."""
        summary = self.assistant.catalog.summary()
        period = period_label(summary.date_from, summary.date_to)
        return f"Chế độ: **{self.assistant.mode}** · Kho: {summary.articles} bài" + (
            f" ({period})" if period else ""
        )


def _user(text: str) -> Message:
    return {"role": "user", "content": escape_text(text)}


def _assistant(text: str) -> Message:
    return {"role": "assistant", "content": text}
