"""Earlier turns of a conversation read from a JSON file (`python -m assistant ask … --history FILE`).

The file holds what a user sees, `[{"question": "...", "answer": "..."}]`; the chain needs each turn's
standalone question and period too, so they are rebuilt here by planning each question in order, as the
conversation would have.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from assistant.question.follow_up import Turn
from assistant.question.query_plan import QueryPlan

MAX_TURNS = 50


class HistoryFileError(ValueError):
    """The history file cannot be used; the message says why, in Vietnamese."""


class Planner(Protocol):
    def plan(self, question: str, history: list[Turn] | None = None) -> QueryPlan: ...


def read_history(path: Path, planner: Planner) -> list[Turn]:
    """The turns in `path`, each with the standalone question and period it had."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HistoryFileError(f"không tìm thấy tệp lịch sử «{path}».") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryFileError(f"không đọc được tệp lịch sử «{path}»: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise HistoryFileError(f"tệp lịch sử «{path}» không phải JSON hợp lệ (dòng {exc.lineno}).") from exc
    if not isinstance(data, list) or not all(
        isinstance(turn, dict) and isinstance(turn.get("question"), str) for turn in data
    ):
        raise HistoryFileError(
            f'tệp lịch sử «{path}» phải là danh sách [{{"question": "...", "answer": "..."}}].'
        )
    turns: list[Turn] = []
    for item in data[-MAX_TURNS:]:
        plan = planner.plan(item["question"], turns)
        answer = item.get("answer")
        turns.append(
            Turn(
                question=plan.question,
                standalone=plan.standalone,
                answer=answer if isinstance(answer, str) else "",
                date_from=plan.period_from,
                date_to=plan.period_to,
            )
        )
    return turns
