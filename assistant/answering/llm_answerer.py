"""Answers written by a configured LLM (Ollama or an OpenAI-compatible server), checked and cited.

The LLM sees only our system prompt and the numbered, delimited sources. Its text streams to the user;
then the citation checker renumbers and verifies every `[n]`. If the LLM is down, slow past its timeout
or returns garbage, the user gets the extractive answer with a visible notice instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from datetime import date
from typing import Any

from assistant.answering.answer_models import Answer, AnswerEvent, SourcePassage
from assistant.answering.extractive_answerer import NOT_FOUND
from assistant.question.follow_up import Turn
from assistant.settings import Settings

logger = logging.getLogger(__name__)

Fallback = Callable[[Answer, list[SourcePassage]], Answer]


class LLMAnswerer:
    def __init__(
        self, settings: Settings, chat_model: Any, display_name: str, article_text: Callable[[str], str]
    ) -> None:
        self.settings = settings
        self.chat_model = chat_model
        self.display_name = display_name
        self._article_text = article_text  # full article text by id, to locate quotes

    @classmethod
    def from_settings(cls, settings: Settings, article_text: Callable[[str], str]) -> LLMAnswerer:
        from assistant.answering.llm_providers import build_chat_model, llm_display_name

        return cls(settings, build_chat_model(settings), llm_display_name(settings), article_text)

    def _messages(self, template: str, **values: str) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        from prompts import load_prompt

        return [
            SystemMessage(content=load_prompt("system").format()),
            HumanMessage(content=load_prompt(template).format(**values)),
        ]

    def _complete(self, messages: list[Any]) -> str:
        from assistant.answering.llm_providers import stream_chat

        return "".join(stream_chat(self.chat_model, messages, self.settings.llm_timeout_s)).strip()

    def answer_stream(
        self, base: Answer, passages: list[SourcePassage], fallback: Fallback
    ) -> Generator[AnswerEvent, None, Answer]:
        """Stream the LLM's answer; return the checked `Answer` (or the fallback's, with a notice)."""
        from assistant.answering.citation_checker import check_citations
        from assistant.answering.llm_providers import LLMUnavailableError, stream_chat
        from assistant.answering.source_formatting import format_sources

        messages = self._messages(
            "answer",
            sources=format_sources(passages, self.settings.llm_context_tokens),
            question=base.standalone_question or base.question,
            today=date.today().isoformat(),
        )
        pieces: list[str] = []
        try:
            for delta in stream_chat(self.chat_model, messages, self.settings.llm_timeout_s):
                pieces.append(delta)
                yield AnswerEvent(kind="delta", delta=delta)
        except LLMUnavailableError as exc:
            logger.warning("LLM failed, answering extractively: %s", exc)
            answer = fallback(base, passages)
            notice = f"Mô hình ngôn ngữ không trả lời được ({exc}). Đây là câu trả lời trích xuất từ kho."
            return answer.model_copy(update={"mode": "Ngoại tuyến (trích xuất)", "notice": notice})
        text = "".join(pieces).strip()
        articles = {p.article_id: self._article_text(p.article_id) for p in passages}
        checked = check_citations(text, passages, articles)
        found = not checked.text.startswith(NOT_FOUND[:-1])
        return base.model_copy(
            update={
                "text": checked.text,
                "citations": checked.citations if found else [],
                "unsupported_sentences": checked.unsupported_sentences,
                "found": found,
            }
        )

    def condense(self, question: str, history: list[Turn]) -> str | None:
        """A standalone question from the conversation, or None if the LLM cannot help now."""
        from assistant.answering.llm_providers import LLMUnavailableError

        lines = [f"Người dùng: {t.question}\nTrợ lý: {t.answer[:500]}" for t in history[-4:]]
        try:
            text = self._complete(self._messages("condense", history="\n".join(lines), question=question))
        except LLMUnavailableError as exc:
            logger.warning("Condensing with the LLM failed: %s", exc)
            return None
        line = text.strip().splitlines()[0].strip() if text.strip() else ""
        return line if 3 <= len(line) <= 500 else None

    def briefing(
        self, topic: str, header: str, passages: list[SourcePassage], numbers: dict[str, int]
    ) -> str | None:
        """Briefing body (without **Nguồn**) written by the LLM, or None to fall back."""
        from assistant.answering.llm_providers import LLMUnavailableError
        from assistant.answering.source_formatting import format_sources

        renumbered = [p.model_copy(update={"n": numbers[p.article_id]}) for p in passages]
        try:
            text = self._complete(
                self._messages(
                    "briefing",
                    topic=topic,
                    date_range=header,
                    sources=format_sources(renumbered, self.settings.llm_context_tokens),
                )
            )
        except LLMUnavailableError as exc:
            logger.warning("Briefing with the LLM failed: %s", exc)
            return None
        return f"{header}\n\n{text}" if "[" in text else None
