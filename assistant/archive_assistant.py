"""The answering chain: question + history -> standalone question -> hybrid retrieval -> answer -> check.

`ArchiveAssistant.ask_stream` yields text deltas then the final `Answer`; `ask` returns the `Answer`.
With an LLM configured, the LLM writes the answer from numbered sources and the citation checker
verifies it; if the LLM fails (down, slow, garbage) the user gets the extractive answer with a notice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from assistant.answering.answer_models import Answer, AnswerEvent, SourcePassage, Suggestion
from assistant.answering.extractive_answerer import NOT_FOUND, extract_answer, render_answer
from assistant.answering.llm_answerer import LLMAnswerer
from assistant.question.analysis import analyse_question
from assistant.question.follow_up import Turn, carried_dates, condense_without_llm, is_follow_up
from assistant.question.query_filters import parse_query_filters
from assistant.settings import Settings
from ingest.vietnamese_text import normalize_text
from vectorstore.archive_index import ArchiveIndex
from vectorstore.hybrid_retriever import HybridRetriever, RetrievalFilters, RetrievalResult

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Share of the question's topical words that the best article must contain to count as relevant.
MIN_TERM_COVERAGE = 0.5


class ArchiveAssistant:
    """Answers questions about one archive. Thread-safe: the web app shares one instance."""

    def __init__(
        self,
        settings: Settings,
        index: ArchiveIndex,
        retriever: HybridRetriever,
        llm: LLMAnswerer | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.retriever = retriever
        self.llm = llm

    def warm_up(self) -> None:
        """Load the indexes and models now, so the first user does not wait for them (the web app
        calls this in the background at start)."""
        started = time.perf_counter()
        self.retriever.warm_up()
        logger.info("Index and models loaded in %.1f s", time.perf_counter() - started)

    @property
    def mode(self) -> str:
        return self.llm.display_name if self.llm else "Ngoại tuyến (trích xuất)"

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: RetrievalFilters | None = None,
        *,
        question_dates: bool = True,
    ) -> Answer:
        final: Answer | None = None
        for event in self.ask_stream(question, history, filters, question_dates=question_dates):
            if event.kind == "final":
                final = event.answer
        assert final is not None  # ask_stream always ends with a final event
        return final

    def ask_stream(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: RetrievalFilters | None = None,
        *,
        question_dates: bool = True,
    ) -> Iterator[AnswerEvent]:
        """Stream the answer. `question_dates=False` ignores the period the question names ("năm
        2022"): the web app's chip that removes it re-asks this way."""
        history = history or []
        question = normalize_text(question)
        notice = None
        if not question.strip():
            yield _final(Answer(question=question, text="Vui lòng nhập câu hỏi.", found=False))
            return
        if len(question) > MAX_QUESTION_CHARS:
            question = question[:MAX_QUESTION_CHARS]
            notice = f"Câu hỏi quá dài nên chỉ dùng {MAX_QUESTION_CHARS} ký tự đầu."
        standalone, filters = self._understand(question, history, filters or RetrievalFilters())
        query, result = self._retrieve(standalone, filters, self.settings.retrieval_k)
        base = Answer(
            question=question,
            standalone_question=standalone,
            text="",
            mode=self.mode,
            notice=notice,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        passages = self._passages(result)
        if not passages or result.term_coverage < MIN_TERM_COVERAGE:
            yield _final(self._refusal(base, query, filters, passages))
            return
        if self.llm is not None:
            answer = yield from self.llm.answer_stream(base, passages, self._extractive)
            yield _final(answer)
            return
        extracted = extract_answer(
            analyse_question(result.restored_query),
            result.restored_query,
            self._whole_articles(passages),
            self.index.embedder,
        )
        if not extracted.sentences:
            yield _final(self._refusal(base, standalone, filters, passages))
            return
        text, citations = render_answer(extracted)
        # Stream sentence by sentence: every piece ends with its citation marker.
        pieces = text.split("\n") if extracted.as_list else re.split(r"(?<=\])\s", text)
        for number, piece in enumerate(pieces):
            yield AnswerEvent(
                kind="delta",
                delta=piece + ("" if number == len(pieces) - 1 else "\n" if extracted.as_list else " "),
            )
        yield _final(base.model_copy(update={"text": text, "citations": citations}))

    def search(self, question: str, k: int | None = None) -> RetrievalResult:
        """Retrieval exactly as `ask` does it (date words understood), without answering."""
        standalone, filters = self._understand(normalize_text(question), [], RetrievalFilters())
        return self._retrieve(standalone, filters, k or self.settings.retrieval_k)[1]

    def _retrieve(self, standalone: str, filters: RetrievalFilters, k: int) -> tuple[str, RetrievalResult]:
        newest = self.index.store.date_range()[1]
        parsed = parse_query_filters(standalone, newest)
        # Date words leave the query only when they can filter; in an archive without dates
        # ("ngày 23/12/2018") they are words of the topic and may match the text.
        query = (parsed.text or standalone) if newest is not None else standalone
        return query, self.retriever.search(query, filters, k)

    def _whole_articles(self, passages: list[SourcePassage], limit: int = 3) -> list[SourcePassage]:
        """The best `limit` articles as whole-text passages: the answer sentence is often the lead,
        which need not be in the chunk that retrieval ranked first."""
        whole: dict[str, SourcePassage] = {}
        for passage in passages:
            if passage.article_id in whole or len(whole) >= limit:
                continue
            row = self.index.store.get_article(passage.article_id)
            if row is not None:
                text = str(row["text"])
                whole[passage.article_id] = passage.model_copy(
                    update={"text": text, "start": 0, "end": len(text)}
                )
        return list(whole.values())

    def _extractive(self, base: Answer, passages: list[SourcePassage]) -> Answer:
        """The offline answer for `base` (used as the LLM's fallback)."""
        question = self.retriever.restore(base.standalone_question)
        extracted = extract_answer(
            analyse_question(question), question, self._whole_articles(passages), self.index.embedder
        )
        text, citations = render_answer(extracted)
        return base.model_copy(
            update={"text": text or NOT_FOUND, "citations": citations, "found": bool(text)}
        )

    def _understand(
        self, question: str, history: list[Turn], filters: RetrievalFilters
    ) -> tuple[str, RetrievalFilters]:
        newest = self.index.store.date_range()[1]
        own = parse_query_filters(question, newest)
        follow_up = is_follow_up(question, history)
        if self.llm is not None and follow_up:
            standalone = self.llm.condense(question, history) or condense_without_llm(
                question, own.matched, history
            )
        else:
            standalone = condense_without_llm(question, own.matched, history)
        parsed = parse_query_filters(standalone, newest)
        date_from, date_to = parsed.date_from, parsed.date_to
        if date_to and not parsed.date_filter_strict:
            # "Hội nghị ... năm 2022" names an event of 2022 that may be reported early the next year.
            date_to = _one_year_later(date_to)
        if newest is None:
            # No article has a date: words like "năm 2014" describe the topic, they cannot filter.
            date_from = date_to = None
        date_from, date_to = carried_dates(date_from, date_to, history, follow_up)
        if filters.date_from or filters.date_to:  # the user's explicit filter wins
            date_from, date_to = filters.date_from, filters.date_to
        return standalone, replace(filters, date_from=date_from, date_to=date_to)

    def _passages(self, result: RetrievalResult) -> list[SourcePassage]:
        documents = self.retriever.to_documents(result)
        numbers: dict[str, int] = {}
        passages = []
        for document in documents:
            meta = document.metadata
            n = numbers.setdefault(meta["article_id"], len(numbers) + 1)
            passages.append(
                SourcePassage(
                    n=n,
                    article_id=meta["article_id"],
                    title=meta["title"],
                    text=document.page_content,
                    start=meta["start"],
                    end=meta["end"],
                    published_date=meta["published_date"],
                    url=meta["url"],
                    author=meta["author"],
                    outlet=meta["outlet"],
                    score=meta["score"],
                )
            )
        return passages

    def _refusal(
        self, base: Answer, query: str, filters: RetrievalFilters, passages: list[SourcePassage]
    ) -> Answer:
        """`found=False` with the closest articles (ignoring the date filter) as suggestions."""
        closest = passages
        if not closest and filters.active:
            closest = self._passages(self.retriever.search(query, RetrievalFilters(), 3))
        suggestions = list(
            {
                p.article_id: Suggestion(
                    article_id=p.article_id, title=p.title, published_date=p.published_date
                )
                for p in closest
            }.values()
        )[:3]
        text = NOT_FOUND
        if filters.date_from or filters.date_to:
            text = (
                f"{NOT_FOUND[:-1]} trong khoảng thời gian "
                f"{_date_label(filters.date_from)} – {_date_label(filters.date_to)}."
            )
        if suggestions:
            names = "; ".join(
                f"«{s.title}»" + (f" ({s.published_date:%d/%m/%Y})" if s.published_date else "")
                for s in suggestions
            )
            text += f" Các bài gần nhất: {names}."
        return base.model_copy(update={"text": text, "found": False, "suggestions": suggestions})


def _one_year_later(value: date) -> date:
    return value.replace(year=value.year + 1, day=28 if (value.month, value.day) == (2, 29) else value.day)


def _date_label(value: object) -> str:
    return f"{value:%d/%m/%Y}" if value else "…"


def _final(answer: Answer) -> AnswerEvent:
    return AnswerEvent(kind="final", answer=answer)
