"""Conversations kept per user in `conversations.sqlite3` inside the index folder.

A conversation is written turn by turn as each answer finishes, with what is needed to show it again and
to continue it: the question, the whole `Answer` as JSON (short answer, text, citations), the form filters
it was asked with, the follow-up state (`Turn`: standalone question, the question's period) and the
question period the user removed. Rendering is redone when a conversation is opened, so a stored
conversation follows the current look of answers and sources.

Every read and write names the owner (the login name, or `LOCAL_OWNER` without login) and matches it in
SQL: a conversation id of another user is "not found", never shown, renamed or deleted. Each operation
opens its own connection (Gradio runs handlers in threads), in WAL mode so reads do not wait on a write.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from assistant.answering.answer_models import Answer
from assistant.question.follow_up import Turn
from vectorstore.hybrid_retriever import RetrievalFilters

logger = logging.getLogger(__name__)

FILE_NAME = "conversations.sqlite3"
LOCAL_OWNER = "local"  # whose conversations they are when the app runs without login
MAX_TITLE_CHARS = 120

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    renamed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    filters_json TEXT NOT NULL,
    follow_up_json TEXT NOT NULL,
    dropped_period TEXT NOT NULL DEFAULT '',
    asked_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, position)
);
"""


class ConversationNotFoundError(LookupError):
    """No conversation with this id belongs to this owner (it may belong to someone else)."""


class ConversationChangedError(RuntimeError):
    """The kept conversation changed since the page read it (continued in another tab)."""


@dataclass(frozen=True)
class StoredTurn:
    """One finished exchange, as kept: enough to show it again and to continue after it."""

    answer: Answer
    filters: RetrievalFilters
    follow_up: Turn
    dropped_period: str = ""
    asked_at: datetime | None = None

    @property
    def question(self) -> str:
        return self.answer.question


