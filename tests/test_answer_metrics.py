"""Answer evaluation: short-answer exact match and F1 (Vietnamese normalisation), the typed subset, the
short-answer coverage, off-topic refusal, and the `eval --answers --outputs` file over the sample archive."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.answering.answer_models import Answer, Citation
from assistant.evaluation.answer_metrics import evaluate_answers
from assistant.evaluation.retrieval_evaluation import EvalQuestion, read_questions
from assistant.evaluation.short_answer_scoring import best_scores, exact_match, normalise_answer, token_f1
from tests.conftest import ROOT, SAMPLE_ARCHIVE

DATA = Path(__file__).parent / "data"
SEED_QUESTIONS = DATA / "eval_seed_questions.jsonl"
OFFTOPIC_FIXTURE = DATA / "eval_offtopic_questions.jsonl"
OFFTOPIC_BENCH = ROOT / "bench" / "data" / "offtopic_questions.jsonl"
OUTPUT_KEYS = {"id", "question", "short_answer", "text", "citations", "found"}


# --- normalisation, EM, F1 ----------------------------------------------------------------------


def test_normalisation_drops_citations_punctuation_case_but_keeps_accents() -> None:
    assert normalise_answer("Sáng 7/7/2022, tại Cao Bằng [1].") == "sáng 772022 tại cao bằng"
    assert normalise_answer("«Lê Hải Bình» [1][2].") == "lê hải bình"
    assert normalise_answer("  hơn 200   đại biểu [1, 3] ") == "hơn 200 đại biểu"
    decomposed = unicodedata.normalize("NFD", "Đà Nẵng")
    assert normalise_answer(decomposed) == normalise_answer("Đà Nẵng") == "đà nẵng"
    assert normalise_answer("Da Nang") != normalise_answer("Đà Nẵng")


def test_exact_match_on_vietnamese_answers() -> None:
    assert exact_match("Cao Bằng [1].", "Cao Bằng") == 1.0
    assert exact_match("CAO BẰNG", "cao bằng") == 1.0
    assert exact_match("Ngày 23/6/2020 [1].", "ngày 23/6/2020") == 1.0
    assert exact_match("Cao Bang", "Cao Bằng") == 0.0  # accents are part of the answer
    assert exact_match("Tại Cao Bằng [1].", "Cao Bằng") == 0.0
    assert exact_match(None, "Cao Bằng") == 0.0


def test_token_f1_counts_syllables_with_accents() -> None:
    assert token_f1("hơn 200 đại biểu [1].", "200 đại biểu") == pytest.approx(6 / 7)
    assert token_f1("Tiến sỹ Lê Hải Bình [2].", "Lê Hải Bình") == pytest.approx(0.75)
    assert token_f1("Le Hai Binh", "Lê Hải Bình") == 0.0
    assert token_f1("23/6/2020", "ngày 23/6/2020 tại Hà Nội") == pytest.approx(2 / 5)
    assert token_f1("22/6/2020", "23/6/2020") == 0.0  # a date is one token: no credit for a wrong day
    assert token_f1(None, "Lê Hải Bình") == 0.0


@pytest.mark.parametrize(
    ("short_answer", "gold"),
    [
        ("21/9/1792 [1].", "Ngày 21 tháng 9 năm 1792"),
        ("8/8/2018", "ngày 08/8/2018"),
        ("5/1860", "tháng 5 năm 1860"),
        ("1796 [1].", "năm 1796"),
        ("1/5/1860 [1].", "Ngày 1 tháng năm 1860"),
        ("20/12/1946", "ngày 20 tháng mười hai năm 1946"),
        ("10/2020", "tháng Mười năm 2020"),
    ],
)
def test_dates_written_day_month_year_match_the_articles_words(short_answer: str, gold: str) -> None:
    assert exact_match(short_answer, gold) == 1.0


def test_best_scores_take_the_maximum_over_golds() -> None:
    exact, f1 = best_scores("Khách sạn Ariyana [1].", ["Ariyana", "khách sạn Ariyana"])
    assert (exact, f1) == (1.0, 1.0)
    exact, f1 = best_scores("tại khách sạn Ariyana", ["Ariyana", "khách sạn Ariyana"])
    assert exact == 0.0 and f1 == pytest.approx(6 / 7)
    assert best_scores("Ariyana", []) == (0.0, 0.0)
    assert best_scores(None, ["Ariyana"]) == (0.0, 0.0)


# --- question files --------------------------------------------------------------------------------


def test_reader_marks_answerable_false_as_off_topic_and_viquad_impossible_as_in_archive(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "Giá vàng hôm nay?", "answerable": False},
        {"id": "b", "question": "X?", "context_id": "ctx-1", "answers": [], "is_impossible": True},
        {"id": "c", "question": "Y?", "context_id": "ctx-2", "answers": ["y"]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    off_topic, impossible, answerable = read_questions(path)
    assert off_topic.impossible and off_topic.off_topic
    assert impossible.impossible and not impossible.off_topic
    assert not answerable.impossible and not answerable.off_topic


def test_the_off_topic_set_has_at_least_30_nfc_unanswerable_questions() -> None:
    questions = list(read_questions(OFFTOPIC_BENCH))
    assert len(questions) >= 30
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.off_topic for q in questions)
    assert all(unicodedata.is_normalized("NFC", q.question) for q in questions)
    fixture = list(read_questions(OFFTOPIC_FIXTURE))
    assert len(fixture) >= 10
    assert {q.question for q in fixture} <= {q.question for q in questions}


# --- aggregation, with canned answers ------------------------------------------------------------------


def _answer(question: str, short: str | None, text: str, cited: list[str], found: bool = True) -> Answer:
    citations = [Citation(n=i, article_id=a, title=a) for i, a in enumerate(cited, 1)]
    return Answer(question=question, short_answer=short, text=text, citations=citations, found=found)


class CannedAssistant:
    """`ask` returns a prepared answer per question; the store holds two articles."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        articles = {
            "cb": {"title": "Hội nghị ở Cao Bằng", "text": "Sáng 7/7, tại Cao Bằng, hơn 200 đại biểu dự."},
            "other": {"title": "Tin khác", "text": "Không liên quan."},
        }
        self.index = SimpleNamespace(store=SimpleNamespace(get_article=articles.get))

    def ask(self, question: str) -> Answer:
        return self.answers[question]


