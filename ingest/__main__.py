"""`python -m ingest PATH... | show ID | delete ID | stats | rebuild` — see README for the forms."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from vectorstore.archive_index import ArchiveIndex
from vectorstore.archive_stats import archive_stats
from vectorstore.index_errors import ArchiveIndexError
from vectorstore.index_rebuild import RebuildOutcome, rebuild_index
from vectorstore.ingestion import run_ingest
from vectorstore.store.writer_lock import exclusive_writer

COMMANDS = {"show", "delete", "stats", "rebuild"}


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m ingest{' ' + command if command else ''}")
    if command in {"show", "delete"}:
        parser.add_argument("article_id")
    elif command is None:
        parser.add_argument("paths", nargs="+", type=Path, help="tệp hoặc thư mục cần nạp")
        parser.add_argument("--prune", action="store_true", help="xoá bài có tệp nguồn đã mất")
    parser.add_argument("--db", type=Path, help="thư mục chỉ mục (mặc định ARCHIVE_DB_DIR)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = _parser(command).parse_args(argv[1:] if command else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.db:
        settings = settings.model_copy(update={"db_dir": args.db})
    try:
        return _run(command, args, settings)
    except ArchiveIndexError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


def _run(command: str | None, args: argparse.Namespace, settings: Settings) -> int:
    if command is None:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            print(f"Lỗi: không tìm thấy {', '.join(missing)}", file=sys.stderr)
            return 2
        bar = _ProgressBar()
        try:
            report = run_ingest(args.paths, settings.ingest_config(), prune=args.prune, progress=bar.update)
        finally:
            bar.close()
        _emit(args.json, report.as_json(), report.as_text())
        return 0
    if command == "rebuild":  # before opening the index: a damaged Chroma folder must not stop it
        with exclusive_writer(settings.db_dir):
            outcome = rebuild_index(settings.index_config())
        _emit(args.json, _rebuild_json(outcome), _rebuild_text(outcome))
        return 0
    index = ArchiveIndex(settings.index_config())
    if command == "show":
        shown = _article_json(index, args.article_id)
        if shown is None:
            print(f"Không có bài «{args.article_id}» trong kho.", file=sys.stderr)
            return 1
        _emit(args.json, shown, _article_text(shown))
        return 0
    if command == "delete":
        if index.store.article_state(args.article_id) is None:
            print(f"Không có bài «{args.article_id}» trong kho.", file=sys.stderr)
            return 1
        with exclusive_writer(settings.db_dir):
            index.delete([args.article_id])
        _emit(args.json, {"deleted": args.article_id}, f"Đã xoá bài {args.article_id}.")
        return 0
    stats = archive_stats(index)
    _emit(args.json, stats, "\n".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def _article_json(index: ArchiveIndex, article_id: str) -> dict[str, object] | None:
    article = index.store.get_article(article_id)
    if article is None:
        return None
    return {
        "id": article.article_id,
        "title": article.title,
        "published_date": article.published_date.isoformat() if article.published_date else None,
        "page_date": article.page_date.isoformat() if article.page_date else None,
        "url": article.url,
        "author": article.author,
        "outlet": article.outlet,
        "text": article.text,
        "sources": index.store.sources_of(article_id),
    }


def _rebuild_json(outcome: RebuildOutcome) -> dict[str, object]:
    moved = str(outcome.damaged_folder) if outcome.damaged_folder else None
    return {"rebuilt_articles": outcome.articles, "damaged_folder": moved, "problem": outcome.problem}


def _rebuild_text(outcome: RebuildOutcome) -> str:
    lines = [f"Đã dựng lại chỉ mục cho {outcome.articles} bài."]
    if outcome.damaged_folder:
        lines.append(
            f"Kho vector cũ bị hỏng ({outcome.problem}) đã được chuyển sang {outcome.damaged_folder}; "
            "có thể xoá thư mục đó sau khi kiểm tra."
        )
    return "\n".join(lines)


def _article_text(shown: dict[str, object]) -> str:
    header = [f"{key}: {value}" for key, value in shown.items() if key != "text"]
    return "\n".join([*header, "", str(shown["text"])])


def _emit(as_json: bool, payload: object, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else text)


class _ProgressBar:
    """A tqdm bar on stderr, created on the first update and cleared when the run ends or fails (so an
    error message starts on its own line)."""

    def __init__(self) -> None:
        self._bar: Any = None  # tqdm, imported on first use

    def update(self, done: int, total: int | None) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="bài", desc="Nạp kho", file=sys.stderr, leave=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


if __name__ == "__main__":
    sys.exit(main())
