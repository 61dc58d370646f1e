"""How much one input file may cost to read, and the clock that enforces it (issue 14 §2).

A file's size on disk says little about what reading it costs: a 1 MB `.jsonl.gz` can unpack to 1 GB
without a newline, a 600 KB `.docx` to 180 MB of XML, 200 KB of nested `<div>`s can take minutes to walk.
So every reader is bounded by what it unpacks, parses or walks, checked before the expensive step where
the format allows it (the zip directory, a cheap tokenizer pass) and while streaming otherwise. A
`Deadline` per file is checked between steps; a step that cannot be interrupted (one lxml parse) is kept
short by the size bounds. Past a bound the reader raises `ReaderLimitError` with a Vietnamese reason and
the loader reports the file as refused; the rest of the batch goes on.

`ReaderLimits` is this layer's own config: the application maps its settings onto it
(`Settings.ingest_config`), the defaults are what the command line and the tests use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MB = 1024 * 1024


class ReaderLimitError(ValueError):
    """A file exceeds one of the reader bounds; the message (Vietnamese) names the bound."""


@dataclass(frozen=True)
class ReaderLimits:
    """Bounds on reading one file (bytes are unpacked bytes, not bytes on disk)."""

    max_unpacked_bytes: int = 512 * MB  # what a `.jsonl.gz` may unpack to
    max_jsonl_line_bytes: int = 8 * MB  # one JSON Lines row; longer rows are skipped
    max_docx_unpacked_bytes: int = 32 * MB  # the XML parts of a `.docx` (pictures are never unpacked)
    max_docx_entries: int = 2000  # entries in a `.docx`'s zip directory
    max_html_depth: int = 512  # element nesting of an HTML page
    max_html_nodes: int = 100_000  # elements of an HTML page
    max_pdf_pages: int = 1000
    max_seconds_per_file: float = 60.0  # wall-clock time to read one file (one row of JSON Lines)


DEFAULT_READER_LIMITS = ReaderLimits()


class Deadline:
    """The wall-clock budget of reading one file, started when the file is opened."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def check(self) -> None:
        """Raise `ReaderLimitError` once the budget is spent (call between steps)."""
        if time.monotonic() > self._ends:
            raise ReaderLimitError(
                f"Đọc tệp quá lâu (quá {self.seconds:g} giây cho một tệp), đã dừng; tệp không được nạp."
            )


def megabytes(size: float) -> str:
    """`0,5`, `12,3`, `512`: megabytes with a Vietnamese decimal comma, as the reasons show them."""
    return f"{size / MB:.1f}".removesuffix(".0").replace(".", ",")
