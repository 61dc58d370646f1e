"""`python -m assistant eval`: retrieval metrics, and with `--answers` answer metrics, on a questions file."""

from __future__ import annotations

import argparse
import json
import logging

from assistant.archive_assistant import ArchiveAssistant
from assistant.evaluation.answer_metrics import evaluate_answers
from assistant.evaluation.retrieval_evaluation import evaluate_retrieval, read_questions

logger = logging.getLogger(__name__)


def ranked_article_ids(assistant: ArchiveAssistant, question: str, k: int) -> list[str]:
    result = assistant.search(question, k)
    return list(dict.fromkeys(chunk.article_id for chunk in result.chunks))


def run_evaluation(assistant: ArchiveAssistant, args: argparse.Namespace) -> int:
    questions = list(read_questions(args.questions, args.limit))
    if not questions:
        print("Tệp câu hỏi không có câu nào.")
        return 1
    metrics = evaluate_retrieval(
        questions, lambda q, k: ranked_article_ids(assistant, q, k), unaccented=args.unaccented
    )
    report: dict[str, object] = {"retrieval": metrics.as_json()}
    if args.answers:
        report["answers"] = evaluate_answers(assistant, questions, unaccented=args.unaccented).as_json()
    with args.misses.open("w", encoding="utf-8") as handle:
        for miss in metrics.misses:
            handle.write(json.dumps(miss, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for section, values in report.items():
            print(f"[{section}]")
            for key, value in values.items():  # type: ignore[union-attr]
                print(f"  {key}: {value}")
        print(f"Câu trượt (ngoài top 5) ghi vào {args.misses}")
    return 0
