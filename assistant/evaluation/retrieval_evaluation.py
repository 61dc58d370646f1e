"""Retrieval quality on a questions file: Recall@1/5/10 (article level), MRR@10, nDCG@10, latency.

Questions come as JSON Lines with `question` and either `gold` (article ids) or `context_id` (the
`../shared/qa` format), optional `answers` (gold answer strings) and `is_impossible: true` or
`answerable: false` for questions the archive cannot answer. Questions without gold are skipped here (the
answer metrics score them).
"""

from __future__ import annotations

import gzip
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.vietnamese_text import fold_accents

Search = Callable[[str, int], list[str]]  # question, k -> ranked article ids


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    gold: frozenset[str]
    answers: tuple[str, ...] = ()
    impossible: bool = False

    @property
    def off_topic(self) -> bool:
        """Unanswerable and tied to no article: nothing in the archive is about it (prices, weather,
        sport ...), unlike ViQuAD 2.0's unanswerable questions written against one paragraph."""
        return self.impossible and not self.gold


@dataclass
class RetrievalMetrics:
    questions: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr10: float = 0.0
    ndcg10: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    misses: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "questions": self.questions,
            **{f"recall@{k}": round(v, 4) for k, v in sorted(self.recall.items())},
            "mrr@10": round(self.mrr10, 4),
            "ndcg@10": round(self.ndcg10, 4),
            "latency_p50_ms": round(self.latency_p50_ms, 1),
            "latency_p95_ms": round(self.latency_p95_ms, 1),
        }


def read_questions(path: Path, limit: int | None = None) -> Iterator[EvalQuestion]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if limit is not None and number > limit:
                return
            if not line.strip():
                continue
            row = json.loads(line)
            gold = row.get("gold") or ([row["context_id"]] if row.get("context_id") else [])
            yield EvalQuestion(
                id=str(row.get("id", number)),
                question=row["question"],
                gold=frozenset(str(g) for g in gold),
                answers=tuple(row.get("answers") or ()),
                impossible=bool(row.get("is_impossible", False)) or row.get("answerable") is False,
            )


def evaluate_retrieval(
    questions: list[EvalQuestion], search: Search, unaccented: bool = False, ks: tuple[int, ...] = (1, 5, 10)
) -> RetrievalMetrics:
    metrics = RetrievalMetrics()
    hits = dict.fromkeys(ks, 0)
    reciprocal = 0.0
    ndcg = 0.0
    latencies: list[float] = []
    depth = max(max(ks), 10)
    for item in questions:
        if not item.gold:
            continue
        question = fold_accents(item.question) if unaccented else item.question
        started = time.perf_counter()
        ranked = search(question, depth)
        latencies.append((time.perf_counter() - started) * 1000)
        metrics.questions += 1
        for k in ks:
            hits[k] += any(a in item.gold for a in ranked[:k])
        first = next((i for i, a in enumerate(ranked[:10]) if a in item.gold), None)
        reciprocal += 1 / (first + 1) if first is not None else 0.0
        dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(ranked[:10]) if a in item.gold)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(item.gold), 10)))
        ndcg += dcg / ideal if ideal else 0.0
        if first is None or first >= 5:
            metrics.misses.append(
                {"id": item.id, "question": question, "gold": sorted(item.gold), "ranked": ranked[:10]}
            )
    n = max(metrics.questions, 1)
    metrics.recall = {k: hits[k] / n for k in ks}
    metrics.mrr10 = reciprocal / n
    metrics.ndcg10 = ndcg / n
    if latencies:
        metrics.latency_p50_ms = float(np.percentile(latencies, 50))
        metrics.latency_p95_ms = float(np.percentile(latencies, 95))
    return metrics
