"""Replacing a stored article from the web app: the explicit choice, the question naming the articles,
and the ids the confirmed upload may replace.

An upload only adds (see `archive_handlers`). Replacing needs three things at once: the user ticked
«Thay thế bài đã có», the role allows it (`can_replace`), and the user confirmed a question that names
every article that would change. The question is asked before anything is copied or written; the
confirmed run may replace exactly the ids that were named, and anything else the files collide with is
still stored as a new article.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from vectorstore.article_history import PlannedReplacement

REPLACE_CHOICE = "Thay thế bài đã có (giữ phiên bản cũ)"
CONFIRM_LABEL = "Xác nhận thay thế"
CANCEL_LABEL = "Huỷ"
NOT_ALLOWED = (
    "⚠️ Tài khoản này không được thay thế bài đã có trong kho, nên chưa nạp tệp nào. Bỏ chọn "
    f"«{REPLACE_CHOICE}» để nạp tệp thành bài mới (bài đã có giữ nguyên), hoặc nhờ biên tập viên."
)
CANCELLED = "Đã huỷ: không nạp tệp nào, không bài nào bị thay đổi."


def confirmation_question(planned: Sequence[PlannedReplacement], names: dict[str, str]) -> str:
    """The question (Markdown, article text escaped) that names every article the upload would replace.
    `names` maps an uploaded file's path to the name the user gave it."""
    lines = [
        f"**Cần xác nhận: tệp tải lên sẽ thay thế {len(planned)} bài đang có trong kho.** "
        "Nội dung hiện tại của các bài này không mất: nó được giữ thành phiên bản cũ và có thể khôi phục.",
        "",
    ]
    for item in planned:
        source = _uploaded_name(item.source, names)
        lines.append(
            f"- Bài «{_escape(item.current_title)}» (mã {_escape(item.article_id)}) sẽ được thay bằng "
            f"«{_escape(item.new_title)}» từ tệp «{_escape(source)}»"
        )
    lines += ["", f"Bấm «{CONFIRM_LABEL}» để thay thế, hoặc «{CANCEL_LABEL}» để không thay đổi gì."]
    return "\n".join(lines)


def confirmed_ids(planned: Sequence[PlannedReplacement]) -> list[str]:
    """The ids a confirmation of `planned` allows the upload to replace."""
    return sorted({item.article_id for item in planned})


def _uploaded_name(source: str, names: dict[str, str]) -> str:
    """`…/tmp/x.jsonl:12` -> `x.jsonl:12` as the user named the file."""
    if source in names:
        return names[source]
    head, _, line = source.rpartition(":")
    return f"{names[head]}:{line}" if head in names and line.isdigit() else source


def _escape(text: str) -> str:
    """Shown literally: no HTML, and Markdown markers (images, links, emphasis) are escaped."""
    escaped = html.escape(text, quote=False)
    for marker in "\\`*_[]()!#|<>":
        escaped = escaped.replace(marker, f"\\{marker}")
    return escaped