@dataclass(frozen=True)
class ConversationSummary:
    """A line of the conversation list."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    turns: int


def owner_of(user: str | None) -> str:
    """The owner key of a request's user: the login name in NFC (as the login check looks it up), or
    `LOCAL_OWNER` when the app runs without login."""
    return unicodedata.normalize("NFC", user) if user else LOCAL_OWNER


def title_from(question: str) -> str:
    """A conversation's title: its first question on one line, cut at a word if very long."""
    text = " ".join(unicodedata.normalize("NFC", question).split())
    if len(text) <= MAX_TITLE_CHARS:
        return text
    return text[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class ConversationStore:
    """The conversations of every user of one index folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.executescript(_SCHEMA)

    @classmethod
    def in_folder(cls, db_dir: Path) -> ConversationStore:
        return cls(db_dir / FILE_NAME)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for one operation, committed when it ends without error."""
        with closing(sqlite3.connect(self.path, timeout=30)) as connection:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            with connection:
                yield connection

    def start(self, owner: str, first: StoredTurn) -> str:
        """A new conversation of `owner` holding its first turn; returns its id."""
        conversation_id = uuid.uuid4().hex
        now = _now()
        with self._connection() as connection:
            connection.execute(
                "INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, owner, title_from(first.question), now, now),
            )
            _insert_turn(connection, conversation_id, 0, first)
        return conversation_id

    def put_turn(
        self,
        owner: str,
        conversation_id: str,
        position: int,
        turn: StoredTurn,
        *,
        expected_turns: int | None = None,
    ) -> None:
        """Turn `position` (0-based) of the conversation becomes `turn`, and any later turns are dropped:
        a new question appends, a re-asked or edited question replaces from there on. With
        `expected_turns` (what the page showed), `ConversationChangedError` if the kept conversation has
        a different number of turns: another tab continued it, and its turns must not be overwritten."""
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")  # the count and the write in one step
            row = _owned(connection, owner, conversation_id)
            count = connection.execute(
                "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
            if expected_turns is not None and count != expected_turns:
                raise ConversationChangedError(
                    f"{conversation_id}: {count} turns kept, {expected_turns} shown"
                )
            if not 0 <= position <= count:
                raise ValueError(f"turn {position} of a conversation of {count} turns")
            connection.execute(
                "DELETE FROM turns WHERE conversation_id = ? AND position >= ?", (conversation_id, position)
            )
            _insert_turn(connection, conversation_id, position, turn)
            title = row["title"] if row["renamed"] or position else title_from(turn.question)
            connection.execute(
                "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?",
                (title, _now(), conversation_id),
            )

    def summaries(self, owner: str) -> list[ConversationSummary]:
        """`owner`'s conversations, the most recently continued first."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(t.position) AS turns "
                "FROM conversations c LEFT JOIN turns t ON t.conversation_id = c.id "
                "WHERE c.owner = ? GROUP BY c.id ORDER BY c.updated_at DESC, c.created_at DESC",
                (owner,),
            ).fetchall()
        return [
            ConversationSummary(
                id=row["id"],
                title=row["title"],
                created_at=datetime.fromisoformat(row["created_at"]),
                updated_at=datetime.fromisoformat(row["updated_at"]),
                turns=row["turns"],
            )
            for row in rows
        ]

    def title(self, owner: str, conversation_id: str) -> str:
        with self._connection() as connection:
            return str(_owned(connection, owner, conversation_id)["title"])

    def turns(self, owner: str, conversation_id: str) -> list[StoredTurn]:
        """The conversation's turns in order; `ConversationNotFoundError` unless `owner` owns it."""
        with self._connection() as connection:
            _owned(connection, owner, conversation_id)
            rows = connection.execute(
                "SELECT * FROM turns WHERE conversation_id = ? ORDER BY position", (conversation_id,)
            ).fetchall()
        return [_turn_of(row) for row in rows]

    def rename(self, owner: str, conversation_id: str, title: str) -> str:
        """Gives the conversation a title of the user's own (kept when its first question changes)."""
        cleaned = title_from(title)
        if not cleaned:
            raise ValueError("empty title")
        with self._connection() as connection:
            _owned(connection, owner, conversation_id)
            connection.execute(
                "UPDATE conversations SET title = ?, renamed = 1 WHERE id = ?", (cleaned, conversation_id)
            )
        return cleaned

    def delete(self, owner: str, conversation_id: str) -> None:
        with self._connection() as connection:
            _owned(connection, owner, conversation_id)
            connection.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


def _owned(connection: sqlite3.Connection, owner: str, conversation_id: str) -> sqlite3.Row:
    row = connection.execute(
        "SELECT * FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)
    ).fetchone()
    if row is None:
        raise ConversationNotFoundError(conversation_id)
    return row


def _insert_turn(
    connection: sqlite3.Connection, conversation_id: str, position: int, turn: StoredTurn
) -> None:
    connection.execute(
        "INSERT INTO turns (conversation_id, position, question, answer_json, filters_json, "
        "follow_up_json, dropped_period, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            position,
            turn.question,
            turn.answer.model_dump_json(),
            json.dumps(_filters_json(turn.filters), ensure_ascii=False),
            json.dumps(_follow_up_json(turn.follow_up), ensure_ascii=False),
            turn.dropped_period,
            (turn.asked_at or datetime.now(UTC)).isoformat(),
        ),
    )


def _turn_of(row: sqlite3.Row) -> StoredTurn:
    filters = json.loads(row["filters_json"])
    follow_up = json.loads(row["follow_up_json"])
    return StoredTurn(
        answer=Answer.model_validate_json(row["answer_json"]),
        filters=RetrievalFilters(
            date_from=_date(filters.get("date_from")),
            date_to=_date(filters.get("date_to")),
            category=filters.get("category"),
            outlet=filters.get("outlet"),
        ),
        follow_up=Turn(
            question=follow_up["question"],
            standalone=follow_up["standalone"],
            answer=follow_up.get("answer", ""),
            date_from=_date(follow_up.get("date_from")),
            date_to=_date(follow_up.get("date_to")),
        ),
        dropped_period=row["dropped_period"],
        asked_at=datetime.fromisoformat(row["asked_at"]),
    )


def _filters_json(filters: RetrievalFilters) -> dict[str, str | None]:
    return {
        "date_from": _iso(filters.date_from),
        "date_to": _iso(filters.date_to),
        "category": filters.category,
        "outlet": filters.outlet,
    }


def _follow_up_json(turn: Turn) -> dict[str, str | None]:
    return {
        "question": turn.question,
        "standalone": turn.standalone,
        "answer": turn.answer,
        "date_from": _iso(turn.date_from),
        "date_to": _iso(turn.date_to),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _now() -> str:
    # Microseconds kept: two answers within a second must still sort in the order they finished.
    return datetime.now(UTC).isoformat()
