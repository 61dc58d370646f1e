"""`python -m assistant feedback export --out FILE.jsonl`: the votes as an `eval --questions` file.

Gold article ids come from what staff confirmed or corrected:
- 👍 on an answer with citations: the cited articles are gold, and its short answer (if any) a gold answer;
- 👍 on a refusal (nothing cited): the question is one the archive cannot answer (`answerable: false`);
- 👎 with a corrected article: that article is gold; a typed right answer becomes the gold answer;
- 👎 with only a typed right answer: a gold answer without article (scored by `eval --answers`);
- 👎 without a correction says only that this answer was wrong: nothing to measure against, left out.
Each line keeps the user, time and index generation beside the fields `read_questions` uses.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.feedback.feedback_store import FeedbackError, FeedbackStore, FeedbackVote


@dataclass
class ExportSummary:
    """What an export wrote and what it left out."""

    written: int = 0
    without_correction: int = 0
    rows: list[dict[str, object]] = field(default_factory=list)


def evaluation_row(vote: FeedbackVote) -> dict[str, object] | None:
    """The `eval --questions` line of one vote, None when the vote gives nothing to measure against."""
    row: dict[str, object] = {"id": f"feedback-{vote.id}", "question": vote.question}
    if vote.liked:
        cited = vote.cited_article_ids
        if not cited or not vote.answer.found:
            row["answerable"] = False
        else:
            row["gold"] = cited
            if vote.answer.short_answer:
                row["answers"] = [vote.answer.short_answer]
    elif vote.corrected_article_id or vote.corrected_answer:
        if vote.corrected_article_id:
            row["gold"] = [vote.corrected_article_id]
        if vote.corrected_answer:
            row["answers"] = [vote.corrected_answer]
    else:
        return None
    row.update(
        {
            "vote": "👍" if vote.liked else "👎",
            "user": vote.user,
            "voted_at": vote.voted_at,
            "index_generation": vote.index_generation,
        }
    )
    return row


def export_votes(votes: Iterable[FeedbackVote], out: Path) -> ExportSummary:
    """Write one JSON line per usable vote to `out` (UTF-8, diacritics as typed)."""
    summary = ExportSummary()
    for vote in votes:
        row = evaluation_row(vote)
        if row is None:
            summary.without_correction += 1
        else:
            summary.rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for row in summary.rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary.written = len(summary.rows)
    return summary


def add_feedback_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feedback = commands.add_parser("feedback", help="góp ý 👍/👎 của người dùng")
    actions = feedback.add_subparsers(dest="feedback_command", required=True)
    export = actions.add_parser("export", help="xuất góp ý thành tệp câu hỏi cho `eval --questions`")
    export.add_argument("--out", type=Path, required=True, help="tệp .jsonl sẽ ghi")
    export.add_argument("--db", type=Path, help="thư mục chỉ mục (mặc định ARCHIVE_DB_DIR)")


def run_feedback(args: argparse.Namespace, db_dir: Path) -> int:
    """The `feedback` command (no model, no index: only the votes file is read)."""
    store = FeedbackStore(db_dir)
    try:
        summary = export_votes(store.votes(), args.out)
    except FeedbackError as exc:
        print(f"Lỗi: {exc}")
        return 2
    except OSError as exc:
        print(f"Lỗi: không ghi được {args.out}: {exc.strerror or exc}")
        return 2
    print(f"Đã ghi {summary.written} câu hỏi vào {args.out}.")
    if summary.without_correction:
        print(f"Bỏ qua {summary.without_correction} lượt 👎 không kèm bài hoặc câu trả lời đúng.")
    print(f"Đo trợ lý trên các câu này: python -m assistant eval --questions {args.out} --answers")
    return 0
