"""The votes staff give answers, kept in `feedback.sqlite3` inside the index folder.

Why a store of its own: the office's own questions, with the article a staff member says is right, are the
evaluation set no public corpus can give (`python -m assistant feedback export`). Each vote keeps the whole
answer (JSON), its sources and the index generation it was given at, so a later export can tell which
votes were made against an older archive. The file is separate from `articles.sqlite3` (the source of
truth for articles): deleting or rebuilding the index never touches votes, and votes never block writers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.answering.answer_models import Answer

FEEDBACK_FILE = "feedback.sqlite3"
LOCAL_USER = "local"  # the user name without login

_SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    voted_at TEXT NOT NULL,
    liked INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    sources_json TEXT NOT NULL,
    index_generation INTEGER NOT NULL,
    corrected_article_id TEXT,
    corrected_answer TEXT,
    corrected_at TEXT
)
"""


class FeedbackError(Exception):
    """The feedback file cannot be read or written (its message is Vietnamese, for the user)."""


@dataclass(frozen=True)
class Source:
    """One article the answer cited (`n` > 0) or suggested as nearest (`n` == 0)."""

    article_id: str
    title: str
    n: int = 0


@dataclass(frozen=True)
class FeedbackVote:
    """One stored vote with the answer it was given on."""

    id: int
    user: str
    voted_at: str
    liked: bool
    question: str
    answer: Answer
    sources: tuple[Source, ...]
    index_generation: int
    corrected_article_id: str | None = None
    corrected_answer: str | None = None

    @property
    def cited_article_ids(self) -> list[str]:
        return list(dict.fromkeys(s.article_id for s in self.sources if s.n > 0))


def answer_sources(answer: Answer) -> list[Source]:
    """The cited articles (in citation order, each once) then the suggested nearest ones."""
    sources: dict[str, Source] = {}
    for citation in answer.citations:
        sources.setdefault(citation.article_id, Source(citation.article_id, citation.title, citation.n))
    for suggestion in answer.suggestions:
        sources.setdefault(suggestion.article_id, Source(suggestion.article_id, suggestion.title, 0))
    return list(sources.values())


class FeedbackStore:
    """Votes in one SQLite file; every call opens its own short connection (handlers run in threads)."""

    def __init__(self, db_dir: Path) -> None:
        self.path = Path(db_dir) / FEEDBACK_FILE

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"Không mở được tệp góp ý {self.path}: {exc}") from exc
        return conn

    def _write(self, sql: str, params: tuple[object, ...]) -> sqlite3.Cursor:
        """One statement in its own transaction; the cursor tells the new row id or the rows changed."""
        conn = self._connect()
        try:
            with conn:
                return conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise FeedbackError(f"Không ghi được góp ý vào {self.path}: {exc}") from exc
        finally:
            conn.close()

    def record_vote(self, *, user: str | None, answer: Answer, liked: bool, index_generation: int) -> int:
        """Store a new vote; returns its id (kept by the page to change or correct it)."""
        sources = [asdict(source) for source in answer_sources(answer)]
        cursor = self._write(
            "INSERT INTO votes(user, voted_at, liked, question, answer_json, sources_json, index_generation) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                user or LOCAL_USER,
                _now(),
                int(liked),
                answer.question,
                answer.model_dump_json(),
                json.dumps(sources, ensure_ascii=False),
                index_generation,
            ),
        )
        return int(cursor.lastrowid or 0)

    def change_vote(self, vote_id: int, *, user: str | None, liked: bool) -> bool:
        """The same answer voted the other way (a 👍 turned 👎 forgets any correction)."""
        changed = self._write(
            "UPDATE votes SET liked = ?, voted_at = ?, corrected_article_id = NULL, corrected_answer = NULL, "
            "corrected_at = NULL WHERE id = ? AND user = ?",
            (int(liked), _now(), vote_id, user or LOCAL_USER),
        )
        return changed.rowcount > 0

    def remove_vote(self, vote_id: int, *, user: str | None) -> bool:
        """The vote taken back (the thumb clicked again)."""
        deleted = self._write("DELETE FROM votes WHERE id = ? AND user = ?", (vote_id, user or LOCAL_USER))
        return deleted.rowcount > 0

    def correct(
        self, vote_id: int, *, user: str | None, article_id: str | None, right_answer: str | None
    ) -> bool:
        """The right article and/or answer for a 👎 (only its own user may correct it)."""
        changed = self._write(
            "UPDATE votes SET corrected_article_id = ?, corrected_answer = ?, corrected_at = ? "
            "WHERE id = ? AND user = ? AND liked = 0",
            (article_id or None, right_answer or None, _now(), vote_id, user or LOCAL_USER),
        )
        return changed.rowcount > 0

    def votes(self) -> Iterator[FeedbackVote]:
        """Every vote, oldest first (nothing when no vote was ever given)."""
        if not self.path.exists():
            return
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT id, user, voted_at, liked, question, answer_json, sources_json, index_generation, "
                "corrected_article_id, corrected_answer FROM votes ORDER BY id"
            ).fetchall()
        except sqlite3.Error as exc:
            raise FeedbackError(f"Không đọc được tệp góp ý {self.path}: {exc}") from exc
        finally:
            conn.close()
        for row in rows:
            yield FeedbackVote(
                id=row[0],
                user=row[1],
                voted_at=row[2],
                liked=bool(row[3]),
                question=row[4],
                answer=Answer.model_validate_json(row[5]),
                sources=tuple(Source(**s) for s in json.loads(row[6])),
                index_generation=row[7],
                corrected_article_id=row[8],
                corrected_answer=row[9],
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