def test_metrics_score_short_answers_typed_subset_coverage_and_refusals() -> None:
    where, count, who = "Hội nghị diễn ra ở đâu?", "Bao nhiêu đại biểu dự?", "Ai chủ trì hội nghị?"
    general, refused = "Hội nghị bàn những gì về đối ngoại?", "Hội nghị khai mạc ngày nào?"
    off_topic, impossible = "Giá vàng SJC hôm nay là bao nhiêu?", "Hội nghị tốn bao nhiêu tiền?"
    assistant = CannedAssistant(
        {
            where: _answer(where, "Tại Cao Bằng [1].", "Tại Cao Bằng [1]. Sáng 7/7 ... [1]", ["cb"]),
            count: _answer(count, "hơn 200 đại biểu [1].", "hơn 200 đại biểu [1].", ["cb", "other"]),
            who: _answer(who, None, "Bài [1] không nêu người chủ trì.", ["cb"]),
            general: _answer(general, "Cao Bằng [1].", "Cao Bằng [1].", ["cb"]),
            refused: _answer(refused, None, "Không tìm thấy.", [], found=False),
            off_topic: _answer(off_topic, None, "Không tìm thấy.", [], found=False),
            impossible: _answer(impossible, "200 [1].", "200 [1].", ["cb"]),
        }
    )
    questions = [
        EvalQuestion(where, where, frozenset({"cb"}), ("Cao Bằng",)),
        EvalQuestion(count, count, frozenset({"cb"}), ("200 đại biểu",)),
        EvalQuestion(who, who, frozenset({"cb"}), ("Liên hiệp các tổ chức hữu nghị",)),
        EvalQuestion(general, general, frozenset({"cb"}), ("Cao Bằng",)),
        EvalQuestion(refused, refused, frozenset({"cb"}), ("7/7",)),
        EvalQuestion(off_topic, off_topic, frozenset(), impossible=True),
        EvalQuestion(impossible, impossible, frozenset({"cb"}), impossible=True),
    ]
    metrics = evaluate_answers(assistant, questions)  # type: ignore[arg-type]
    report = metrics.as_json()
    assert report["answerable_questions"] == 5
    # EM: only "Cao Bằng [1]." (general); F1: where 4/5, count 6/7, general 1.
    assert report["short_answer_exact_match"] == pytest.approx(1 / 5, abs=1e-4)
    assert report["short_answer_f1"] == pytest.approx((4 / 5 + 6 / 7 + 1) / 5, abs=1e-4)
    # Typed: where, count, who, refused (when); the general question is left out.
    assert report["typed_questions"] == 4
    assert report["typed_exact_match"] == 0.0
    assert report["typed_f1"] == pytest.approx((4 / 5 + 6 / 7) / 4, abs=1e-4)
    # Gold article cited first on where, count, who; two of them carry a short answer.
    assert report["typed_gold_cited_first"] == 3
    assert report["short_answer_coverage"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["false_refusals"] == pytest.approx(1 / 5)
    assert report["off_topic_questions"] == 1 and report["off_topic_refusal"] == 1.0
    assert report["unanswerable_questions"] == 1 and report["refusal_accuracy"] == 0.0
    assert report["answer_contains_gold"] == pytest.approx(3 / 5)  # of answerable; the who answer lacks it
    assert report["citation_precision"] == pytest.approx(3 / 5)  # "other" and the who gold
    by_id = {r["id"]: r for r in metrics.records}
    assert by_id[count]["citations"] == [{"n": 1, "article_id": "cb"}, {"n": 2, "article_id": "other"}]
    assert by_id[where]["kind"] == "where" and by_id[general]["kind"] == "general"
    assert by_id[refused]["exact_match"] == 0.0 and by_id[off_topic]["exact_match"] is None


# --- the CLI over the sample archive (hash embedder) ---------------------------------------------------


@pytest.fixture(scope="module")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ingest.__main__ import main as ingest_main

    db = tmp_path_factory.mktemp("eval_hash_index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
        assert ingest_main([str(SAMPLE_ARCHIVE), "--db", str(db)]) == 0
    return db


def test_eval_cli_writes_one_output_line_per_question(
    hash_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.__main__ import main

    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    monkeypatch.setenv("ARCHIVE_LLM_MODE", "none")
    outputs, misses = tmp_path / "answers.jsonl", tmp_path / "misses.jsonl"
    argv = ["eval", "--questions", str(SEED_QUESTIONS), "--db", str(hash_index), "--answers"]
    code = main([*argv, "--outputs", str(outputs), "--misses", str(misses), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)["answers"]
    questions = list(read_questions(SEED_QUESTIONS))
    lines = [json.loads(line) for line in outputs.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [q.id for q in questions]
    for line, question in zip(lines, questions, strict=True):
        assert line.keys() >= OUTPUT_KEYS
        assert line["question"] == question.question
        assert isinstance(line["found"], bool) and isinstance(line["text"], str) and line["text"]
        assert all(c.keys() == {"n", "article_id"} for c in line["citations"])
        if question.answers:
            assert (line["exact_match"], line["f1"]) == pytest.approx(
                best_scores(line["short_answer"] if line["found"] else None, question.answers), abs=1e-4
            )
    # Retrieval on this archive is right: every answered seed question cites its gold article.
    answered = [(line, q) for line, q in zip(lines, questions, strict=True) if q.answers and line["found"]]
    assert answered and all(q.gold & {c["article_id"] for c in line["citations"]} for line, q in answered)
    assert report["answerable_questions"] == 6 and report["off_topic_questions"] == 2
    assert report["typed_questions"] == sum(
        line["kind"] in {"who", "when", "where", "how_many"} for line in lines[:6]
    )
    assert report["answer_p95_ms"] >= report["answer_p50_ms"] > 0


def test_eval_cli_prints_the_report_in_vietnamese(
    hash_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.__main__ import main

    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    outputs = tmp_path / "answers.jsonl"
    argv = ["eval", "--questions", str(OFFTOPIC_FIXTURE), "--db", str(hash_index), "--answers"]
    assert main([*argv, "--outputs", str(outputs), "--misses", str(tmp_path / "m.jsonl")]) == 0
    printed = capsys.readouterr().out
    assert "từ chối câu hỏi ngoài phạm vi kho:" in printed
    assert f"Từng câu trả lời ghi vào {outputs}" in printed
    assert len(outputs.read_text(encoding="utf-8").splitlines()) == len(
        list(read_questions(OFFTOPIC_FIXTURE))
    )


# --- off-topic refusal over the sample archive (real model) ----------------------------------------------


@pytest.mark.integration  # seed_assistant: the real model
def test_off_topic_questions_are_refused_over_the_sample_archive(seed_assistant) -> None:
    questions = list(read_questions(OFFTOPIC_FIXTURE))
    metrics = evaluate_answers(seed_assistant, questions)
    answered = [(r["question"], r["text"][:80]) for r in metrics.records if r["found"]]
    assert metrics.as_json()["off_topic_refusal"] == 1.0, answered


def test_the_scorer_reads_months_in_words_as_the_date_finder_does() -> None:
    """The scorer keeps its own copy (the bench copies evaluation/ over older checkouts): same table."""
    from assistant.evaluation import short_answer_scoring
    from ingest import event_dates

    assert short_answer_scoring.MONTH_WORDS == event_dates.MONTH_WORDS
