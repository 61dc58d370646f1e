"""The answering chain: question + history -> plan -> retrieval -> topic gate -> the fact first -> check.

One `QueryPlan` per question (standalone question, search text, the period it names, answer type). A
period is matched against the dates articles state (`period_retrieval`); the best article must be on the
question's topic (`topic_gate`) or the answer is an honest refusal with suggestions (`refusal`); questions
about the article itself are answered from its metadata; factoid questions get the fact in one cited
line (`Answer.short_answer`) or «Bài [n] không nêu …», then the supporting sentences verbatim.

`ArchiveAssistant.ask_stream` yields text deltas then the final `Answer`; `ask` returns the `Answer`.
With an LLM configured, the LLM writes the answer from numbered sources and the citation checker
verifies it; if the LLM fails (down, slow, garbage) the user gets the extractive answer with a notice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator

from assistant.answering.answer_models import Answer, AnswerEvent, SourcePassage
from assistant.answering.extractive_answerer import (
    NOT_FOUND,
    extract_answer,
    render_answer,
    render_short_answer,
)
from assistant.answering.llm_answerer import LLMAnswerer
from assistant.answering.metadata_answer import metadata_answer
from assistant.answering.period_retrieval import PeriodRetrieval, retrieve_for_period
from assistant.answering.refusal import period_refusal_answer, refusal_answer
from assistant.answering.topic_gate import check_topic
from assistant.archive_catalog import ArchiveCatalog
from assistant.question.analysis import FACT_KINDS, METADATA_KINDS, analyse_question
from assistant.question.follow_up import Turn
from assistant.question.query_plan import QueryPlan, plan_question
from assistant.settings import Settings
from ingest.models import CleanArticle
from ingest.vietnamese_text import normalize_text
from vectorstore.archive_index import ArchiveIndex
from vectorstore.hybrid_retriever import HybridRetriever, RetrievalFilters, RetrievalResult

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MIN_OWN_WORDS_COVERAGE = 1 / 3
TOPIC_CANDIDATES = 3  # articles the topic gate may look at, best-ranked first


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
        self.catalog = ArchiveCatalog(index)
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
        plan = self.plan(question, history, filters or RetrievalFilters(), question_dates)
        answer = yield from self._answer_plan(plan, notice, history)
        if not answer.found and plan.is_follow_up and history and _has_own_topic(question):
            # A short question read as a follow-up may be a new topic ("Giá vàng hôm nay bao nhiêu?"):
            # before refusing, try it on its own.
            alone = self.plan(question, [], filters or RetrievalFilters(), question_dates)
            answer = yield from self._answer_plan(alone, notice, [])
        yield _final(answer)

    def _answer_plan(
        self, plan: QueryPlan, notice: str | None, history: list[Turn]
    ) -> Generator[AnswerEvent, None, Answer]:
        """Answer `plan`, streaming deltas; returns the final answer (not yet yielded)."""
        base = Answer(
            question=plan.question,
            standalone_question=plan.standalone,
            text="",
            mode=self.mode,
            notice=notice,
            date_from=plan.filters.date_from,
            date_to=plan.filters.date_to,
            question_date_from=plan.period_from,
            question_date_to=plan.period_to,
        )
        retrieved = self._retrieve(plan, self.settings.retrieval_k)
        passages = self._passages(retrieved.result)
        if not retrieved.in_period:
            outside = self._passages(retrieved.outside_period) if retrieved.outside_period else []
            if outside and self._on_topic(plan, outside[0]):
                return self._period_refusal(base, plan, outside)
            return self._refusal(base, plan, outside)
        on_topic = self._first_on_topic(plan, passages)
        if on_topic is None:
            return self._refusal(base, plan, passages)
        passages = [p for p in passages if p.article_id == on_topic] + [
            p for p in passages if p.article_id != on_topic
        ]
        if (
            plan.is_follow_up
            and not (plan.pinned and plan.analysis.kind in FACT_KINDS)
            and not self._on_topic(plan, passages[0], own_words_only=True)
        ):
            # The rewritten follow-up matches through the carried topic; the user's own new words
            # ("giá vàng") must be in the article too, unless the user pinned the topic and asks a
            # fact ("lớp đó kéo dài mấy ngày?"): the article may not say, and the answer then says so.
            return self._refusal(base, plan, passages)
        if plan.analysis.kind in METADATA_KINDS:
            return metadata_answer(base, plan.analysis.kind, passages[0])
        if self.llm is not None:
            llm_answer: Answer = yield from self.llm.answer_stream(base, passages, self._extractive)
            if not llm_answer.found and not llm_answer.suggestions:
                # The model said the sources do not hold it: the same refusal, with suggestions.
                return self._refusal(base.model_copy(update={"notice": llm_answer.notice}), plan, passages)
            return llm_answer
        answer = self._extractive(base, passages, plan, history)
        if not answer.found:
            return self._refusal(base, plan, passages)
        # Stream line by line: the fact first, then each sentence ending with its citation marker.
        pieces = ([answer.short_answer] if answer.short_answer else []) + (
            answer.text.split("\n") if answer.text.startswith("- ") else re.split(r"(?<=\])\s", answer.text)
        )
        for piece in pieces:
            yield AnswerEvent(kind="delta", delta=piece + "\n")
        return answer

    def plan(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: RetrievalFilters | None = None,
        question_dates: bool = True,
    ) -> QueryPlan:
        """How `question` will be searched and answered (built once per question)."""
        condense = self.llm.condense if self.llm is not None else None
        return plan_question(
            normalize_text(question),
            history or [],
            filters or RetrievalFilters(),
            self.index.store.date_range()[1],
            self.retriever.restore,
            condense,
            question_dates,
        )

    def search(self, question: str, k: int | None = None) -> RetrievalResult:
        """Retrieval exactly as `ask` does it (date words understood), without answering."""
        return self._retrieve(self.plan(question), k or self.settings.retrieval_k).result

    def _retrieve(self, plan: QueryPlan, k: int) -> PeriodRetrieval:
        if not plan.has_period:
            return PeriodRetrieval(self.retriever.search(plan.search_text, plan.filters, k))
        return retrieve_for_period(self.retriever, self._article, plan, k)

    def _article(self, article_id: str) -> CleanArticle | None:
        return self.index.store.clean_article(article_id)

    def _first_on_topic(self, plan: QueryPlan, passages: list[SourcePassage]) -> str | None:
        """The best-ranked of the first `TOPIC_CANDIDATES` articles that is on the question's topic, or
        None. An encyclopedia splits a subject into many passages under one title ("Paris"); the passage
        ranked first may be the wrong one while the second holds the question's words."""
        for article_id in list(dict.fromkeys(p.article_id for p in passages))[:TOPIC_CANDIDATES]:
            if self._on_topic(plan, next(p for p in passages if p.article_id == article_id)):
                return article_id
        return None

    def _on_topic(self, plan: QueryPlan, best: SourcePassage, own_words_only: bool = False) -> bool:
        """Whether the best article is about the question (see `topic_gate`). `own_words_only` checks
        only the topical words the user typed in this question (not the carried topic)."""
        article = self._article(best.article_id)
        if article is None:
            return False
        question = self.retriever.restore(plan.question) if own_words_only else plan.restored
        terms = analyse_question(question).content_terms if own_words_only else plan.analysis.content_terms
        if own_words_only:
            terms = [t for t in terms if not any(c.isdigit() for c in t)]
            if not terms:
                return True  # "Còn năm 2020 thì sao?": nothing of its own to check
        frequencies, n_articles = self.retriever.article_frequencies(terms)
        typed = plan.question if not plan.is_follow_up else None
        check = check_topic(
            question,
            terms,
            f"{article.title}\n{article.text}",
            frequencies,
            n_articles,
            typed,
            similarity=(best.dense_similarity, self.index.embedder.paraphrase_similarity),
        )
        logger.debug("topic check for %r: %s", question, check)
        # The user's own words of a follow-up are few and often said differently in the article ("tham
        # dự" / "dự"): a third of their weight is enough to show the question has not changed topic.
        # A new topic shows in the phrases ("giá vàng"): at least one of them must be in the article.
        if own_words_only:
            return check.coverage >= MIN_OWN_WORDS_COVERAGE and check.phrase_coverage > 0
        return check.on_topic

    def _whole_articles(self, passages: list[SourcePassage], limit: int = 3) -> list[SourcePassage]:
        """The best `limit` articles as whole-text passages: the answer sentence is often the lead,
        which need not be in the chunk that retrieval ranked first."""
        whole: dict[str, SourcePassage] = {}
        for passage in passages:
            if passage.article_id in whole or len(whole) >= limit:
                continue
            article = self._article(passage.article_id)
            if article is not None:
                whole[passage.article_id] = passage.model_copy(
                    update={"text": article.text, "start": 0, "end": len(article.text)}
                )
        return list(whole.values())

    def _extractive(
        self,
        base: Answer,
        passages: list[SourcePassage],
        plan: QueryPlan | None = None,
        history: list[Turn] | None = None,
    ) -> Answer:
        """The offline answer for `base` (also the LLM's fallback): the fact first when the question
        asks for one, the supporting sentences verbatim, every claim cited."""
        question = plan.restored if plan else self.retriever.restore(base.standalone_question)
        analysis = plan.analysis if plan else analyse_question(question)
        # A follow-up that names the previous event ("lớp đó") is answered from that event's article
        # only: another article's "hơn 10 năm" does not say how long this course lasted.
        pinned = plan is not None and plan.pinned
        whole = self._whole_articles(passages, limit=1 if pinned else 3)
        extracted = extract_answer(analysis, question, whole, self.index.embedder)
        text, citations = render_answer(extracted)
        if not text:
            return base.model_copy(update={"text": NOT_FOUND, "found": False})
        short, honest = render_short_answer(extracted, citations)
        if short is None and not honest and history and _same_answer(text, history[-1].answer):
            # A follow-up asking something new must not get the previous answer again.
            honest = f"Các bài được trích [1] không nêu thêm thông tin cho câu hỏi «{base.question}»."
        if honest:
            text = f"{honest}\n{text}"
        return base.model_copy(update={"short_answer": short, "text": text, "citations": citations})

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
                    dense_similarity=meta.get("dense_similarity"),
                )
            )
        return passages

    def _refusal(self, base: Answer, plan: QueryPlan, passages: list[SourcePassage]) -> Answer:
        """`found=False` with the closest articles (ignoring the user's filters) as suggestions."""
        closest = passages
        if not closest and plan.filters.active:
            closest = self._passages(self.retriever.search(plan.search_text, RetrievalFilters(), 3))
        return refusal_answer(base, closest, plan.filters.date_from, plan.filters.date_to)

    def _period_refusal(self, base: Answer, plan: QueryPlan, outside: list[SourcePassage]) -> Answer:
        return period_refusal_answer(base, outside, plan.period_from, plan.period_to)


def _has_own_topic(question: str) -> bool:
    """Whether a question names something beyond a period ("Còn năm 2020 thì sao?" does not)."""
    return any(not any(c.isdigit() for c in term) for term in analyse_question(question).content_terms)


def _same_answer(text: str, previous: str) -> bool:
    def core(value: str) -> str:
        return re.sub(r"\[\d+\]|\W", "", value).lower()

    return bool(previous) and core(text) == core(previous)


def _final(answer: Answer) -> AnswerEvent:
    return AnswerEvent(kind="final", answer=answer)
