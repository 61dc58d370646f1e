"""Answer quality: does the answer contain a gold answer, do its citations hold it, does it refuse
when the archive has no answer (the unanswerable questions of ViQuAD 2.0)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from assistant.archive_assistant import ArchiveAssistant
from assistant.evaluation.retrieval_evaluation import EvalQuestion
from ingest.vietnamese_text import fold_accents


@dataclass
class AnswerMetrics:
    answerable: int = 0
    contains_gold: int = 0
    answered: int = 0
    cited: int = 0
    cited_holding_answer: int = 0
    impossible: int = 0
    refused_impossible: int = 0
    refused_answerable: int = 0
    latencies_ms: list[float] | None = None

    def as_json(self) -> dict[str, object]:
        latencies = self.latencies_ms or [0.0]
        return {
            "answerable_questions": self.answerable,
            "answer_contains_gold": _ratio(self.contains_gold, self.answerable),
            "citation_precision": _ratio(self.cited_holding_answer, self.cited),
            "false_refusals": _ratio(self.refused_answerable, self.answerable),
            "unanswerable_questions": self.impossible,
            "refusal_accuracy": _ratio(self.refused_impossible, self.impossible),
            "answer_p50_ms": round(float(np.percentile(latencies, 50)), 1),
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _norm(text: str) -> str:
    return " ".join(fold_accents(text).lower().split())


def evaluate_answers(
    assistant: ArchiveAssistant, questions: list[EvalQuestion], unaccented: bool = False
) -> AnswerMetrics:
    metrics = AnswerMetrics(latencies_ms=[])
    article_text_cache: dict[str, str] = {}
    for item in questions:
        question = fold_accents(item.question) if unaccented else item.question
        started = time.perf_counter()
        answer = assistant.ask(question)
        metrics.latencies_ms.append((time.perf_counter() - started) * 1000)  # type: ignore[union-attr]
        if item.impossible or not item.answers:
            metrics.impossible += 1
            metrics.refused_impossible += not answer.found
            continue
        metrics.answerable += 1
        golds = [_norm(a) for a in item.answers]
        if not answer.found:
            metrics.refused_answerable += 1
            continue
        metrics.answered += 1
        metrics.contains_gold += any(g in _norm(answer.text) for g in golds)
        for citation in answer.citations:
            if citation.article_id not in article_text_cache:
                row = assistant.index.store.get_article(citation.article_id) or {}
                article_text_cache[citation.article_id] = _norm(
                    f"{row.get('title', '')} {row.get('text', '')}"
                )
            metrics.cited += 1
            metrics.cited_holding_answer += any(g in article_text_cache[citation.article_id] for g in golds)
    return metrics
