"""Diacritic restoration benchmark: how well `DiacriticRestorer` puts the marks back on typed questions.

    python bench/diacritics.py                    # VNTC first 20,000 articles + ViNewsQA-contexts model
    python bench/diacritics.py --articles 5000    # a smaller training set

Each ViNewsQA dev question (2,497, health news) is NFC-normalised, accent-folded, restored and compared
with the original, lower-cased: syllable accuracy over `word_tokens` and whole-question exact match.
"Half accented" keeps the marks on a random half of the syllables (seed 0), as when a user types some;
"fragments" are the first six syllables without punctuation, as staff type keyword searches.
Two models: (1) trained on the first N VNTC news articles (another domain and decade: the honest case);
(2) trained on the 500 ViNewsQA contexts only — a small archive, and the questions are about exactly
these articles, which is the assistant's situation but makes the figure optimistic.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import logging
import random
import resource
import statistics
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ingest.vietnamese_text import fold_accents, word_tokens
from vectorstore.diacritics.restorer import DiacriticRestorer

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "vntc_news.jsonl.gz"
QUESTIONS = SHARED / "qa" / "vinewsqa_dev_qa.jsonl.gz"
CONTEXTS = SHARED / "qa" / "vinewsqa_dev_contexts.jsonl.gz"
logger = logging.getLogger("bench.diacritics")


def _texts(path: Path, limit: int | None = None) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit):
            yield json.loads(line)["text"]


def _questions() -> list[str]:
    with gzip.open(QUESTIONS, "rt", encoding="utf-8") as lines:
        return [unicodedata.normalize("NFC", json.loads(line)["question"]) for line in lines]


def _folded(question: str, _: random.Random) -> tuple[str, str]:
    return fold_accents(question), question


def _partly_folded(question: str, rng: random.Random) -> tuple[str, str]:
    """A random half of the syllables folded, the rest typed with their marks."""
    words = question.split(" ")
    return " ".join(word if rng.random() < 0.5 else fold_accents(word) for word in words), question


def _keyword_fragment(question: str, _: random.Random) -> tuple[str, str]:
    """The first six syllables, folded, no final punctuation: how staff type a search."""
    fragment = " ".join(word_tokens(question)[:6])
    return fold_accents(fragment), fragment


TYPINGS = {
    "folded questions": _folded,
    "half the syllables typed accented": _partly_folded,
    "6-syllable keyword fragments": _keyword_fragment,
}


def _evaluate(restorer: DiacriticRestorer, questions: list[str], label: str, typing: str) -> None:
    rng = random.Random(0)
    restorer.restore("khởi động")  # build derived tables outside the timing
    correct = total = exact = 0
    latencies: list[float] = []
    latencies_15: list[float] = []
    for question in questions:
        typed, wanted = TYPINGS[typing](question, rng)
        started = time.perf_counter()
        restored = restorer.restore(typed)
        elapsed = time.perf_counter() - started
        expected, got = word_tokens(wanted), word_tokens(restored)
        if len(expected) != len(got):
            raise AssertionError(f"token count changed: {wanted!r} -> {restored!r}")
        correct += sum(a == b for a, b in zip(expected, got, strict=True))
        total += len(expected)
        exact += restored.lower() == wanted.lower()
        latencies.append(elapsed)
        if 14 <= len(expected) <= 16:
            latencies_15.append(elapsed)
    timing = f"restore median {statistics.median(latencies) * 1e3:.2f} ms"
    if len(latencies_15) >= 20:
        p95_15 = statistics.quantiles(latencies_15, n=20)[-1]
        timing += (
            f"; 15-syllable median {statistics.median(latencies_15) * 1e3:.2f} ms, p95 {p95_15 * 1e3:.2f} ms"
        )
    print(
        f"{label + ', ' + typing:<70} syllables {correct / total:7.2%}  exact {exact / len(questions):7.2%}  "
        + timing
    )


def _timed_train(label: str, texts: Iterator[str]) -> DiacriticRestorer:
    started = time.perf_counter()
    restorer = DiacriticRestorer.train(texts)
    elapsed = time.perf_counter() - started
    print(
        f"{label}: {restorer.syllable_count:,} syllables in {elapsed:.1f} s "
        f"({restorer.syllable_count / elapsed:,.0f}/s)"
    )
    return restorer


def _round_trip(restorer: DiacriticRestorer, folder: Path, min_count: int) -> DiacriticRestorer:
    path = folder / f"model_min{min_count}.json.gz"
    started = time.perf_counter()
    restorer.save(path, min_count=min_count)
    saved = time.perf_counter() - started
    started = time.perf_counter()
    loaded = DiacriticRestorer.load(path)
    loaded.restore("khởi động")
    print(
        f"  saved min_count={min_count}: {path.stat().st_size / 1e6:.1f} MB, save {saved:.1f} s, "
        f"load {time.perf_counter() - started:.1f} s"
    )
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="VNTC articles to train on")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    questions = _questions()
    folded_share = sum(
        a == b for q in questions for a, b in zip(word_tokens(q), word_tokens(fold_accents(q)), strict=True)
    ) / sum(len(word_tokens(q)) for q in questions)
    print(f"{len(questions):,} questions; syllables already right when left folded: {folded_share:.2%}")

    large = _timed_train(f"VNTC first {args.articles:,} articles", _texts(CORPUS, args.articles))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory after training: {peak_mb:,.0f} MB")
    for typing in TYPINGS:
        _evaluate(large, questions, "VNTC model", typing)
    with tempfile.TemporaryDirectory() as folder:
        _round_trip(large, Path(folder), min_count=1)
        pruned = _round_trip(large, Path(folder), min_count=2)
    _evaluate(pruned, questions, "VNTC model saved with min_count=2", "folded questions")

    small = _timed_train("ViNewsQA 500 contexts", _texts(CONTEXTS))
    with tempfile.TemporaryDirectory() as folder:
        _round_trip(small, Path(folder), min_count=1)
    for typing in TYPINGS:
        _evaluate(small, questions, "ViNewsQA-contexts model", typing)


if __name__ == "__main__":
    main()
