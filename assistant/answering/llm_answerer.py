"""Answers written by a configured LLM (Ollama or an OpenAI-compatible server), checked and cited.

The LLM sees only our system prompt and the numbered, delimited sources. Its text streams to the user
(images, HTML and outside links held back and removed: `llm_markup`); then the citation checker renumbers
and verifies every `[n]` (`citation_checker`). The same contracts hold as offline (issue 13):
- a factoid answer opens with the fact: the model writes `Trả lời ngắn: <fact> [n]` first; that line
  becomes `Answer.short_answer` only if it is grounded (a real source, its numbers, dates and names in
  that article), otherwise it is dropped and listed as unsupported. Without the line, the extractive
  short answer for the same passages is used when its article is among the model's citations;
- claims the checker cannot verify stay visible, marked «chưa kiểm chứng», with a notice; when most
  of the answer fails, the user gets the extractive answer with a notice instead;
- if the LLM is down, slow past its timeout or returns garbage, the extractive answer with a notice.
LLM-written briefings go through the same checker (their numbers are kept: the sources list is numbered).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.answering.answer_models import Answer, AnswerEvent, Citation, SourcePassage
from assistant.answering.citation_checker import CheckedAnswer, check_citations
from assistant.answering.citation_markers import MARKER, NOT_STATED, marker_numbers
from assistant.answering.extractive_answerer import NOT_FOUND
from assistant.answering.llm_markup import StreamGuard, strip_markup
from assistant.question.follow_up import Turn
from assistant.settings import Settings
from ingest.vietnamese_text import fold_accents

logger = logging.getLogger(__name__)

Fallback = Callable[[Answer, list[SourcePassage]], Answer]

OFFLINE_MODE = "Ngoại tuyến (trích xuất)"
MOSTLY_UNVERIFIED = (
    "Phần lớn câu trả lời của mô hình ngôn ngữ không kiểm chứng được với các bài nguồn, nên đây là câu "
    "trả lời trích xuất từ kho."
)
_SHORT_LINE = re.compile(r"^[\s*_#>•-]*tra loi ngan[\s*_]*[:：][\s*_]*")


@dataclass(frozen=True)
class DraftedBriefing:
    """A briefing body written by the LLM and checked; `notice` says what the check marked or removed."""

    text: str
    notice: str | None = None


def split_short_line(text: str) -> tuple[str | None, str]:
    """(the fact of a leading «Trả lời ngắn: … [n]» line, the rest of the text); (None, text) without one."""
    lines = text.strip().split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _SHORT_LINE.match(fold_accents(line).lower())
        if match is None:
            return None, text.strip()
        fact = line[match.end() :].strip().strip("*_").strip()
        return fact or None, "\n".join(lines[index + 1 :]).strip()
    return None, text.strip()


def checked_notice(checked: CheckedAnswer, short_rejected: bool = False) -> str | None:
    """What the user must know about the check, in Vietnamese (None when everything held)."""
    parts = []
    flagged = len(checked.unsupported_sentences) - (1 if short_rejected else 0)
    if short_rejected:
        parts.append("Câu trả lời ngắn của mô hình không khớp với bài được trích nên không hiển thị.")
    if flagged > 0:
        parts.append(
            f"Có {flagged} câu chưa kiểm chứng được với bài nguồn (đánh dấu «chưa kiểm chứng»); hãy đối "
            "chiếu với bài gốc trước khi sử dụng."
        )
    if checked.removed_quotes:
        parts.append(f"Đã lược bỏ {checked.removed_quotes} trích dẫn nguyên văn không khớp với bài gốc.")
    if checked.removed_markup:
        parts.append("Đã lược bỏ hình ảnh, mã HTML hoặc đường dẫn lạ trong câu trả lời của mô hình.")
    return " ".join(parts) or None


def _joined(*notices: str | None) -> str | None:
    return " ".join(n for n in notices if n) or None


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
        from assistant.answering.llm_providers import LLMUnavailableError, stream_chat
        from assistant.answering.source_formatting import format_sources

        messages = self._messages(
            "answer",
            sources=format_sources(passages, self.settings.llm_context_tokens),
            question=base.standalone_question or base.question,
            today=date.today().isoformat(),
        )
        pieces: list[str] = []
        guard = StreamGuard([p.url for p in passages if p.url])
        try:
            for delta in stream_chat(self.chat_model, messages, self.settings.llm_timeout_s):
                pieces.append(delta)
                shown = guard.feed(delta)
                if shown:
                    yield AnswerEvent(kind="delta", delta=shown)
        except LLMUnavailableError as exc:
            logger.warning("LLM failed, answering extractively: %s", exc)
            answer = fallback(base, passages)
            notice = f"Mô hình ngôn ngữ không trả lời được ({exc}). Đây là câu trả lời trích xuất từ kho."
            return answer.model_copy(update={"mode": OFFLINE_MODE, "notice": _joined(base.notice, notice)})
        rest = guard.finish()
        if rest:
            yield AnswerEvent(kind="delta", delta=rest)
        return self.checked_answer(base, passages, "".join(pieces), fallback)

    def checked_answer(
        self, base: Answer, passages: list[SourcePassage], text: str, fallback: Fallback
    ) -> Answer:
        """The model's `text` as the user gets it: short answer parsed, citations checked (see the module)."""
        short_line, body = split_short_line(text)
        if fold_accents(body).lower().startswith(fold_accents(NOT_FOUND[:-1]).lower()):
            cleaned = strip_markup(body, [p.url for p in passages if p.url])
            return base.model_copy(update={"text": cleaned.text.strip(), "citations": [], "found": False})
        articles = {p.article_id: self._article_text(p.article_id) for p in passages}
        question = base.standalone_question or base.question
        checked = check_citations(body, passages, articles, short_answer=short_line, question=question)
        if checked.mostly_unsupported or not (checked.text.strip() or checked.short_answer):
            logger.warning(
                "LLM answer failed the citation check (%d of %d claims): answering extractively",
                checked.failed,
                checked.claims,
            )
            answer = fallback(base, passages)
            notice = _joined(base.notice, MOSTLY_UNVERIFIED)
            return answer.model_copy(update={"mode": OFFLINE_MODE, "notice": notice})
        short = checked.short_answer
        short_rejected = short_line is not None and short is None
        if short_line is None and not NOT_STATED.search(fold_accents(checked.text).lower()):
            short = _renumbered_short(fallback(base, passages), checked.citations)
        return base.model_copy(
            update={
                "text": checked.text or short or "",  # a model that gave only the fact line
                "short_answer": short,
                "citations": checked.citations,
                "unsupported_sentences": checked.unsupported_sentences,
                "found": True,
                "notice": _joined(base.notice, checked_notice(checked, short_rejected)),
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
    ) -> DraftedBriefing | None:
        """Briefing body (without **Nguồn**) written by the LLM and checked, or None to fall back (the
        LLM failed, cited nothing real, or most of its lines are not supported by the sources)."""
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
        articles = {p.article_id: self._article_text(p.article_id) for p in renumbered}
        checked = check_citations(text, renumbered, articles, renumber=False)
        if not checked.citations or checked.mostly_unsupported:
            logger.warning(
                "LLM briefing failed the citation check (%d of %d lines): writing it extractively",
                checked.failed,
                checked.claims,
            )
            return None
        return DraftedBriefing(f"{header}\n\n{checked.text}", checked_notice(checked))


def _renumbered_short(extractive: Answer, citations: list[Citation]) -> str | None:
    """The extractive short answer with its `[n]` turned into the LLM answer's numbers for the same
    articles; None when it has none or cites an article the LLM answer does not."""
    if not extractive.short_answer:
        return None
    article_of = {c.n: c.article_id for c in extractive.citations}
    number_of = {c.article_id: c.n for c in citations}
    missing = False

    def renumber(match: re.Match[str]) -> str:
        nonlocal missing
        new = [number_of.get(article_of.get(n, "")) for n in marker_numbers(match.group(1))]
        if not new or None in new:
            missing = True
            return match.group(0)
        return "".join(f"[{n}]" for n in dict.fromkeys(new))

    short = MARKER.sub(renumber, extractive.short_answer)
    return None if missing else short
