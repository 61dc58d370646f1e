"""Feedback (issue 16 §6): votes on answers stored with their answer, sources and index generation, the
👎 correction, and `python -m assistant feedback export` writing a file `eval --questions` reads.

Over the five seeds on the hash embedder (what is stored does not depend on the model); the browser path
(click 👎, fill the form, export) is tests/test_web_feedback_browser.py."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.__main__ import main as assistant_cli
from assistant.answering.answer_models import Answer, Citation, Suggestion
from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.evaluation.retrieval_evaluation import read_questions
from assistant.feedback.evaluation_export import evaluation_row, export_votes
from assistant.feedback.feedback_store import FEEDBACK_FILE, FeedbackStore
from assistant.settings import Settings
from assistant.web.chat_handlers import ChatHandlers, Conversation
from assistant.web.feedback_handlers import (
    NOT_AN_ANSWER,
    NOTHING_TO_SEND,
    THANKS_CORRECTION,
    FeedbackHandlers,
    SessionVotes,
    answer_for_message,
)
from tests.conftest import SAMPLE_ARCHIVE, SAMPLE_ARTICLE_IDS
from tests.web_fixtures import SEED_QUESTION
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

OTHER_ARTICLE = SAMPLE_ARTICLE_IDS[1]


def _answer(question: str, cited: list[str], *, found: bool = True, short: str | None = None) -> Answer:
    return Answer(
        question=question,
        text=" ".join(f"Câu {n} [{n}]." for n, _ in enumerate(cited, 1)),
        short_answer=short,
        citations=[Citation(n=n, article_id=a, title=f"Bài {a}") for n, a in enumerate(cited, 1)],
        found=found,
        suggestions=[] if found else [Suggestion(article_id=OTHER_ARTICLE, title="Bài gần nhất")],
    )


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> ArchiveAssistant:
    settings = Settings.for_tests(tmp_path_factory.mktemp("feedback_index"))  # hash embedder
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert report.articles == 5, report.as_text()
    return build_assistant(settings)


@pytest.fixture(scope="module")
def asked(assistant: ArchiveAssistant) -> Conversation:
    """The acceptance question answered in one session (the answer's message is index 1)."""
    conversation = list(ChatHandlers(assistant).ask(SEED_QUESTION, None))[-1][2]
    assert conversation.answered and conversation.answered[0].answer.citations
    return conversation


def test_store_keeps_each_vote_with_answer_sources_and_generation(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    answer = _answer("Ai chủ trì?", ["a1", "a2", "a1"])
    up = store.record_vote(user=None, answer=answer, liked=True, index_generation=7)
    down = store.record_vote(user="lan", answer=answer, liked=False, index_generation=8)
    assert (tmp_path / FEEDBACK_FILE).is_file()
    votes = list(store.votes())
    assert [v.id for v in votes] == [up, down]
    assert votes[0].user == "local" and votes[1].user == "lan"
    assert votes[0].answer == answer and votes[0].question == "Ai chủ trì?"
    assert votes[0].cited_article_ids == ["a1", "a2"]
    assert [v.index_generation for v in votes] == [7, 8]
    # Only its own user may change or correct a vote; a 👍 cannot carry a correction.
    assert not store.correct(down, user="khac", article_id="a9", right_answer=None)
    assert not store.correct(up, user=None, article_id="a9", right_answer=None)
    assert store.correct(down, user="lan", article_id="a9", right_answer="Hà Nội")
    corrected = list(store.votes())[1]
    assert (corrected.corrected_article_id, corrected.corrected_answer) == ("a9", "Hà Nội")
    assert store.change_vote(down, user="lan", liked=True)
    assert list(store.votes())[1].corrected_article_id is None  # 👎 turned 👍 forgets the correction
    assert store.remove_vote(up, user=None) and [v.id for v in store.votes()] == [down]


def test_export_rows_take_gold_from_what_staff_confirmed_or_corrected(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    confirmed = store.record_vote(
        user=None, answer=_answer("Ở đâu?", ["a1"], short="Cao Bằng [1]."), liked=True, index_generation=1
    )
    refusal = store.record_vote(
        user=None, answer=_answer("Giá vàng?", [], found=False), liked=True, index_generation=1
    )
    wrong = store.record_vote(user=None, answer=_answer("Ai?", ["a1"]), liked=False, index_generation=1)
    store.correct(wrong, user=None, article_id="a2", right_answer="Ông Nguyễn Văn A")
    store.record_vote(user=None, answer=_answer("Khi nào?", ["a1"]), liked=False, index_generation=1)
    rows = {row["id"]: row for v in store.votes() if (row := evaluation_row(v)) is not None}
    assert rows[f"feedback-{confirmed}"]["gold"] == ["a1"]
    assert rows[f"feedback-{confirmed}"]["answers"] == ["Cao Bằng [1]."]
    assert rows[f"feedback-{refusal}"]["answerable"] is False and "gold" not in rows[f"feedback-{refusal}"]
    assert rows[f"feedback-{wrong}"]["gold"] == ["a2"]
    assert rows[f"feedback-{wrong}"]["answers"] == ["Ông Nguyễn Văn A"]
    assert len(rows) == 3  # the 👎 without a correction measures nothing
    summary = export_votes(store.votes(), tmp_path / "out" / "eval.jsonl")
    assert (summary.written, summary.without_correction) == (3, 1)
    read = {q.id: q for q in read_questions(tmp_path / "out" / "eval.jsonl")}
    assert read[f"feedback-{wrong}"].gold == frozenset({"a2"})
    assert read[f"feedback-{refusal}"].off_topic


def test_message_index_finds_its_answer_past_error_bubbles(asked: Conversation) -> None:
    answer = asked.answered[0].answer
    assert answer_for_message(asked, 1) == answer
    assert answer_for_message(asked, 0) is None  # the question
    assert answer_for_message(asked, 5) is None
    with_error = Conversation(
        turns=asked.turns,
        messages=[
            {"role": "user", "content": "x"},
            {"role": "assistant", "content": "⚠️ Ngày không hợp lệ"},
            *asked.messages,
        ],
        source_sections=asked.source_sections,
        answered=asked.answered,
    )
    assert answer_for_message(with_error, 1) is None
    assert answer_for_message(with_error, 3) == answer


def test_a_down_vote_with_a_correction_is_exported_and_eval_reads_it(
    assistant: ArchiveAssistant,
    asked: Conversation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handlers = FeedbackHandlers(assistant)
    votes = SessionVotes()
    assert handlers.correct(votes, None, OTHER_ARTICLE, "", user=None) == (NOT_AN_ANSWER, False)
    outcome = handlers.vote(asked, 1, False, votes, user=None)
    cited = [c.article_id for c in asked.answered[0].answer.citations]
    assert outcome.form_choices is not None and [i for _, i in outcome.form_choices][
        : len(set(cited))
    ] == list(dict.fromkeys(cited))
    assert handlers.correct(votes, None, " ", "", user=None) == (NOTHING_TO_SEND, True)
    status, keep_open = handlers.correct(votes, None, "khong_co_bai_nay", "", user=None)
    assert keep_open and "khong_co_bai_nay" in status
    assert handlers.correct(votes, cited[0], OTHER_ARTICLE, "", user=None) == (THANKS_CORRECTION, False)
    stored = [v for v in FeedbackStore(assistant.settings.db_dir).votes() if not v.liked]
    assert stored[-1].corrected_article_id == OTHER_ARTICLE  # the typed id wins over the chosen one
    assert stored[-1].index_generation == assistant.index.store.generation() > 0
    assert stored[-1].question == SEED_QUESTION

    out = tmp_path / "feedback.jsonl"
    assert (
        assistant_cli(["feedback", "export", "--db", str(assistant.settings.db_dir), "--out", str(out)]) == 0
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {"question": SEED_QUESTION, "gold": [OTHER_ARTICLE]}.items() <= rows[-1].items()
    # The exported file is an `eval --questions` file: the command reads it and scores the question.
    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    monkeypatch.setenv("ARCHIVE_LLM_MODE", "none")
    monkeypatch.chdir(tmp_path)  # eval writes eval_misses.jsonl into the working folder
    capsys.readouterr()
    code = assistant_cli(["eval", "--questions", str(out), "--db", str(assistant.settings.db_dir), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["retrieval"]["questions"] == len(rows)


def test_votes_can_be_changed_and_taken_back(assistant: ArchiveAssistant, asked: Conversation) -> None:
    handlers = FeedbackHandlers(assistant)
    store = FeedbackStore(assistant.settings.db_dir)
    before = len(list(store.votes()))
    votes = SessionVotes()
    assert handlers.vote(asked, 1, True, votes).form_choices is None
    assert handlers.vote(asked, 1, False, votes).form_choices  # same answer: the vote changes
    assert len(list(store.votes())) == before + 1 and not list(store.votes())[-1].liked
    handlers.vote(asked, 1, "", votes)
    assert len(list(store.votes())) == before
    # A regenerated answer in the same place of the chat is a vote of its own.
    handlers.vote(asked, 1, True, votes)
    record = asked.answered[0]
    regenerated = Conversation(
        turns=asked.turns,
        messages=asked.messages,
        source_sections=asked.source_sections,
        answered=[replace(record, answer=record.answer.model_copy(update={"text": "Câu khác [1]."}))],
    )
    handlers.vote(regenerated, 1, True, votes)
    assert [v.answer.text for v in store.votes()][before:] == [record.answer.text, "Câu khác [1]."]
    assert handlers.vote(asked, 0, True, votes).status == NOT_AN_ANSWER
