"""Event handlers of the web app, as plain functions over an `ArchiveAssistant` (testable without a
browser). Each browser session keeps its own conversation in `gr.State`; nothing is shared but the index.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from assistant.archive_assistant import ArchiveAssistant
from assistant.briefing import export_briefing, write_briefing
from assistant.follow_up import Turn
from assistant.web.rendering import answer_markdown, report_rows, sources_html, stats_markdown
from ingest.archive_stats import archive_stats
from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.pipeline import run_ingest
from vectorstore.hybrid_retriever import RetrievalFilters

logger = logging.getLogger(__name__)
ALL = "Tất cả"
Messages = list[dict[str, str]]


class InputError(ValueError):
    """A form value the user must correct (Vietnamese message)."""


def parse_date_input(text: str | None, label: str) -> date | None:
    """Accepts dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd; empty means no bound."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = map(int, text.split("-"))
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = map(int, text.split("/"))
        else:
            raise ValueError(text)
        return date(year, month, day)
    except ValueError as exc:
        raise InputError(f"{label} «{text}» không hợp lệ: hãy nhập dạng dd/mm/yyyy.") from exc


def build_filters(date_from: str, date_to: str, category: str | None, outlet: str | None) -> RetrievalFilters:
    start, end = parse_date_input(date_from, "Từ ngày"), parse_date_input(date_to, "Đến ngày")
    if start and end and start > end:
        raise InputError("«Từ ngày» phải trước «Đến ngày».")
    return RetrievalFilters(
        date_from=start,
        date_to=end,
        category=None if not category or category == ALL else category,
        outlet=None if not outlet or outlet == ALL else outlet,
    )


