"""`python -m ingest PATH... [--lexical-only] | embed | show ID | history ID | restore ID VERSION | delete ID |
stats | rebuild` — see README for the forms. Unknown ids and versions in `history`/`restore` exit with
code 2.

`python -m ingest PATH` stores the whole batch first (searchable lexically at once), then embeds every
article still waiting for vectors; `--lexical-only` stops after storing, and `embed` does the second
stage alone (resumable: each batch of vectors is written on its own).

What `PATH`, `delete` and `restore` change is appended to the index's `audit.jsonl` as user
`cli:<OS login name>` (vectorstore/audit_log.py)."""

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
from vectorstore.article_history import (
    RestoreOutcome,
    VersionNotFoundError,
    existing_versions,
    restore_version,
)
from vectorstore.audit_log import AuditEntry, append_cli_audit, cli_user, ingest_changes
from vectorstore.background_embedding import embed_missing, embedding_status
from vectorstore.index_errors import ArchiveIndexError
from vectorstore.index_rebuild import RebuildOutcome, rebuild_index
from vectorstore.ingestion import BATCH_CHUNKS, run_ingest
from vectorstore.store.article_store import ArticleStore
from vectorstore.store.article_versions import ArticleVersion
from vectorstore.store.writer_lock import exclusive_writer

