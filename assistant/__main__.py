"""`python -m assistant ask|chat|brief|eval|users|feedback`: the command-line face (see README)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

from assistant.answering.answer_models import Answer
from assistant.feedback.evaluation_export import add_feedback_parser, run_feedback
from assistant.question.history_file import HistoryFileError, read_history
from assistant.settings import Settings
from assistant.web.users_command import add_users_parser, run_users
from vectorstore.index_errors import ArchiveIndexError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="hỏi một câu")
    ask.add_argument("question")
    ask.add_argument(
        "--history", type=Path, help='tệp JSON các lượt trước: [{"question": "...", "answer": "..."}]'
    )
    commands.add_parser(
        "chat", help="trò chuyện trong cửa sổ dòng lệnh (/moi: cuộc mới, /nguon n: đoạn nguồn)"
    )
    brief = commands.add_parser("brief", help="soạn bản tóm tắt nhanh theo chủ đề")
    brief.add_argument("topic")
    brief.add_argument("--from", dest="date_from", type=_iso_date, help="từ ngày (YYYY-MM-DD)")
    brief.add_argument("--to", dest="date_to", type=_iso_date, help="đến ngày (YYYY-MM-DD)")
    brief.add_argument("--out", type=Path, help="tệp .md hoặc .docx")
    evaluate = commands.add_parser("eval", help="đo chất lượng truy hồi")
    evaluate.add_argument("--questions", type=Path, required=True)
    evaluate.add_argument("--k", type=int, default=5)
    evaluate.add_argument("--limit", type=int, help="chỉ dùng N câu hỏi đầu")
    evaluate.add_argument("--unaccented", action="store_true", help="bỏ dấu mọi câu hỏi trước")
    evaluate.add_argument("--answers", action="store_true", help="đo cả chất lượng câu trả lời")
    evaluate.add_argument("--misses", type=Path, default=Path("eval_misses.jsonl"))
    evaluate.add_argument("--outputs", type=Path, help="ghi từng câu trả lời vào tệp .jsonl (cần --answers)")
    add_users_parser(commands)
    add_feedback_parser(commands)
    for command in (ask, brief, evaluate, commands.choices["chat"]):
        command.add_argument("--db", type=Path, help="thư mục chỉ mục (mặc định ARCHIVE_DB_DIR)")
        command.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.command == "users":  # accounts only: no index, no model
        return run_users(args, settings.auth_file, settings.db_dir)
    if args.command == "feedback":  # the votes file only: no index, no model
        return run_feedback(args, args.db or settings.db_dir)
    if args.db:
        settings = settings.model_copy(update={"db_dir": args.db})
    from assistant.build import build_assistant

    try:
        assistant = build_assistant(settings)
        if args.command == "chat":
            from assistant.terminal_chat import run_chat

            return run_chat(assistant)
        if args.command == "ask":
            try:
                history = read_history(args.history, assistant) if args.history else []
            except HistoryFileError as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                return 2
            answer = assistant.ask(args.question, history)
            if args.json:
                print(answer.model_dump_json(indent=2))
            else:
                print(_answer_text(answer))
            return 0
        if args.command == "brief":
            from assistant.briefing.topic_briefing import EXPORT_SUFFIXES, export_briefing, write_briefing

            if args.out and args.out.suffix.lower() not in EXPORT_SUFFIXES:
                print(f"Lỗi: chỉ xuất được tệp .md hoặc .docx, không phải «{args.out}».", file=sys.stderr)
                return 2
            briefing = write_briefing(assistant, args.topic, args.date_from, args.date_to)
            if args.out:
                try:
                    export_briefing(briefing, args.out)
                except OSError as exc:
                    print(f"Lỗi: không ghi được {args.out}: {exc.strerror or exc}", file=sys.stderr)
                    return 2
                print(f"Đã lưu {args.out}", file=sys.stderr)
            print(
                json.dumps(briefing.as_json(), ensure_ascii=False, indent=2)
                if args.json
                else briefing.markdown
            )
            return 0
        from assistant.evaluation.command import run_evaluation

        return run_evaluation(assistant, args)
    except ArchiveIndexError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


def _iso_date(value: str) -> date:
    """A `--from`/`--to` date; a wrong one gets a Vietnamese message from argparse."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"«{value}» không phải ngày dạng YYYY-MM-DD (2022-07-07)") from exc


def _answer_text(answer: Answer) -> str:
    from assistant.terminal_chat import answer_as_text

    text = answer_as_text(answer)
    quotes = [f"    [{c.n}] «{c.quote}»" for c in answer.citations if c.quote]
    return "\n".join([text, *quotes]) if quotes else text


if __name__ == "__main__":
    sys.exit(main())
