"""`python -m assistant eval`: retrieval metrics, and with `--answers` answer metrics, on a questions file.

`--outputs FILE.jsonl` keeps every answer (one JSON line per question) so that a change to the answerer
can be judged question by question, not only by the averages.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from assistant.archive_assistant import ArchiveAssistant
from assistant.evaluation.answer_metrics import evaluate_answers
from assistant.evaluation.retrieval_evaluation import evaluate_retrieval, read_questions

logger = logging.getLogger(__name__)

# Vietnamese labels for the plain-text report (the JSON report keeps the keys).
LABELS = {
    "questions": "số câu hỏi có bài đúng",
    "answerable_questions": "số câu hỏi có đáp án",
    "answer_contains_gold": "câu trả lời chứa đáp án",
    "citation_precision": "độ chính xác trích dẫn",
    "false_refusals": "từ chối nhầm",
    "short_answer_exact_match": "trả lời ngắn: khớp hoàn toàn (EM)",
    "short_answer_f1": "trả lời ngắn: F1 theo âm tiết",
    "typed_questions": "số câu hỏi ai/khi nào/ở đâu/bao nhiêu",
    "typed_exact_match": "ai/khi nào/ở đâu/bao nhiêu: EM",
    "typed_f1": "ai/khi nào/ở đâu/bao nhiêu: F1",
    "typed_gold_cited_first": "câu ai/khi nào/ở đâu/bao nhiêu có bài đúng trích dẫn đầu tiên",
    "short_answer_coverage": "trong số đó, tỷ lệ có câu trả lời ngắn",
    "unanswerable_questions": "số câu hỏi không có đáp án trong bài",
    "refusal_accuracy": "từ chối đúng (không có đáp án trong bài)",
    "off_topic_questions": "số câu hỏi ngoài phạm vi kho",
    "off_topic_refusal": "từ chối câu hỏi ngoài phạm vi kho",
    "questions_without_gold_answers": "số câu hỏi thiếu đáp án chuẩn (không chấm)",
    "answer_p50_ms": "thời gian trả lời p50 (ms)",
    "answer_p95_ms": "thời gian trả lời p95 (ms)",
    "latency_p50_ms": "thời gian truy hồi p50 (ms)",
    "latency_p95_ms": "thời gian truy hồi p95 (ms)",
}
SECTIONS = {"retrieval": "truy hồi", "answers": "câu trả lời"}


def ranked_article_ids(assistant: ArchiveAssistant, question: str, k: int) -> list[str]:
    result = assistant.search(question, k)
    return list(dict.fromkeys(chunk.article_id for chunk in result.chunks))


def write_outputs(records: list[dict[str, object]], path: Path) -> None:
    """One JSON line per question (UTF-8, diacritics as they are)."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_evaluation(assistant: ArchiveAssistant, args: argparse.Namespace) -> int:
    questions = list(read_questions(args.questions, args.limit))
    if not questions:
        print("Tệp câu hỏi không có câu nào.")
        return 1
    outputs: Path | None = getattr(args, "outputs", None)
    if outputs is not None and not args.answers:
        print("--outputs cần --answers: chỉ khi đo câu trả lời mới có câu trả lời để ghi.")
        return 1
    metrics = evaluate_retrieval(
        questions, lambda q, k: ranked_article_ids(assistant, q, k), unaccented=args.unaccented
    )
    report: dict[str, dict[str, object]] = {"retrieval": metrics.as_json()}
    if args.answers:
        answer_metrics = evaluate_answers(assistant, questions, unaccented=args.unaccented)
        report["answers"] = answer_metrics.as_json()
        if outputs is not None:
            write_outputs(answer_metrics.records, outputs)
    with args.misses.open("w", encoding="utf-8") as handle:
        for miss in metrics.misses:
            handle.write(json.dumps(miss, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for section, values in report.items():
            print(f"[{SECTIONS.get(section, section)}]")
            for key, value in values.items():
                shown = "—" if value is None else value
                print(f"  {LABELS.get(key, key)}: {shown}")
        print(f"Câu trượt (ngoài top 5) ghi vào {args.misses}")
        if outputs is not None:
            print(f"Từng câu trả lời ghi vào {outputs}")
    return 0