class WebHandlers:
    def __init__(self, assistant: ArchiveAssistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings

    # --- chat ----------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        messages: Messages | None,
        turns: list[Turn] | None,
        date_from: str = "",
        date_to: str = "",
        category: str | None = None,
        outlet: str | None = None,
    ) -> Iterator[tuple[Messages, str, list[Turn], str]]:
        """Streams (chat messages, sources panel, conversation state, question box)."""
        messages = list(messages or [])
        turns = list(turns or [])
        question = (question or "").strip()
        if not question:
            yield messages, sources_html(None, {}), turns, ""
            return
        messages += [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        try:
            filters = build_filters(date_from, date_to, category, outlet)
            streamed = ""
            for event in self.assistant.ask_stream(question, turns, filters):
                if event.kind == "delta":
                    streamed += event.delta
                    messages[-1] = {"role": "assistant", "content": streamed}
                    yield messages, sources_html(None, {}), turns, ""
                elif event.answer is not None:
                    answer = event.answer
                    messages[-1] = {"role": "assistant", "content": answer_markdown(answer)}
                    turns.append(
                        Turn(
                            question,
                            answer.standalone_question,
                            answer.text,
                            answer.date_from,
                            answer.date_to,
                        )
                    )
                    texts = {
                        c.article_id: str(
                            (self.assistant.index.store.get_article(c.article_id) or {}).get("text", "")
                        )
                        for c in answer.citations
                    }
                    yield messages, sources_html(answer, texts), turns, ""
        except InputError as exc:
            messages[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
            yield messages, sources_html(None, {}), turns, ""
        except Exception:  # a user never sees a stack trace; the log keeps it
            logger.exception("Answering failed")
            messages[-1] = {
                "role": "assistant",
                "content": "⚠️ Đã có lỗi khi trả lời câu hỏi này. Vui lòng thử lại.",
            }
            yield messages, sources_html(None, {}), turns, ""

    def new_conversation(self) -> tuple[Messages, str, list[Turn], str]:
        return [], sources_html(None, {}), [], ""

    def example_questions(self) -> list[str]:
        store = self.assistant.index.store
        newest = store.date_range()[1]
        examples = [
            "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?",
            "hoi nghi doi ngoai nhan dan nam 2022 to chuc o dau",
        ]
        if newest:
            examples.append(f"Tóm tắt các hoạt động đối ngoại năm {newest.year}")
        return examples

    def facets(self) -> tuple[list[str], list[str]]:
        store = self.assistant.index.store
        return [ALL, *store.facet_values("category")], [ALL, *store.facet_values("outlet")]

    # --- archive -------------------------------------------------------------------------------
    def stats(self) -> str:
        return stats_markdown(archive_stats(self.assistant.index))

    def upload(
        self, files: list[str] | None, progress: Callable[[float, str], Any] | None = None
    ) -> tuple[list[list[str]], str, str]:
        """Copies uploads (sanitised names) under the index folder and ingests them."""
        if not files:
            return [], "Chưa chọn tệp nào.", self.stats()
        target = self.settings.db_dir / "uploads"
        target.mkdir(parents=True, exist_ok=True)
        accepted: list[Path] = []
        refused: list[list[str]] = []
        limit = self.settings.max_upload_mb * 1024 * 1024
        for file in files:
            source = Path(file)
            name = safe_file_name(source.name)
            if not name.lower().endswith(tuple(SUPPORTED_EXTENSIONS)):
                refused.append(
                    [
                        source.name,
                        "",
                        "bị từ chối",
                        "loại tệp không được hỗ trợ (txt, html, md, pdf, docx, jsonl)",
                    ]
                )
            elif source.stat().st_size > limit:
                refused.append(
                    [source.name, "", "bị từ chối", f"tệp lớn hơn {self.settings.max_upload_mb:g} MB"]
                )
            else:
                destination = unique_destination(target, name, source)
                shutil.copyfile(source, destination)
                accepted.append(destination)
        rows = list(refused)
        if accepted:

            def on_progress(done: int, total: int | None) -> None:
                if progress is not None:
                    progress(done / total if total else 0.0, f"Đang nạp {done}/{total or '?'} bài")

            report = run_ingest(accepted, self.settings, index=self.assistant.index, progress=on_progress)
            rows += report_rows(report)
        message = f"Đã xử lý {len(files)} tệp." if accepted else "Không có tệp hợp lệ để nạp."
        return rows, message, self.stats()

    # --- briefing ------------------------------------------------------------------------------
    def briefing(self, topic: str, date_from: str, date_to: str) -> tuple[str, list[str]]:
        topic = (topic or "").strip()
        if not topic:
            return "⚠️ Hãy nhập chủ đề cho bản tóm tắt.", []
        try:
            filters = build_filters(date_from, date_to, None, None)
        except InputError as exc:
            return f"⚠️ {exc}", []
        briefing = write_briefing(self.assistant, topic, filters.date_from, filters.date_to)
        folder = Path(tempfile.mkdtemp(prefix="ban_tom_tat_"))
        stem = safe_file_name(topic)[:60].rsplit(".", 1)[0] or "ban_tom_tat"
        files = [str(export_briefing(briefing, folder / f"{stem}.{ext}")) for ext in ("docx", "md")]
        notice = f"> ⚠️ {briefing.notice}\n\n" if briefing.notice else ""
        return notice + briefing.markdown, files


def safe_file_name(name: str) -> str:
    """Base name only, safe characters (Vietnamese letters kept), no leading dots: no path traversal."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = re.sub(r"[^\w.\- ]+", "_", base, flags=re.UNICODE).strip(" .")
    return cleaned or "tep_tai_len"


def unique_destination(folder: Path, name: str, source: Path) -> Path:
    """`folder/name`, or `name-2`, `name-3`... when a different file already has that name."""
    candidate = folder / name
    stem, dot, suffix = name.partition(".")
    counter = 2
    while candidate.exists() and candidate.read_bytes() != source.read_bytes():
        candidate = folder / f"{stem}-{counter}{dot}{suffix}"
        counter += 1
    return candidate
