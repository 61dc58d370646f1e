"""`python -m assistant chat`: a conversation in the terminal, with the same chain as the web app.

Commands: `/moi` starts a new conversation, `/nguon n` prints source [n]'s quoted passage in full,
`/thoat` (or Ctrl-D) leaves. readline gives line editing and history where the platform has it.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TextIO

from assistant.answering.answer_models import Answer
from assistant.archive_assistant import ArchiveAssistant
from assistant.question.follow_up import Turn

with contextlib.suppress(ImportError):  # line editing where available (not on every platform)
    import readline  # noqa: F401

HELP = "Gõ câu hỏi rồi Enter. /moi: cuộc trò chuyện mới · /nguon n: xem đoạn nguồn [n] · /thoat: thoát"


def answer_as_text(answer: Answer) -> str:
    """The answer as a terminal shows it: the fact first, the cited text, then the sources."""
    lines = ([answer.short_answer] if answer.short_answer else []) + [answer.text]
    if answer.notice:
        lines.insert(0, f"[Lưu ý] {answer.notice}")
    if answer.citations:
        lines += ["", "Nguồn:"]
        for citation in answer.citations:
            when = f", {citation.published_date:%d/%m/%Y}" if citation.published_date else ""
            url = f" — {citation.url}" if citation.url else ""
            lines.append(f"[{citation.n}] {citation.title}{when}{url}")
    return "\n".join(lines)


def run_chat(assistant: ArchiveAssistant, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read questions until end of input; 0 on a normal exit."""
    history: list[Turn] = []
    last: Answer | None = None
    print(HELP, file=stdout)
    while True:
        if stdin is sys.stdin and stdin.isatty():
            try:
                line = input("Bạn: ")
            except EOFError:
                break
        else:
            print("Bạn: ", end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:
                break
        line = line.strip()
        if not line:
            continue
        if line in {"/thoat", "/exit", "/quit"}:
            break
        if line == "/moi":
            history, last = [], None
            print("Đã bắt đầu cuộc trò chuyện mới.", file=stdout)
            continue
        if line.startswith("/nguon"):
            print(_source(last, line), file=stdout)
            continue
        if line.startswith("/"):
            print(f"Không hiểu lệnh «{line}». {HELP}", file=stdout)
            continue
        last = assistant.ask(line, history)
        if last.standalone_question and last.standalone_question != last.question:
            print(f"(Hiểu câu hỏi là: «{last.standalone_question}»)", file=stdout)
        print(f"Trợ lý: {answer_as_text(last)}\n", file=stdout)
        history.append(
            Turn(
                question=last.question,
                standalone=last.standalone_question,
                answer=last.text,
                date_from=last.question_date_from,
                date_to=last.question_date_to,
            )
        )
    return 0


def _source(answer: Answer | None, command: str) -> str:
    parts = command.split()
    if answer is None or not answer.citations:
        return "Chưa có câu trả lời nào có nguồn."
    if len(parts) != 2 or not parts[1].isdigit():
        return "Cách dùng: /nguon n (ví dụ /nguon 1)."
    citation = next((c for c in answer.citations if c.n == int(parts[1])), None)
    if citation is None:
        return f"Không có nguồn [{parts[1]}]; câu trả lời có {len(answer.citations)} nguồn."
    when = f" ({citation.published_date:%d/%m/%Y})" if citation.published_date else ""
    return f"[{citation.n}] {citation.title}{when}\n«{citation.quote}»"
