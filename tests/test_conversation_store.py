"""The conversation store (issue 16 §2): turns written as answers finish, read back equal (answer JSON,
filters, follow-up state), replaced from an edited turn on, renamed, deleted, kept per owner (another
owner's id is "not found" for every operation), and the `.md` / `.docx` export with one numbered source
list. Plain SQLite in a temporary folder: no model, no index."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document

from assistant.answering.answer_models import Answer, Citation
from assistant.briefing.export import AUTHOR
from assistant.conversations.export import conversation_markdown, export_conversation
from assistant.conversations.store import (
    FILE_NAME,
    LOCAL_OWNER,
    ConversationChangedError,
    ConversationNotFoundError,
    ConversationStore,
    StoredTurn,
    owner_of,
    title_from,
)
from assistant.question.follow_up import Turn
from vectorstore.hybrid_retriever import RetrievalFilters

CAO_BANG = Citation(
    n=1,
    article_id="004_955a1fbb71e7f89b",
    title="Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022",
    published_date=date(2022, 7, 7),
    outlet="Báo Cao Bằng",
    url="https://baocaobang.vn/khai-mac",
    quote="tại Cao Bằng",
)
HA_GIANG = Citation(n=1, article_id="001_9a84a7000a87e853", title="Đoàn công tác thăm Hà Giang", quote="x")


def _turn(question: str, text: str, citations: list[Citation], short: str | None = None) -> StoredTurn:
    answer = Answer(
        question=question, standalone_question=question, short_answer=short, text=text, citations=citations
    )
    return StoredTurn(
        answer=answer,
        filters=RetrievalFilters(date_from=date(2022, 1, 1), outlet="Báo Cao Bằng"),
        follow_up=Turn(question, f"{question} (độc lập)", text, date(2022, 1, 1), date(2022, 12, 31)),
    )


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore.in_folder(tmp_path / "index")


def test_turns_come_back_equal_and_survive_a_new_store_object(store: ConversationStore) -> None:
    first = _turn("Hội nghị năm 2022 ở đâu?", "Tại Cao Bằng [1].", [CAO_BANG], short="Tại Cao Bằng [1].")
    second = _turn("Ai chủ trì?", "Ông A chủ trì [1].", [CAO_BANG])
    conversation_id = store.start("an", first)
    store.put_turn("an", conversation_id, 1, second)
    reopened = ConversationStore(store.path)  # what an app restart does
    assert store.path.name == FILE_NAME and store.path.parent.name == "index"
    turns = reopened.turns("an", conversation_id)
    assert [t.answer for t in turns] == [first.answer, second.answer]
    assert [t.filters for t in turns] == [first.filters, second.filters]
    assert [t.follow_up for t in turns] == [first.follow_up, second.follow_up]
    assert turns[0].answer.short_answer == "Tại Cao Bằng [1]." and turns[0].answer.citations == [CAO_BANG]
    assert turns[0].asked_at is not None and turns[0].asked_at.tzinfo is not None
    [summary] = reopened.summaries("an")
    assert (summary.id, summary.title, summary.turns) == (conversation_id, "Hội nghị năm 2022 ở đâu?", 2)


def test_put_turn_replaces_from_an_edited_turn_on(store: ConversationStore) -> None:
    conversation_id = store.start("an", _turn("Câu một?", "Một [1].", [CAO_BANG]))
    store.put_turn("an", conversation_id, 1, _turn("Câu hai?", "Hai [1].", [CAO_BANG]))
    store.put_turn("an", conversation_id, 2, _turn("Câu ba?", "Ba [1].", [CAO_BANG]))
    store.put_turn("an", conversation_id, 1, _turn("Câu hai đã sửa?", "Hai mới [1].", [HA_GIANG]))
    assert [t.question for t in store.turns("an", conversation_id)] == ["Câu một?", "Câu hai đã sửa?"]
    with pytest.raises(ValueError):
        store.put_turn("an", conversation_id, 5, _turn("Lỗ hổng?", "x", []))
    # Editing the first question retitles, unless the user named the conversation.
    store.put_turn("an", conversation_id, 0, _turn("Câu một đã sửa?", "Một [1].", [CAO_BANG]))
    assert store.title("an", conversation_id) == "Câu một đã sửa?"
    store.rename("an", conversation_id, "  Tên  của tôi ")
    store.put_turn("an", conversation_id, 0, _turn("Câu một lần ba?", "Một [1].", [CAO_BANG]))
    assert store.title("an", conversation_id) == "Tên của tôi"


def test_a_turn_shown_on_a_stale_page_never_overwrites(store: ConversationStore) -> None:
    conversation_id = store.start("an", _turn("Câu một?", "Một [1].", [CAO_BANG]))
    store.put_turn("an", conversation_id, 1, _turn("Từ tab A?", "A", []), expected_turns=1)
    with pytest.raises(ConversationChangedError):  # tab B still showed one turn
        store.put_turn("an", conversation_id, 1, _turn("Từ tab B?", "B", []), expected_turns=1)
    assert [t.question for t in store.turns("an", conversation_id)] == ["Câu một?", "Từ tab A?"]


def test_newest_first_rename_delete(store: ConversationStore) -> None:
    older = store.start("an", _turn("Câu cũ?", "a", []))
    newer = store.start("an", _turn("Câu mới?", "b", []))
    assert [s.id for s in store.summaries("an")] == [newer, older]
    store.put_turn("an", older, 1, _turn("Hỏi tiếp?", "c", []))  # continued: it moves to the top
    assert [s.id for s in store.summaries("an")] == [older, newer]
    assert store.rename("an", older, "Hội nghị Cao Bằng") == "Hội nghị Cao Bằng"
    with pytest.raises(ValueError):
        store.rename("an", older, "   ")
    store.delete("an", older)
    assert [s.id for s in store.summaries("an")] == [newer]
    with pytest.raises(ConversationNotFoundError):
        store.turns("an", older)
    with sqlite3.connect(store.path) as connection:  # the turns went with it
        assert connection.execute(
            "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (older,)
        ).fetchone() == (0,)


def test_one_owner_never_reaches_anothers_conversation(store: ConversationStore) -> None:
    mine = store.start("an", _turn("Câu của An?", "a", []))
    theirs = store.start("binh", _turn("Câu của Bình?", "b", []))
    assert [s.id for s in store.summaries("an")] == [mine]
    assert [s.id for s in store.summaries("binh")] == [theirs]
    for attempt in (
        lambda: store.turns("an", theirs),
        lambda: store.title("an", theirs),
        lambda: store.rename("an", theirs, "chiếm"),
        lambda: store.delete("an", theirs),
        lambda: store.put_turn("an", theirs, 1, _turn("chen?", "x", [])),
    ):
        with pytest.raises(ConversationNotFoundError):
            attempt()
    assert store.title("binh", theirs) == "Câu của Bình?" and len(store.turns("binh", theirs)) == 1


def test_owner_names() -> None:
    assert owner_of(None) == owner_of("") == LOCAL_OWNER
    assert owner_of("Nguye\u0302\u0303n") == "Nguyễn", "typed decomposed, kept as the login check finds it"
    assert title_from("  Hội   nghị\nở đâu? ") == "Hội nghị ở đâu?"
    long = title_from("từ " * 100)
    assert len(long) <= 121 and long.endswith("…") and not long.endswith(" …")


def test_markdown_export_numbers_sources_once_for_the_conversation() -> None:
    turns = [
        _turn("Hội nghị ở đâu?", "Tại Cao Bằng [1].", [CAO_BANG], short="Cao Bằng [1]."),
        _turn(
            "Đoàn nào thăm Hà Giang?",
            "Đoàn A [1] và hội nghị [2].",
            [HA_GIANG, CAO_BANG.model_copy(update={"n": 2})],
        ),
    ]
    markdown = conversation_markdown("Hội nghị", turns, datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    assert markdown.startswith("# Hội nghị\n")
    assert "## Câu hỏi 1: Hội nghị ở đâu?" in markdown and "**Cao Bằng [1].**" in markdown
    # In turn 2 Hà Giang was [1] and Cao Bằng [2]; the export's numbers are 2 and 1.
    assert "Đoàn A [2] và hội nghị [1]." in markdown
    sources = [line.rstrip() for line in markdown.split("## Nguồn\n", 1)[1].strip().splitlines()]
    assert sources == [
        "[1] Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 — 07/07/2022 — Báo Cao Bằng "
        "— https://baocaobang.vn/khai-mac",
        "[2] Đoàn công tác thăm Hà Giang — không rõ ngày",
    ]


def test_docx_and_md_files(tmp_path: Path) -> None:
    turns = [_turn("Hội nghị ở đâu?", "Tại Cao Bằng [1].", [CAO_BANG], short="Cao Bằng [1].")]
    before = datetime.now(UTC).replace(microsecond=0)
    docx = export_conversation("Hội nghị Cao Bằng", turns, tmp_path / "c.docx")
    md = export_conversation("Hội nghị Cao Bằng", turns, tmp_path / "c.md")
    document = Document(str(docx))
    properties = document.core_properties
    assert properties.author == AUTHOR == "Trợ lý tra cứu lưu trữ"
    assert properties.title == "Hội nghị Cao Bằng"
    assert properties.created is not None and properties.created.replace(tzinfo=UTC) >= before
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    numbered = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text for p in numbered] == [
        "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 — 07/07/2022 — Báo Cao Bằng — "
        "https://baocaobang.vn/khai-mac"
    ], "the sources are a real numbered list"
    assert any(p.text == "Câu hỏi 1: Hội nghị ở đâu?" for p in paragraphs)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Hội nghị Cao Bằng") and "## Nguồn" in text and "[1] Khai mạc" in text