COMMANDS = {"show", "history", "restore", "delete", "stats", "rebuild", "embed"}


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m ingest{' ' + command if command else ''}")
    if command in {"show", "history", "restore", "delete"}:
        parser.add_argument("article_id")
    if command == "restore":
        parser.add_argument("version", help="số phiên bản cần khôi phục (xem: python -m ingest history ID)")
    elif command is None:
        parser.add_argument("paths", nargs="+", type=Path, help="tệp hoặc thư mục cần nạp")
        parser.add_argument("--prune", action="store_true", help="xoá bài có tệp nguồn đã mất")
        parser.add_argument(
            "--lexical-only",
            action="store_true",
            help="chỉ lưu bài (tìm được ngay bằng từ khoá), chưa nhúng vector: chạy python -m ingest embed sau",
        )
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
    except (ArchiveIndexError, VersionNotFoundError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


def _run(command: str | None, args: argparse.Namespace, settings: Settings) -> int:
    if command is None:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            print(f"Lỗi: không tìm thấy {', '.join(missing)}", file=sys.stderr)
            return 2
        bar, embedding_bar = _ProgressBar("Nạp kho"), _ProgressBar("Nhúng vector")
        index = ArchiveIndex(settings.index_config())
        try:
            report = run_ingest(
                args.paths,
                settings.ingest_config(),
                prune=args.prune,
                index=index,
                progress=bar.update,
                embed="none",  # the second stage below, once what was stored is in the audit log
            )
            # Audited before embedding: a run stopped while embedding (Ctrl-C, kill) has already
            # changed the archive, and its vectors are finished by `ingest embed`, which audits nothing.
            append_cli_audit(settings.db_dir, ingest_changes(report, index.store, cli_user()))
            if not args.lexical_only:
                embedded = embed_missing(
                    index, progress=embedding_bar.update, batch_chunks=BATCH_CHUNKS, texts_per_call=None
                )
                report.embedded_chunks += embedded.chunks
                report.embedding_seconds += embedded.seconds
                report.seconds += embedded.seconds
        finally:
            bar.close()
            embedding_bar.close()
        vectors = embedding_status(index)  # in JSON: `ingest stats --json`
        _emit(
            args.json,
            report.as_json(),
            f"{report.as_text()}\n{_vectors_text(vectors.text, vectors.minutes_left)}",
        )
        return 0
    if command == "embed":
        return _embed(args, settings)
    if command == "rebuild":  # before opening the index: a damaged Chroma folder must not stop it
        with exclusive_writer(settings.db_dir):
            outcome = rebuild_index(settings.index_config())
        _emit(args.json, _rebuild_json(outcome), _rebuild_text(outcome))
        return 0
    if command == "history":  # the store alone: no model or vectors needed to list versions
        store = ArticleStore(settings.db_dir)
        versions = existing_versions(store, args.article_id)
        sources = store.sources_of(args.article_id)
        _emit(
            args.json,
            _history_json(args.article_id, versions),
            _history_text(args.article_id, versions, sources),
        )
        return 0
    if command == "restore":
        if not args.version.isdigit():
            raise VersionNotFoundError(f"Số phiên bản phải là số nguyên dương, không phải «{args.version}».")
        restored = restore_version(args.article_id, int(args.version), settings.ingest_config())
        if restored.new_version not in (None, restored.replaced):  # else the text was current already
            entry = AuditEntry(
                cli_user(),
                "restored",
                restored.article_id,
                f"khôi phục phiên bản {restored.restored}",
                restored.replaced,
                restored.new_version,
                channel="cli",
            )
            append_cli_audit(settings.db_dir, [entry])
        _emit(args.json, _restore_json(restored), _restore_text(restored))
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
            removed = index.store.get_article(args.article_id)
            index.delete([args.article_id])
        old_version = removed.version if removed is not None else None
        entry = AuditEntry(
            cli_user(), "deleted", args.article_id, "lệnh python -m ingest delete", old_version, channel="cli"
        )
        append_cli_audit(settings.db_dir, [entry])
        _emit(
            args.json,
            {"deleted": args.article_id},
            f"Đã xoá bài {args.article_id}. Nội dung cuối vẫn được giữ trong lịch sử: python -m ingest history "
            f"{args.article_id} (khôi phục: python -m ingest restore {args.article_id} SỐ_PHIÊN_BẢN).",
        )
        return 0
    stats = archive_stats(index)
    _emit(args.json, stats, "\n".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def _embed(args: argparse.Namespace, settings: Settings) -> int:
    """The second stage alone: vectors for every article waiting for them, batch by batch."""
    index = ArchiveIndex(settings.index_config())
    bar = _ProgressBar("Nhúng vector")
    try:
        outcome = embed_missing(index, progress=bar.update, batch_chunks=64, texts_per_call=None)
    finally:
        bar.close()
    vectors = embedding_status(index)
    payload = {
        "embedded_now": outcome.articles,
        "embedded_chunks": outcome.chunks,
        "embedding_seconds": round(outcome.seconds, 1),
        "embedded_articles": vectors.embedded_articles,
        "articles": vectors.articles,
        "vectors": vectors.text,
    }
    text = (
        f"Đã nhúng vector cho {outcome.articles} bài ({outcome.chunks} đoạn) trong "
        f"{outcome.seconds:.0f} giây.\n{vectors.text}."
    )
    _emit(args.json, payload, text)
    return 0


def _vectors_text(line: str, minutes_left: int | None) -> str:
    if minutes_left == 0:
        return f"{line}."
    return f"{line}. Bài chưa có vector vẫn tìm được bằng từ khoá; nhúng nốt: python -m ingest embed"


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
        "version": article.version,
    }


def _history_json(article_id: str, versions: list[ArticleVersion]) -> dict[str, object]:
    return {
        "id": article_id,
        "versions": [
            {
                "version": v.version,
                "stored_at": v.stored_at.isoformat(),
                "source": v.source,
                "title": v.title,
                "length": len(v.text),
                "current": v.current,
            }
            for v in versions
        ],
    }


def _history_text(article_id: str, versions: list[ArticleVersion], sources: list[str]) -> str:
    current = next((v.version for v in versions if v.current), None)
    state = f"phiên bản hiện hành: {current}" if current else "bài đã bị xoá, không phiên bản nào đang dùng"
    lines = [f"Lịch sử bài {article_id}: {len(versions)} phiên bản ({state})."]
    for v in versions:
        source = v.source or (", ".join(sources) if v.current and sources else "không rõ")
        lines.append(
            f"{'*' if v.current else ' '} phiên bản {v.version}{' (hiện hành)' if v.current else ''}: "
            f"lưu lúc {v.stored_at.astimezone():%d/%m/%Y %H:%M}, {_count(len(v.text))} ký tự, «{v.title}»; "
            f"nguồn: {source}"
        )
    lines.append(f"Khôi phục một phiên bản: python -m ingest restore {article_id} SỐ_PHIÊN_BẢN")
    return "\n".join(lines)


def _restore_json(outcome: RestoreOutcome) -> dict[str, object]:
    return {
        "id": outcome.article_id,
        "restored": outcome.restored,
        "replaced": outcome.replaced,
        "new_version": outcome.new_version,
    }


def _restore_text(outcome: RestoreOutcome) -> str:
    article = f"bài «{outcome.title}» ({outcome.article_id})"
    if outcome.new_version is None:
        return f"Phiên bản {outcome.restored} đã là phiên bản hiện hành của {article}; không có gì thay đổi."
    text = (
        f"Đã khôi phục phiên bản {outcome.restored} của {article}: nội dung đó nay là phiên bản hiện hành "
        f"{outcome.new_version} và đã được lập chỉ mục lại."
    )
    if outcome.replaced is None:
        return f"{text} Bài từng bị xoá nay có lại trong kho."
    return (
        f"{text} Phiên bản {outcome.replaced} vẫn được giữ; hoàn tác: python -m ingest restore "
        f"{outcome.article_id} {outcome.replaced}"
    )


def _count(value: int) -> str:
    """`4.512`: thousands separated by dots, as Vietnamese writes them."""
    return f"{value:,}".replace(",", ".")


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

    def __init__(self, description: str = "Nạp kho") -> None:
        self._bar: Any = None  # tqdm, imported on first use
        self._description = description

    def update(self, done: int, total: int | None) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="bài", desc=self._description, file=sys.stderr, leave=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


if __name__ == "__main__":
    sys.exit(main())
