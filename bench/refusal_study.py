"""Can the offline answerer tell when the answer is NOT in the article it found? (issue 4: refusal)

ViQuAD 2.0 plants unanswerable questions about paragraphs that are in the archive. Retrieval finds the
paragraph, and the extractive answerer returns its closest sentence. This study asks whether signals
available without a reader model (weighted word overlap of the chosen sentence and its neighbours,
e5 question-sentence similarity, question syllable pairs found in the sentence or article, numbers of
the question missing from the article, the answer-type cue, the topic gate's rarity-weighted coverage)
separate answerable from unanswerable questions well enough to refuse on them. Measured on ViQuAD 2.0 dev
(fit on one split, scored on another) when retrieval's plain term coverage was the gate (commit 9ed7af7):
they do not (held-out ROC AUC about 0.57; unanswerable questions even overlap the text MORE, since
annotators wrote them from the paragraph's words), and every threshold costs more answerable questions
than it catches unanswerable ones. So the assistant does not gate on them.

    .venv/bin/python bench/refusal_study.py collect --db bench/results/viquad2/index \
        --questions ../shared/qa/viquad2_dev_qa.jsonl.gz --every 6 --offsets 0 3 --out bench/results/refusal_viquad2.json
    .venv/bin/python bench/refusal_study.py collect --db bench/results/vinewsqa/index \
        --questions ../shared/qa/vinewsqa_dev_qa.jsonl.gz --every 5 --offsets 0 --out bench/results/refusal_vinewsqa.json
    .venv/bin/python bench/refusal_study.py fit bench/results/refusal_viquad2.json --fit-offset 3 \
        --check bench/results/refusal_vinewsqa.json

`collect` runs the assistant's own steps through its public API (the question's plan, hybrid retrieval,
the topic gate, the extractive answerer) on every `every`-th question at each offset and records the
answer-presence signals of the
chosen sentence, whether that sentence holds a gold answer, and whether the question is unanswerable.
`fit` fits a logistic regression (answer shown and holding gold = 1) on the questions of `--fit-offset`,
prints its weights and the ROC AUC of the model and of each signal on the OTHER offsets (held out), and
the refusal accuracy, false refusals and "answer contains gold" that refusing below several thresholds
would give there and on the `--check` files.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import math
import re
import time
from pathlib import Path

import numpy as np

from assistant.answering.answer_models import SourcePassage
from assistant.answering.extractive_answerer import CandidateSentence, extract_answer, render_answer
from assistant.answering.topic_gate import TopicCheck, check_topic
from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.evaluation.retrieval_evaluation import read_questions
from assistant.question.analysis import STOPWORDS, QuestionAnalysis, answer_cue_bonus
from assistant.question.query_plan import QueryPlan
from assistant.settings import Settings
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, folded_tokens, word_tokens
from vectorstore.embedding.selection import ArchiveEmbeddings
from vectorstore.hybrid_retriever import RetrievalResult

FEATURES = [
    "overlap",  # weighted share of the question's topical words in the chosen sentence
    "window_overlap",  # the same in the sentence, its neighbours and the headline
    "similarity",  # e5 cosine of question and sentence
    "bigram_coverage",  # share of the question's folded syllable pairs found in the article
    "window_bigram_coverage",  # ... within the sentence and its neighbours
    "missing_numbers",  # a number written in the question is absent from the article
    "cue",  # the sentence holds the kind of thing asked for (a date for "khi nào"...)
    "novelty",  # share of the sentence's words not in the question
    "topic_coverage",  # the topic gate's rarity-weighted share of topical syllables in the top article
]
_NUMBER = re.compile(r"\d+")


def _pairs(text: str) -> set[str]:
    return {f"{a} {b}" for a, b in itertools.pairwise(folded_tokens(text))}


def normalised(text: str) -> str:
    """Accent-folded, lower-cased, single-spaced: how gold answers are looked for in answers."""
    return " ".join(fold_accents(text).lower().split())


def sentence_weights(terms: list[str], articles: list[SourcePassage]) -> dict[str, float]:
    """Each topical word's inverse frequency among the articles' sentences (rare words decide), as the
    extractive answerer weighs them."""
    sentences = [
        article.text[start:end] for article in articles for start, end in split_sentences(article.text)
    ]
    frequency: dict[str, int] = {}
    for sentence in sentences:
        for token in set(word_tokens(sentence)):
            frequency[token] = frequency.get(token, 0) + 1
    n = len(sentences)
    return {t: math.log(1 + (n + 1) / (frequency.get(t, 0) + 0.5)) for t in dict.fromkeys(terms)}


def whole_articles(
    assistant: ArchiveAssistant, result: RetrievalResult, limit: int = 3
) -> list[SourcePassage]:
    """The best `limit` retrieved articles as whole-text passages numbered [1], [2]...: what the
    extractive answerer reads."""
    passages: list[SourcePassage] = []
    for chunk in result.chunks:
        if len(passages) >= limit or any(p.article_id == chunk.article_id for p in passages):
            continue
        article = assistant.catalog.article(chunk.article_id)
        if article is not None:
            passages.append(
                SourcePassage(
                    n=len(passages) + 1,
                    article_id=article.article_id,
                    title=article.title,
                    text=article.text,
                    end=len(article.text),
                    published_date=article.published_date,
                    url=article.url,
                    author=article.author,
                    outlet=article.outlet,
                    score=chunk.score,
                )
            )
    return passages


def topic_check(assistant: ArchiveAssistant, plan: QueryPlan, best: SourcePassage) -> TopicCheck:
    """The assistant's topic gate on the best article."""
    terms = plan.analysis.content_terms
    frequencies, n_articles = assistant.retriever.article_frequencies(terms)
    return check_topic(plan.restored, terms, f"{best.title}\n{best.text}", frequencies, n_articles)


