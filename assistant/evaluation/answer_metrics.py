"""Answer quality: does the answer contain a gold answer, do its citations hold it, does its short answer
match the gold (SQuAD exact match / token F1, overall and on factoid "typed" questions), does it refuse
when the archive has no answer, and how long does answering take.

Two kinds of unanswerable questions are scored apart, because they test different things:
- in-archive unanswerable (ViQuAD 2.0's `is_impossible`, tied to a paragraph that is in the index):
  `refusal_accuracy`;
- off-topic (`answerable: false` and no gold article: prices, weather, sport ... that no article is
  about): `off_topic_refusal`.

Each question also yields one record (id, question, short answer, text, citations, found, scores) that
`eval --outputs` writes as JSON Lines, so two versions of the answerer can be compared line by line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.evaluation.retrieval_evaluation import EvalQuestion
from assistant.evaluation.short_answer_scoring import best_scores
from assistant.question.analysis import analyse_question
from ingest.vietnamese_text import fold_accents

# Factoid kinds whose short answer is a span: who, when, where, how many.
TYPED_KINDS = frozenset({"who", "when", "where", "how_many"})


@dataclass
class AnswerMetrics:
    answerable: int = 0
    contains_gold: int = 0
    answered: int = 0
    cited: int = 0
    cited_holding_answer: int = 0
    impossible: int = 0  # unanswerable, tied to an article of the archive
    refused_impossible: int = 0
    off_topic: int = 0  # unanswerable, tied to no article
    refused_off_topic: int = 0
    refused_answerable: int = 0
    unscored: int = 0  # answerable by the file's flags but without gold answers
    exact_match: float = 0.0  # sums over answerable questions
    f1: float = 0.0
    typed: int = 0
    typed_exact_match: float = 0.0
    typed_f1: float = 0.0
    typed_gold_cited_first: int = 0
    typed_gold_cited_first_with_short_answer: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    records: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "answerable_questions": self.answerable,
            "answer_contains_gold": _ratio(self.contains_gold, self.answerable),
            "citation_precision": _ratio(self.cited_holding_answer, self.cited),
            "false_refusals": _ratio(self.refused_answerable, self.answerable),
            "short_answer_exact_match": _ratio(self.exact_match, self.answerable),
            "short_answer_f1": _ratio(self.f1, self.answerable),
            "typed_questions": self.typed,
            "typed_exact_match": _ratio(self.typed_exact_match, self.typed),
            "typed_f1": _ratio(self.typed_f1, self.typed),
            "typed_gold_cited_first": self.typed_gold_cited_first,
            "short_answer_coverage": _ratio(
                self.typed_gold_cited_first_with_short_answer, self.typed_gold_cited_first
            ),
            "unanswerable_questions": self.impossible,
            "refusal_accuracy": _ratio(self.refused_impossible, self.impossible),
            "off_topic_questions": self.off_topic,
            "off_topic_refusal": _ratio(self.refused_off_topic, self.off_topic),
            "questions_without_gold_answers": self.unscored,
            "answer_p50_ms": _percentile(self.latencies_ms, 50),
            "answer_p95_ms": _percentile(self.latencies_ms, 95),
        }


def _percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def _ratio(part: float, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _norm(text: str) -> str:
    return " ".join(fold_accents(text).lower().split())


class ArticleTexts:
    """Accent-folded title + text of cited articles, read from the store once each."""

    def __init__(self, assistant: ArchiveAssistant) -> None:
        self._store = assistant.index.store
        self._cache: dict[str, str] = {}

    def __call__(self, article_id: str) -> str:
        if article_id not in self._cache:
            article = self._store.get_article(article_id)
            # Older stores return a row dict (bench/answers.py scores older versions with this code).
            if isinstance(article, dict):
                title, text = article.get("title"), article.get("text")
            else:
                title, text = getattr(article, "title", ""), getattr(article, "text", "")
            self._cache[article_id] = _norm(f"{title or ''} {text or ''}")
        return self._cache[article_id]


def timed_answer(assistant: ArchiveAssistant, question: str) -> tuple[Answer, float]:
    """The answer and the milliseconds `ask` took."""
    started = time.perf_counter()
    answer = assistant.ask(question)
    return answer, (time.perf_counter() - started) * 1000


def score_answer(
    metrics: AnswerMetrics,
    item: EvalQuestion,
    question: str,
    answer: Answer,
    latency_ms: float,
    kind: str,
    article_text: Callable[[str], str],
) -> None:
    """Add one answered question to `metrics` (and its record). `kind` is the question's analysed kind;
    the bench passes one computed by a single version so that all versions share the typed subset."""
    metrics.latencies_ms.append(latency_ms)
    # `short_answer` is read defensively: the bench runs this code against older answerers too.
    short_answer: str | None = getattr(answer, "short_answer", None) or None
    citations = sorted(answer.citations, key=lambda c: c.n)
    record: dict[str, object] = {
        "id": item.id,
        "question": question,
        "short_answer": short_answer,
        "text": answer.text,
        "citations": [{"n": c.n, "article_id": c.article_id} for c in citations],
        "found": answer.found,
        "kind": kind,
        "exact_match": None,
        "f1": None,
        "latency_ms": round(latency_ms, 1),
    }
    metrics.records.append(record)
    if item.impossible:
        if item.off_topic:
            metrics.off_topic += 1
            metrics.refused_off_topic += not answer.found
        else:
            metrics.impossible += 1
            metrics.refused_impossible += not answer.found
        return
    if not item.answers:
        metrics.unscored += 1
        return
    metrics.answerable += 1
    typed = kind in TYPED_KINDS
    exact, f1 = best_scores(short_answer if answer.found else None, item.answers)
    record["exact_match"], record["f1"] = exact, round(f1, 4)
    metrics.exact_match += exact
    metrics.f1 += f1
    if typed:
        metrics.typed += 1
        metrics.typed_exact_match += exact
        metrics.typed_f1 += f1
    if not answer.found:
        metrics.refused_answerable += 1
        return
    metrics.answered += 1
    if typed and citations and citations[0].article_id in item.gold:
        metrics.typed_gold_cited_first += 1
        metrics.typed_gold_cited_first_with_short_answer += short_answer is not None
    golds = [_norm(a) for a in item.answers]
    metrics.contains_gold += any(g in _norm(answer.text) for g in golds)
    for citation in answer.citations:
        metrics.cited += 1
        metrics.cited_holding_answer += any(g in article_text(citation.article_id) for g in golds)


def question_as_asked(item: EvalQuestion, unaccented: bool) -> str:
    return fold_accents(item.question) if unaccented else item.question


def evaluate_answers(
    assistant: ArchiveAssistant, questions: list[EvalQuestion], unaccented: bool = False
) -> AnswerMetrics:
    metrics = AnswerMetrics()
    article_text = ArticleTexts(assistant)
    for item in questions:
        question = question_as_asked(item, unaccented)
        answer, latency_ms = timed_answer(assistant, question)
        kind = analyse_question(question).kind
        score_answer(metrics, item, question, answer, latency_ms, kind, article_text)
    return metrics
