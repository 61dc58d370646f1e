"""Kept conversations through the web handlers (issue 16 §2, §4), no browser: over the five seeds on the
hash embedder (what is kept and how the answer is shown in steps does not depend on the model). An offline
answer arrives in steps whose last one equals the answer asked without streaming; each finished answer is
kept under its user and reopens ready to continue (same bubbles, cards and follow-up state); "Trả lời lại"
and "Sửa câu hỏi cuối" replace the newest turn, on the page and in the store; one user's conversation is
"not found" for another in every handler. The browser path (reload, app restart, two logged-in users) is
tests/test_web_conversations_browser.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.conversations.store import LOCAL_OWNER, ConversationStore
from assistant.settings import Settings
from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    write_account_file,
)
from assistant.web.answer_message import WAITING
from assistant.web.answer_steps import answer_steps
from assistant.web.chat_handlers import ChatHandlers, Conversation
from assistant.web.conversation_list import NOT_FOUND, STORE_FAILED, ConversationList
from assistant.web.conversation_state import AnsweredQuestion, with_answer
from assistant.web.permissions import Permissions
from tests.conftest import SAMPLE_ARCHIVE
from tests.web_fixtures import SEED_QUESTION
from vectorstore.hybrid_retriever import RetrievalFilters
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

FOLLOW_UP = "Ai chủ trì hội nghị đó?"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> ArchiveAssistant:
    settings = Settings.for_tests(tmp_path_factory.mktemp("conversation_index"))  # hash embedder
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert report.articles == 5, report.as_text()
    return build_assistant(settings)


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore.in_folder(tmp_path)


def _final(steps: list[tuple]) -> tuple:
    return steps[-1]


def _article_text(assistant: ArchiveAssistant) -> Callable[[str], str]:
    def text(article_id: str) -> str:
        article = assistant.catalog.article(article_id)
        return article.text if article else ""

    return text


def test_offline_answer_arrives_in_steps_ending_with_the_whole_answer(assistant: ArchiveAssistant) -> None:
    expected = assistant.ask(SEED_QUESTION)
    assert expected.short_answer and expected.text.count("[") >= 1
    steps = list(ChatHandlers(assistant).ask(SEED_QUESTION, None))
    bubbles = [messages[-1]["content"] for messages, *_ in steps]
    assert bubbles[0] == WAITING
    assert steps[-1][2].answered[-1].answer == expected
    rendered, _ = with_answer([], 1, AnsweredQuestion(expected, RetrievalFilters()), _article_text(assistant))
    assert bubbles[-1] == rendered[-1]["content"], "the final text is the answer's, unchanged"
    parts = bubbles[1:-1]
    assert len(parts) == len(answer_steps(expected)) >= 2, "the short answer, then each cited sentence"
    short = expected.short_answer.split("[")[0].strip()
    assert short in parts[0] and "tra-loi-ngan" in parts[0]
    first_sentence = expected.text.split("[")[0].strip()[-40:]
    assert first_sentence not in parts[0] and first_sentence in parts[1]
    assert all(len(a) < len(b) for a, b in pairwise(parts)), "each step adds text"
    assert all("<a href" not in part for part in parts), "markers are linked once the answer is final"
    assert all(step[2].turns == [] for step in steps[:-1]) and len(steps[-1][2].turns) == 1


def test_answer_steps_cut_at_each_citation() -> None:
    from assistant.answering.answer_models import Answer

    answer = Answer(question="q", short_answer="Ngắn [1].", text="Câu một [1]. Câu hai [2].\nCâu ba [1].")
    assert [s.text for s in answer_steps(answer)] == ["", "Câu một [1].", "Câu một [1]. Câu hai [2]."]
    assert all(s.citations == [] and s.short_answer == "Ngắn [1]." for s in answer_steps(answer))
    assert answer_steps(Answer(question="q", text="Một câu [1].")) == []


def test_kept_conversation_reopens_and_continues(
    assistant: ArchiveAssistant, store: ConversationStore
) -> None:
    chat = ChatHandlers(assistant, store=store)
    listing = ConversationList(assistant, store)
    _, _, first, _ = _final(list(chat.ask(SEED_QUESTION, None)))
    messages, panel, live, _ = _final(list(chat.ask(FOLLOW_UP, first)))
    assert live.stored_id and live.stored_id == first.stored_id
    [(label, conversation_id)] = listing.choices(None)
    assert conversation_id == live.stored_id and label.startswith(SEED_QUESTION)
    assert [t.question for t in store.turns(LOCAL_OWNER, conversation_id)] == [SEED_QUESTION, FOLLOW_UP]

    # A new page (or app): an empty session opens it as it was.
    opened = listing.open(conversation_id, Conversation(), None)
    assert opened.status == "" and opened.messages == messages and opened.panel == panel
    assert opened.conversation.turns == live.turns and opened.conversation.stored_id == conversation_id
    # ... and the next question continues it, with its context.
    again = _final(list(chat.ask("Còn năm 2019 thì sao?", opened.conversation)))[2]
    reference = _final(list(ChatHandlers(assistant).ask("Còn năm 2019 thì sao?", live)))[2]
    assert again.turns[-1].standalone == reference.turns[-1].standalone != "Còn năm 2019 thì sao?"
    assert len(store.turns(LOCAL_OWNER, conversation_id)) == 3


def test_regenerate_and_edit_replace_the_newest_turn(
    assistant: ArchiveAssistant, store: ConversationStore
) -> None:
    chat = ChatHandlers(assistant, store=store)
    _, _, first, _ = _final(list(chat.ask(SEED_QUESTION, None)))
    _, _, second, _ = _final(list(chat.ask(FOLLOW_UP, first)))
    assert chat.last_question(second) == FOLLOW_UP and chat.last_question(None) == ""

    messages, _, regenerated = _final(list(chat.regenerate(second)))
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2, "replaced, not appended"
    assert regenerated.turns == second.turns and regenerated.stored_id == second.stored_id
    assert len(store.turns(LOCAL_OWNER, second.stored_id or "")) == 2

    edited_question = "Hội nghị đó có bao nhiêu đại biểu tham dự?"
    messages, _, edited, box = _final(list(chat.ask_edited(edited_question, second)))
    assert box == "" and len(edited.turns) == 2 and edited.turns[0] == second.turns[0]
    assert edited.turns[1].question == edited_question and edited_question in messages[2]["content"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    kept = store.turns(LOCAL_OWNER, edited.stored_id or "")
    assert [t.question for t in kept] == [SEED_QUESTION, edited_question]
    assert kept[1].follow_up == edited.turns[1], (
        "the edited question was asked with the first turn as history"
    )
    # Nothing asked yet: an edit is a plain question; an empty conversation has nothing to regenerate.
    assert len(_final(list(chat.ask_edited(SEED_QUESTION, None)))[2].turns) == 1
    assert list(chat.regenerate(Conversation())) == [([], Conversation().panel(), Conversation())]


def test_two_tabs_continuing_one_conversation_keep_both(
    assistant: ArchiveAssistant, store: ConversationStore
) -> None:
    chat = ChatHandlers(assistant, store=store)
    listing = ConversationList(assistant, store)
    started = _final(list(chat.ask(SEED_QUESTION, None)))[2]
    tab_a = listing.open(started.stored_id, Conversation(), None).conversation
    tab_b = listing.open(started.stored_id, Conversation(), None).conversation
    after_a = _final(list(chat.ask(FOLLOW_UP, tab_a)))[2]
    after_b = _final(list(chat.ask("Hội nghị đó có bao nhiêu đại biểu?", tab_b)))[2]
    assert after_a.stored_id == started.stored_id and after_b.stored_id not in (None, started.stored_id)
    assert [t.question for t in store.turns(LOCAL_OWNER, started.stored_id or "")] == [
        SEED_QUESTION,
        FOLLOW_UP,
    ]
    assert [t.question for t in store.turns(LOCAL_OWNER, after_b.stored_id or "")] == [
        SEED_QUESTION,
        "Hội nghị đó có bao nhiêu đại biểu?",
    ], "tab B's turn is kept as a conversation of its own, tab A's is not overwritten"


def test_one_users_conversation_is_not_found_for_another(
    assistant: ArchiveAssistant, store: ConversationStore
) -> None:
    chat = ChatHandlers(assistant, store=store)
    listing = ConversationList(assistant, store, export_root=store.path.parent / "exports")
    mine = _final(list(chat.ask(SEED_QUESTION, None, user="an")))[2]
    assert [cid for _, cid in listing.choices("an")] == [mine.stored_id] and listing.choices("binh") == []
    theirs = Conversation()
    opened = listing.open(mine.stored_id, theirs, "binh")
    assert opened.conversation is theirs and opened.messages == [] and NOT_FOUND in opened.status
    assert NOT_FOUND in listing.rename(mine.stored_id, "chiếm", "binh")
    assert listing.delete_question(mine.stored_id, "binh") is None
    assert NOT_FOUND in listing.delete(mine.stored_id, theirs, "binh").status
    status, files = listing.export(mine.stored_id, "binh")
    assert NOT_FOUND in status and files == []
    assert store.title("an", mine.stored_id or "") == SEED_QUESTION, "nothing changed"

    # The owner may do all of it.
    assert "Đã đổi tên" in listing.rename(mine.stored_id, "Hội nghị Cao Bằng", "an")
    status, files = listing.export(mine.stored_id, "an")
    assert sorted(path.suffix for path in files) == [".docx", ".md"] and all(path.is_file() for path in files)
    assert files[0].name.startswith("tro_chuyen_hoi_nghi_cao_bang")
    assert "Hội nghị Cao Bằng" in (listing.delete_question(mine.stored_id, "an") or "")
    gone = listing.delete(mine.stored_id, mine, "an")
    assert gone.conversation == Conversation() and gone.messages == [] and listing.choices("an") == []


def test_an_account_removed_meanwhile_gets_nothing(
    assistant: ArchiveAssistant, store: ConversationStore, tmp_path: Path
) -> None:
    accounts = tmp_path / "users.txt"
    fast = ScryptParams(n=2**8, r=8, p=1)
    write_account_file(AccountFile(accounts, [Account("an", "viewer", hash_password("mật khẩu", fast))]))
    permissions = Permissions(AccountBook(accounts))
    chat = ChatHandlers(assistant, permissions, store)
    listing = ConversationList(assistant, store, permissions)
    kept = _final(list(chat.ask(SEED_QUESTION, None, user="an")))[2]
    assert kept.stored_id and [cid for _, cid in listing.choices("an")] == [kept.stored_id]
    assert permissions.book is not None
    permissions.book.update(lambda file: file.remove("an"))
    assert listing.choices("an") == []
    opened = listing.open(kept.stored_id, Conversation(), "an")
    assert opened.messages == [] and "không còn quyền" in opened.status
    assert "không còn quyền" in listing.export(kept.stored_id, "an")[0]
    assert "không còn quyền" in listing.delete(kept.stored_id, None, "an").status
    assert store.title("an", kept.stored_id) == SEED_QUESTION, "kept, but out of reach"


def test_a_damaged_kept_turn_is_reported_not_raised(
    assistant: ArchiveAssistant, store: ConversationStore
) -> None:
    kept = _final(list(ChatHandlers(assistant, store=store).ask(SEED_QUESTION, None)))[2]
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE turns SET answer_json = '{\"question\": 1}'")
    listing = ConversationList(assistant, store, export_root=store.path.parent / "exports")
    current = Conversation()
    opened = listing.open(kept.stored_id, current, None)
    assert opened.conversation is current and STORE_FAILED in opened.status
    assert listing.export(kept.stored_id, None)[1] == []