def _share(weights: dict[str, float], text: str) -> float:
    tokens = set(word_tokens(text))
    return sum(w for t, w in weights.items() if t in tokens) / (sum(weights.values()) or 1.0)


def signals(
    analysis: QuestionAnalysis,
    question: str,
    best: CandidateSentence,
    weights: dict[str, float],
    embedder: ArchiveEmbeddings,
    topic_coverage: float,
) -> dict[str, float]:
    """The FEATURES of the answer sentence `best` (a whole-article passage)."""
    text = best.passage.text
    spans = split_sentences(text)
    at = next((i for i, (s, e) in enumerate(spans) if s <= best.start < e), 0)
    window = " ".join(text[s:e] for s, e in spans[max(0, at - 1) : at + 2])
    article = f"{best.passage.title}. {text}"
    tokens = folded_tokens(question)
    asked = {f"{a} {b}" for a, b in itertools.pairwise(tokens) if not (a in STOPWORDS and b in STOPWORDS)}
    numbers = set(_NUMBER.findall(question))
    sentence_tokens = folded_tokens(best.text)
    query = embedder.embed_query_array(question)
    return {
        "overlap": _share(weights, best.text),
        "window_overlap": _share(weights, f"{best.passage.title} {window}"),
        "similarity": float(embedder.embed_documents_array([best.text])[0] @ query),
        "bigram_coverage": len(asked & _pairs(article)) / len(asked) if asked else 1.0,
        "window_bigram_coverage": len(asked & _pairs(window)) / len(asked) if asked else 1.0,
        "missing_numbers": float(bool(numbers - set(_NUMBER.findall(article)))),
        "cue": answer_cue_bonus(analysis.kind, best.text),
        "novelty": sum(t not in set(tokens) for t in sentence_tokens) / max(len(sentence_tokens), 1),
        "topic_coverage": topic_coverage,
    }


logger = logging.getLogger("bench.refusal_study")


def collect(args: argparse.Namespace) -> None:
    assistant = build_assistant(Settings(db_dir=args.db))
    rows = []
    started = time.perf_counter()
    questions = list(read_questions(args.questions))
    for number, item in enumerate(questions):
        if number % args.every not in args.offsets:
            continue
        plan = assistant.plan(item.question)
        whole = whole_articles(assistant, assistant.search(item.question))
        gate = topic_check(assistant, plan, whole[0]) if whole else None
        row = {
            "offset": number % args.every,
            "id": item.id,
            "impossible": item.impossible or not item.answers,
            "topic_refused": gate is None or not gate.on_topic,
            "top_is_gold": bool(whole) and whole[0].article_id in item.gold,
        }
        if gate is not None and gate.on_topic:
            analysis = plan.analysis
            extracted = extract_answer(analysis, plan.restored, whole, assistant.index.embedder)
            text, _ = render_answer(extracted)
            golds = [normalised(a) for a in item.answers]
            row |= {
                "kind": analysis.kind,
                "as_list": extracted.as_list,
                "empty": not text,
                "contains_gold": bool(text) and any(g in normalised(text) for g in golds),
                "features": None,
            }
            if text and not extracted.as_list:
                best = max(extracted.sentences, key=lambda c: c.score)
                row["features"] = signals(
                    analysis,
                    plan.restored,
                    best,
                    sentence_weights(analysis.content_terms, whole),
                    assistant.index.embedder,
                    gate.coverage,
                )
        rows.append(row)
        if len(rows) % 100 == 0:
            logger.info("%d questions (%.0f s)", len(rows), time.perf_counter() - started)
    args.out.write_text(json.dumps(rows, ensure_ascii=False))
    logger.info("%d rows in %s (%.0f s)", len(rows), args.out, time.perf_counter() - started)


