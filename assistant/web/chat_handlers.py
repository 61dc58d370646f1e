"""Chat tab handlers, plain functions over an `ArchiveAssistant` (testable without a browser).

Each browser session owns one `Conversation` (see `conversation_state`). Asking streams the answer into a
new bubble; "Bỏ thời gian theo câu hỏi" re-asks the newest question without the period it named and
*replaces* that answer (bubble, turn, source cards): the history then says what the user now holds, and a
follow-up carries no period the user removed. "Trả lời lại" re-asks the newest question the same way and
"Sửa câu hỏi cuối" asks an edited one; both replace the newest answer too.

Without an LLM the answer is extracted at once; it is still shown in steps (the short answer first, then
each cited sentence, `pause_s` apart) so the bubble reads like the LLM's stream, and the last step is
exactly the final answer. Each finished answer is written to the conversation store under the user (the
login name, or "local"), so the conversation is still there after a reload or a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.conversations.store import ConversationStore, owner_of
from assistant.inert_markdown import inert_html_markdown
from assistant.question.follow_up import Turn
from assistant.web.answer_message import (
    QUESTION_PERIOD,
    answer_markdown,
    error_markdown,
    streaming_markdown,
)
from assistant.web.answer_steps import STREAM_PAUSE_S, answer_steps, step_bubble
from assistant.web.conversation_state import (
    MAX_PANEL_TURNS,
    AnsweredQuestion,
    Conversation,
    Message,
    assistant_message,
    keep_turn,
    user_message,
    with_answer,
)
from assistant.web.example_questions import example_questions
from assistant.web.form_values import (
    ALL_CHOICES,
    InputError,
    build_filters,
    describe_filters,
    period_label,
)
from assistant.web.permissions import NO_LOGIN, Permissions
from vectorstore.hybrid_retriever import RetrievalFilters
from vectorstore.index_errors import ArchiveIndexError

__all__ = ["FAILURE", "MAX_PANEL_TURNS", "STREAM_PAUSE_S", "ChatHandlers", "Conversation"]

logger = logging.getLogger(__name__)

FAILURE = "Đã có lỗi khi trả lời câu hỏi này; lỗi đã được ghi lại. Vui lòng thử lại hoặc hỏi cách khác."
NO_FILTER = "Không lọc: tìm trong toàn bộ kho."
NOT_KEPT = "Không lưu được cuộc trò chuyện này (lỗi đã được ghi lại); câu trả lời vẫn hiện ở đây."

# What every chat event returns: chat messages, sources panel HTML, the conversation, the question box.
ChatUpdate = tuple[list[Message], str, Conversation, str]


class ChatHandlers:
    """Events of the chat tab: ask (streamed), re-ask without the question's period, regenerate, edit the
    newest question, new conversation, filter summary."""

    def __init__(
        self,
        assistant: ArchiveAssistant,
        permissions: Permissions = NO_LOGIN,
        store: ConversationStore | None = None,
        pause_s: float = 0.0,
    ) -> None:
        self.assistant = assistant
        self.permissions = permissions  # an account removed while logged in may no longer ask
        self.store = store  # None: conversations live only as long as the page (tests, tools)
        self.pause_s = pause_s  # between the steps of an extractive answer

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
        yield from self._ask_at(
            len(conversation.turns), question, conversation, date_from, date_to, category, outlet, user
        )

    def ask_edited(
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
        """ "Sửa câu hỏi cuối": the edited question replaces the newest one and its answer (asked with
        the history before it and the form's filters now); with no question yet it is a plain ask."""
        conversation = conversation if conversation is not None else Conversation()
        position = max(len(conversation.turns) - 1, 0)
        yield from self._ask_at(position, question, conversation, date_from, date_to, category, outlet, user)

    def last_question(self, conversation: Conversation | None) -> str:
        """The newest question as asked (what "Sửa câu hỏi cuối" puts back in the box), or ""."""
        return conversation.answered[-1].answer.question if conversation and conversation.answered else ""

    def _ask_at(
        self,
        position: int,
        question: str | None,
        conversation: Conversation,
        date_from: str | None,
        date_to: str | None,
        category: str | None,
        outlet: str | None,
        user: str | None,
    ) -> Iterator[ChatUpdate]:
        question = (question or "").strip()
        if not question:
            yield conversation.messages, conversation.panel(), conversation, ""
            return
        # Each update is a new list: an update already handed out must not change afterwards.
        earlier = [*conversation.messages[: 2 * position], user_message(question)]
        refusal = self.permissions.refusal(user, "ask")
        if refusal:
            yield (
                [*earlier, assistant_message(error_markdown(refusal))],
                conversation.panel(),
                conversation,
                question,
            )
            return
        try:
            filters = build_filters(date_from, date_to, category, outlet)
        except InputError as exc:
            # The question is kept in the box so the user only fixes the filter and sends again.
            failed = [*earlier, assistant_message(error_markdown(str(exc)))]
            yield failed, conversation.panel(), conversation, question
            return
        steps = self._stream(conversation, earlier, question, filters, position=position, user=user)
        for messages, updated, failed_now in steps:
            yield messages, updated.panel(), updated, question if failed_now else ""

    def ask_without_question_period(
        self, conversation: Conversation | None, *, user: str | None = None
    ) -> Iterator[tuple[list[Message], str, Conversation]]:
        """The chip's ✕: the newest question asked again, same history and filters, ignoring the period
        it names. Its answer replaces the old one; nothing happens when that answer used no such period."""
        conversation = conversation if conversation is not None else Conversation()
        if not conversation.last_question_period() or not self.permissions.allows(user, "ask"):
            yield conversation.messages, conversation.panel(), conversation
            return
        yield from self._re_ask(conversation, conversation.last_question_period(), user)

    def regenerate(
        self, conversation: Conversation | None, *, user: str | None = None
    ) -> Iterator[tuple[list[Message], str, Conversation]]:
        """ "Trả lời lại": the newest question asked again exactly as it was (same history, filters and
        removed period); the new answer replaces the old one."""
        conversation = conversation if conversation is not None else Conversation()
        if not conversation.answered or not self.permissions.allows(user, "ask"):
            yield conversation.messages, conversation.panel(), conversation
            return
        yield from self._re_ask(conversation, conversation.answered[-1].dropped_period, user)

    def _re_ask(
        self, conversation: Conversation, dropped: str, user: str | None
    ) -> Iterator[tuple[list[Message], str, Conversation]]:
        last = conversation.answered[-1]
        earlier = conversation.messages[:-1]
        steps = self._stream(
            conversation,
            earlier,
            last.answer.question,
            last.filters,
            position=len(conversation.turns) - 1,
            user=user,
            dropped=dropped,
        )
        for messages, updated, failed in steps:
            if failed:  # the earlier answer stays, with the error under it
                old = conversation.messages[-1]["content"]
                messages = [*earlier, assistant_message(f"{old}\n\n{messages[-1]['content']}")]
            yield messages, updated.panel(), updated

    def _stream(
        self,
        conversation: Conversation,
        earlier: list[Message],
        question: str,
        filters: RetrievalFilters,
        *,
        position: int,
        user: str | None,
        dropped: str = "",
    ) -> Iterator[tuple[list[Message], Conversation, bool]]:
        """(messages, conversation, failed) while the answer to `question` arrives below `earlier`. It
        becomes turn `position` (0-based): the next one, or in place of the newest. `dropped` is the
        question's period the user removed (the question is then asked ignoring the period it names)."""
        history = conversation.turns[:position]
        messages = [*earlier, assistant_message(streaming_markdown(""))]
        yield messages, conversation, False
        live = getattr(self.assistant, "llm", None) is not None  # an LLM streams for real
        try:
            streamed = ""
            answer: Answer | None = None
            events = (
                self.assistant.ask_stream(question, history, filters, question_dates=False)
                if dropped
                else self.assistant.ask_stream(question, history, filters)
            )
            for event in events:
                if event.kind == "delta" and live:
                    streamed += event.delta
                    messages = [*earlier, assistant_message(streaming_markdown(streamed))]
                    yield messages, conversation, False
                elif event.answer is not None:
                    answer = event.answer
            if answer is None:
                raise RuntimeError("ask_stream ended without a final answer")
            if not live:
                for step in answer_steps(answer):
                    bubble = step_bubble(answer_markdown(step, position + 1, filters, dropped_period=dropped))
                    yield [*earlier, assistant_message(bubble)], conversation, False
                    time.sleep(self.pause_s)
            record = AnsweredQuestion(answer, filters, dropped)
            yield (*self._finish(conversation, earlier, record, position, user), False)
        except ArchiveIndexError as exc:  # damaged index or full disk: its message says what to do
            logger.error("Answering %r failed: %s", question, exc)
            yield [*earlier, assistant_message(error_markdown(str(exc)))], conversation, True
        except Exception:  # the user never sees a stack trace; the log keeps it
            logger.exception("Answering %r failed", question)
            yield [*earlier, assistant_message(error_markdown(FAILURE))], conversation, True

    def _finish(
        self,
        conversation: Conversation,
        earlier: list[Message],
        record: AnsweredQuestion,
        position: int,
        user: str | None,
    ) -> tuple[list[Message], Conversation]:
        """The new conversation state after a final answer (a fresh object: gr.State compares values),
        kept in the store."""
        answer = record.answer
        catalog = self.assistant.catalog

        def article_text(article_id: str) -> str:
            article = catalog.article(article_id)
            return article.text if article else ""

        messages, section = with_answer(earlier, position + 1, record, article_text)
        period_from, period_to = record.question_period
        updated = Conversation(
            turns=[
                *conversation.turns[:position],
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
            source_sections=[*conversation.source_sections[:position], section],
            answered=[*conversation.answered[:position], record],
            stored_id=conversation.stored_id,
        )
        shown = len(conversation.turns)
        if self.store is not None and not keep_turn(self.store, owner_of(user), updated, position, shown):
            messages[-1] = assistant_message(f"{messages[-1]['content']}\n\n{error_markdown(NOT_KEPT)}")
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
