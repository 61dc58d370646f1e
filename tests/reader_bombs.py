"""Small files that would take gigabytes or hours to read (issue 14 §2), and a child-process runner that
measures what ingesting one costs.

Each builder writes its bomb into a folder in well under a second of disk space: the gzip and zip bombs
stream repetitive bytes through the compressor, the sparse file is `truncate`d, the nested HTML and the
PDF are a few hundred kilobytes. `run_ingest_child` runs the real command line (`python -m ingest --json`
on the hash embedder) in a child process and reads the child's own peak resident memory (VmHWM in
/proc, polled while it runs: `ru_maxrss` from `wait4` folds in the parent's high-water mark at exec, so
under a pytest process that loaded a model every child seemed to peak at 1 GB). A watchdog kills the
child past a time or memory cap, so a regression fails the test instead of exhausting the machine.

`python -m tests.reader_bombs [--code-root DIR]` prints the table for the closing note; `--code-root`
points at another checkout (`git worktree add /tmp/bombs-base d11e0b0`) to measure it with these bombs.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
NORMAL_ARTICLE = ROOT / "data" / "sample_archive" / "004_955a1fbb71e7f89b.txt"
NORMAL_NAME = "bai_binh_thuong.txt"
GIB = 1024**3
MIB = 1024**2


def build_gzip_without_newline(folder: Path) -> Path:
    """A `.jsonl.gz` of about 1 MB that unpacks to 1 GiB of zeros with no newline: one gzip member of
    16 MiB of zeros, written 64 times (readers unpack concatenated members as one stream)."""
    path = folder / "bom_mot_dong.jsonl.gz"
    member = gzip.compress(bytes(16 * MIB), compresslevel=9, mtime=0)
    with path.open("wb") as handle:
        for _ in range(GIB // (16 * MIB)):
            handle.write(member)
    return path


def build_sparse_jsonl(folder: Path) -> Path:
    """A 1 GiB sparse `.jsonl` (no data blocks on disk): one line of NUL bytes without a newline."""
    path = folder / "bom_thua.jsonl"
    with path.open("wb") as handle:
        handle.truncate(GIB)
    return path


def build_docx_bomb(folder: Path, xml_mib: int = 256) -> Path:
    """A real `.docx` (python-docx's template) whose `word/document.xml` unpacks to `xml_mib` MiB of
    paragraphs; the other parts are copied unchanged."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    paragraph = b"<w:p><w:r><w:t>H\xe1\xbb\x99i ngh\xe1\xbb\x8b h\xe1\xbb\xa3p t\xc3\xa1c.</w:t></w:r></w:p>"
    block = paragraph * (MIB // len(paragraph))
    path = folder / "bom_word.docx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
                continue
            head, _, _ = source.read(info).partition(b"<w:body>")
            entry = zipfile.ZipInfo("word/document.xml")
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w", force_zip64=True) as xml:
                xml.write(head + b"<w:body>")
                for _ in range(xml_mib):
                    xml.write(block)
                xml.write(b"</w:body></w:document>")
    return path


def build_nested_html(folder: Path, depth: int = 20_000) -> Path:
    """A page of `depth` nested `<div>`s around one sentence (about 220 KB)."""
    path = folder / "bom_long_nhau.html"
    body = "<div>" * depth + "<p>Hội nghị hợp tác hữu nghị.</p>" + "</div>" * depth
    path.write_text(f"<html><head><title>Tin</title></head><body>{body}</body></html>", encoding="utf-8")
    return path


def build_wide_html(folder: Path, paragraphs: int = 20_000) -> Path:
    """A page of `paragraphs` sibling `<p>`s (about 600 KB): ordinary-looking, but breaking before each
    block by editing the tree cost the number of siblings each time."""
    path = folder / "bom_rong.html"
    body = "<p>Hội nghị hợp tác hữu nghị.</p>" * paragraphs
    path.write_text(f"<html><head><title>Tin</title></head><body>{body}</body></html>", encoding="utf-8")
    return path


def build_markdown_markup(folder: Path, units: int = 40_000) -> Path:
    """A `.md` of one line of `units` unclosed italics (`*a `, about 120 KB): the italic pattern tried
    every start against the rest of the line."""
    path = folder / "bom_markdown.md"
    path.write_text("# Tin\n\nHội nghị " + "*a " * units + "hợp tác.\n", encoding="utf-8")
    return path


def build_many_page_pdf(folder: Path, pages: int = 20_000) -> Path:
    """A valid PDF of `pages` blank pages (about 1 MB), written directly: pypdf takes seconds to write it."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + number) for number in range(pages))
    objects.append(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = folder / "bom_nhieu_trang.pdf"
    path.write_bytes(bytes(body))
    return path


BOMBS: dict[str, Callable[[Path], Path]] = {
    "gzip_no_newline": build_gzip_without_newline,
    "sparse_jsonl": build_sparse_jsonl,
    "docx_xml": build_docx_bomb,
    "html_nesting": build_nested_html,
    "html_wide": build_wide_html,
    "markdown_markup": build_markdown_markup,
    "pdf_pages": build_many_page_pdf,
}


def build_batch(name: str, folder: Path) -> Path:
    """`folder` with the bomb `name` and one ordinary customer article beside it; returns the bomb."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(NORMAL_ARTICLE, folder / NORMAL_NAME)
    return BOMBS[name](folder)


@dataclass(frozen=True)
class ChildRun:
    """What one ingestion child cost and said."""

    seconds: float  # wall clock, start to exit
    cpu_seconds: float  # the child's user + system time: what the bomb costs, whatever else runs
    peak_mb: float  # the child's VmHWM, polled every 50 ms
    returncode: int | None
    report: dict[str, object] | None  # the `--json` report, None when the child did not finish
    stopped: str | None  # why the watchdog killed the child, if it did
    stderr: str

    def outcome(self, file_name: str) -> dict[str, object]:
        """The report row of the input whose path ends with `file_name` (JSON Lines rows: `name:LINE`)."""
        assert self.report is not None, f"no report (stopped: {self.stopped}); stderr: {self.stderr[-2000:]}"
        files = self.report["files"]
        assert isinstance(files, list)
        rows = [row for row in files if Path(str(row["path"]).split(":")[0]).name == file_name]
        assert rows, f"{file_name} is not in the report: {files}"
        return rows[0]


def run_ingest_child(
    folder: Path, db_dir: Path, *, code_root: Path = ROOT, timeout_s: float = 60.0, rss_cap_mb: float = 4096
) -> ChildRun:
    """`python -m ingest FOLDER --db DB --json` on the hash embedder in a child, killed after `timeout_s`
    or above `rss_cap_mb` of resident memory."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code_root),
        "ARCHIVE_EMBEDDING_MODE": "hash",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    command = [sys.executable, "-m", "ingest", str(folder), "--db", str(db_dir), "--json"]
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path = Path(scratch) / "out", Path(scratch) / "err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.monotonic()
            # cwd is the scratch folder: no `.env` of a developer is read.
            child = subprocess.Popen(command, cwd=scratch, env=env, stdout=out, stderr=err)
            status, rusage, stopped, peak_mb = _watch(child.pid, started, timeout_s, rss_cap_mb)
            seconds = time.monotonic() - started
        output, stderr = out_path.read_text("utf-8"), err_path.read_text("utf-8", errors="replace")
    returncode = os.waitstatus_to_exitcode(status)
    report = json.loads(output) if returncode == 0 and output.strip() else None
    cpu_seconds = rusage.ru_utime + rusage.ru_stime
    return ChildRun(seconds, cpu_seconds, peak_mb, returncode, report, stopped, stderr)


def _watch(
    pid: int, started: float, timeout_s: float, rss_cap_mb: float
) -> tuple[int, resource.struct_rusage, str | None, float]:
    """Wait for the child; also its peak memory, read from /proc as VmHWM while it runs. The kernel's
    ru_maxrss cannot be used: at exec it folds in the parent's high-water mark, so under a pytest process
    that has loaded a model every child would 'peak' at the parent's 1 GB."""
    stopped: str | None = None
    peak_mb = 0.0
    while True:
        peak_mb = max(peak_mb, _status_mb(pid, "VmHWM:"))
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, rusage, stopped, peak_mb
        if stopped is None:
            if time.monotonic() - started > timeout_s:
                stopped = f"over {timeout_s:.0f} s"
            elif _status_mb(pid, "VmRSS:") > rss_cap_mb:
                stopped = f"over {rss_cap_mb:.0f} MB"
            if stopped is not None:
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


def _status_mb(pid: int, field: str) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure each reader bomb in an ingestion child.")
    parser.add_argument("--code-root", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("bombs", nargs="*", default=list(BOMBS))
    args = parser.parse_args()
    results = {}
    for name in args.bombs:
        with tempfile.TemporaryDirectory() as scratch:
            bomb = build_batch(name, Path(scratch) / "batch")
            run = run_ingest_child(
                bomb.parent, Path(scratch) / "index", code_root=args.code_root, timeout_s=args.timeout
            )
            row = {
                "seconds": round(run.seconds, 1),
                "cpu_seconds": round(run.cpu_seconds, 1),
                "peak_mb": round(run.peak_mb),
                "stopped": run.stopped,
            }
            if run.report is not None:
                row["bomb"] = run.outcome(bomb.name)
                row["normal"] = run.outcome(NORMAL_NAME)["status"]
            else:
                row["returncode"] = run.returncode
                row["stderr_tail"] = run.stderr[-300:]
            results[name] = row
            print(json.dumps({name: row}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