def _matrix(rows: list[dict]) -> np.ndarray:
    return np.array([[row["features"][name] for name in FEATURES] for row in rows], dtype=np.float64)


def report(name: str, rows: list[dict], probability: dict[str, float], threshold: float) -> str:
    """The metrics of `assistant eval --answers` if the model refused below `threshold`."""
    impossible = [r for r in rows if r["impossible"]]
    answerable = [r for r in rows if not r["impossible"]]

    def refused(row: dict) -> bool:
        if row["topic_refused"] or row.get("empty"):
            return True
        return row["id"] in probability and probability[row["id"]] < threshold

    refusal = sum(map(refused, impossible)) / len(impossible) if impossible else float("nan")
    false_refusals = sum(map(refused, answerable)) / len(answerable)
    gold = sum(r.get("contains_gold", False) and not refused(r) for r in answerable) / len(answerable)
    return (
        f"{name:<10} t={threshold:.2f}  refusal acc {refusal:.3f}  false refusals {false_refusals:.3f}  "
        f"contains gold {gold:.3f}  (n={len(answerable)}+{len(impossible)})"
    )


def _holds_gold(row: dict) -> bool:
    return not row["impossible"] and bool(row["contains_gold"])


def fit(args: argparse.Namespace) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    rows = json.loads(args.features.read_text())
    scored = [r for r in rows if r.get("features")]
    train = [r for r in scored if r["offset"] == args.fit_offset]
    labels = np.array([_holds_gold(r) for r in train])
    x = _matrix(train)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=args.c, max_iter=1000).fit((x - mean) / std, labels)
    weights = model.coef_[0] / std
    intercept = float(model.intercept_[0] - (model.coef_[0] * mean / std).sum())
    print(
        f"intercept {intercept:.3f}; weights "
        + ", ".join(f"{n} {w:.3f}" for n, w in zip(FEATURES, weights, strict=True))
    )
    held_out = [r for r in scored if r["offset"] != args.fit_offset]
    if held_out:
        x_out = _matrix(held_out)
        for target, label in (("answerable", lambda r: not r["impossible"]), ("holds gold", _holds_gold)):
            y = np.array([label(r) for r in held_out])
            model_auc = roc_auc_score(y, x_out @ weights)
            each = ", ".join(f"{n} {roc_auc_score(y, x_out[:, i]):.3f}" for i, n in enumerate(FEATURES))
            print(f"held-out ROC AUC for '{target}': model {model_auc:.3f}; {each}")

    def probabilities(subset: list[dict]) -> dict[str, float]:
        z = _matrix(subset) @ weights + intercept
        return {r["id"]: float(p) for r, p in zip(subset, 1 / (1 + np.exp(-z)), strict=True)}

    checks = {
        "held-out": [r for r in rows if r["offset"] != args.fit_offset],
        "fit split": [r for r in rows if r["offset"] == args.fit_offset],
    }
    for path in args.check or []:
        checks[path.stem] = json.loads(path.read_text())
    for name, subset in checks.items():
        probability = probabilities([r for r in subset if r.get("features")])
        for threshold in args.thresholds:
            print(report(name, subset, probability, threshold))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    gather = commands.add_parser("collect")
    gather.add_argument("--db", type=Path, required=True)
    gather.add_argument("--questions", type=Path, required=True)
    gather.add_argument("--every", type=int, default=6)
    gather.add_argument("--offsets", type=int, nargs="+", default=[0])
    gather.add_argument("--out", type=Path, required=True)
    fitting = commands.add_parser("fit")
    fitting.add_argument("features", type=Path)
    fitting.add_argument("--fit-offset", type=int, default=3)
    fitting.add_argument("--c", type=float, default=1.0)
    fitting.add_argument("--check", type=Path, nargs="*")
    fitting.add_argument("--thresholds", type=float, nargs="+", default=[0.0, 0.2, 0.3, 0.4, 0.5])
    args = parser.parse_args()
    collect(args) if args.command == "collect" else fit(args)


if __name__ == "__main__":
    main()
