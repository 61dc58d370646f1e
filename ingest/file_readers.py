"""One reader per document format: bytes -> text with paragraph breaks, plus metadata hints.

Readers keep paragraphs apart with blank lines and lines apart with newlines, because the page cleaner
works line by line; they leave furniture removal to the cleaner. A reader raises `UnreadableFileError`
with a Vietnamese reason when the file cannot give text, and `ReaderLimitError` when reading it would cost
more than `ReaderLimits` allow (see `ingest.reader_limits`); the loader turns both into a `LoadProblem`.
Each reader takes the limits and the file's `Deadline`, and checks the deadline between its steps.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ingest.decoding import UndecodableFileError, decode_bytes
from ingest.html_reader import html_content
from ingest.reader_limits import DEFAULT_READER_LIMITS, Deadline, ReaderLimitError, ReaderLimits, megabytes
from ingest.vietnamese_text import normalize_text

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

_PLACEHOLDER_AUTHORS = frozenset(
    "python-docx|admin|administrator|user|windows user|microsoft office user|pc|unknown|author".split("|")
)
# python-docx's own template carries this creation date; it says nothing about the article.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_MD_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_FRONT_FIELD = re.compile(r"^(title|date|url|author|category|source|outlet)\s*:\s*(.+?)\s*$", re.I | re.M)
# Every pattern stops at the next character that could open another match ([^…[] in links, [^*] in
# italics, [^<] in tags), so a line of unclosed markup costs its length, not its length squared.
_MD_INLINE = (
    (re.compile(r"!\[[^\]\[]*\]\([^()\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\[]+)\]\([^()\n]*\)"), r"\1"),  # links -> their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics (not inside words)
    (re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"<[^<>\n]+>"), ""),  # inline HTML tags
)
_MD_LINE_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)+|^\s*(?:[-*+]\s+)")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}.*$")
_SENTENCE_END = '.!?:;…"”)»'
_DOCX_TEXT_PARTS = (".xml", ".rels")  # what python-docx parses; pictures and embedded files are not read
_CHECK_EVERY = 1000  # lines, paragraphs or rows between deadline checks


class UnreadableFileError(ValueError):
    """The file is damaged or holds no text; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class FileContent:
    """Text of one file with the metadata its format carries (all optional)."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None
    category: str | None = None
    outlet: str | None = None


def read_text_file(
    data: bytes, source: str, limits: ReaderLimits = DEFAULT_READER_LIMITS, deadline: Deadline | None = None
) -> FileContent:
    return FileContent(_decode(data, source))


def read_html(
    data: bytes, source: str, limits: ReaderLimits = DEFAULT_READER_LIMITS, deadline: Deadline | None = None
) -> FileContent:
    """Visible text of the page with paragraph breaks; `<h1>` (else `<title>`) and meta tags as hints.
    Pages deeper or larger than `limits` are refused before they are parsed (see `ingest.html_reader`)."""
    text, hints = html_content(_decode(data, source), limits, deadline)
    return FileContent(_tidy(text), **hints)


def read_markdown(
    data: bytes, source: str, limits: ReaderLimits = DEFAULT_READER_LIMITS, deadline: Deadline | None = None
) -> FileContent:
    """Markdown with its syntax stripped lightly; the first `# ` heading is the title hint, YAML front
    matter fields (title, date, url, author, category) are hints too."""
    deadline = deadline or Deadline(limits.max_seconds_per_file)
    text = _decode(data, source)
    hints: dict[str, str] = {}
    front = _MD_FRONT_MATTER.match(text)
    if front:
        for key, value in _MD_FRONT_FIELD.findall(front.group(1)):
            hints[key.lower()] = value.strip().strip("\"'")
        text = text[front.end() :]
    title = hints.pop("title", None)
    lines: list[str] = []
    in_fence = False
    for number, line in enumerate(text.split("\n")):
        if number % _CHECK_EVERY == 0:
            deadline.check()
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(2).rstrip().rstrip("#").rstrip()
            if title is None and len(heading.group(1)) == 1:
                title = _md_inline(line)
        elif _MD_RULE.match(line):
            line = ""
        elif not in_fence:
            line = _MD_LINE_PREFIX.sub("", line).strip().strip("|").replace(" | ", " ")
        lines.append(line if in_fence else _md_inline(line))
    outlet = hints.pop("outlet", None) or hints.pop("source", None)
    return FileContent(_tidy("\n".join(lines)), title=title, outlet=outlet, **hints)


def read_pdf(
    data: bytes, source: str, limits: ReaderLimits = DEFAULT_READER_LIMITS, deadline: Deadline | None = None
) -> FileContent:
    """Text of every page (pypdf), lines re-flowed into paragraphs. Metadata is not used as hints:
    PDF titles and authors are mostly file names and account names. The page count is read from the page
    tree before any page is; pypdf bounds each stream it unpacks itself."""
    from pypdf import PdfReader

    deadline = deadline or Deadline(limits.max_seconds_per_file)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError("Tệp PDF được bảo vệ bằng mật khẩu.")
        _check_page_count(_declared_page_count(reader), limits)  # before the page tree is read
        _check_page_count(len(reader.pages), limits)  # the pages themselves (a /Count can lie)
        pages: list[str] = []
        for page in reader.pages:
            deadline.check()
            pages.append(page.extract_text() or "")
    except (UnreadableFileError, ReaderLimitError):
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files; any one means unreadable
        logger.info("%s: unreadable PDF (%s: %s)", source, type(exc).__name__, exc)
        raise UnreadableFileError("Tệp PDF bị hỏng hoặc không đọc được.") from exc
    text = "\n\n".join(_reflow(normalize_text(page)) for page in pages)
    if not text.strip():
        raise UnreadableFileError("Tệp PDF không có văn bản (có thể là bản quét ảnh).")
    return FileContent(text)


def _declared_page_count(reader: PdfReader) -> int:
    """`/Count` of the page tree's root (0 when absent or not a number): read without walking the tree."""
    from pypdf.generic import DictionaryObject, NumberObject

    tree = reader.root_object.get("/Pages")
    tree = tree.get_object() if tree is not None else None
    count = tree.get("/Count") if isinstance(tree, DictionaryObject) else None
    count = count.get_object() if count is not None else None
    return int(count) if isinstance(count, NumberObject) else 0


def _check_page_count(count: int, limits: ReaderLimits) -> None:
    if count > limits.max_pdf_pages:
        raise ReaderLimitError(
            f"Tệp PDF có {count} trang, vượt giới hạn {limits.max_pdf_pages} trang mỗi tệp; không đọc."
        )


def read_docx(
    data: bytes, source: str, limits: ReaderLimits = DEFAULT_READER_LIMITS, deadline: Deadline | None = None
) -> FileContent:
    """Paragraphs and table cells in document order; core properties title/author/created as hints.
    The zip directory is checked against `limits` before anything is unpacked."""
    deadline = deadline or Deadline(limits.max_seconds_per_file)
    try:
        return _docx_content(_docx_text_package(data, limits), deadline)
    except ReaderLimitError:
        raise
    except Exception as exc:  # zip, XML and package errors alike: the file cannot be read
        logger.info("%s: unreadable DOCX (%s: %s)", source, type(exc).__name__, exc)
        raise UnreadableFileError("Tệp Word (.docx) bị hỏng hoặc không đọc được.") from exc


def _docx_text_package(data: bytes, limits: ReaderLimits) -> bytes:
    """The `.docx` with only its XML parts unpacked (pictures and embedded files left empty), after the
    zip directory shows it within `limits`: a zip bomb is refused before one byte of it is inflated."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        if len(entries) > limits.max_docx_entries:
            raise ReaderLimitError(
                f"Tệp Word (.docx) có {len(entries)} thành phần, vượt giới hạn {limits.max_docx_entries}; "
                "không đọc."
            )
        text_parts = {
            entry.filename for entry in entries if entry.filename.lower().endswith(_DOCX_TEXT_PARTS)
        }
        unpacked = sum(entry.file_size for entry in entries if entry.filename in text_parts)
        if unpacked > limits.max_docx_unpacked_bytes:
            raise ReaderLimitError(
                f"Tệp Word (.docx) giải nén ra {megabytes(unpacked)} MB văn bản XML, vượt giới hạn "
                f"{megabytes(limits.max_docx_unpacked_bytes)} MB (có thể là tệp nén độc hại); không đọc."
            )
        stripped = io.BytesIO()
        with zipfile.ZipFile(stripped, "w", zipfile.ZIP_STORED) as package:
            for entry in entries:
                if entry.filename in text_parts:
                    with archive.open(entry) as part:
                        # zipfile stops at the size the directory declares (a lying entry fails its CRC)
                        package.writestr(entry.filename, part.read(entry.file_size))
                else:
                    package.writestr(entry.filename, b"")
    return stripped.getvalue()


def _docx_content(data: bytes, deadline: Deadline) -> FileContent:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    deadline.check()
    paragraphs: list[str] = []
    for number, item in enumerate(document.iter_inner_content()):
        if number % _CHECK_EVERY == 0:
            deadline.check()
        if isinstance(item, Table):
            for row in item.rows:
                cells = dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip())
                paragraphs.append(" | ".join(cells))
        else:
            paragraphs.append(item.text)
    props = document.core_properties
    author = (props.author or "").strip()
    created: datetime | None = props.created
    return FileContent(
        _tidy("\n\n".join(p.strip() for p in paragraphs if p.strip())),
        title=(props.title or "").strip() or None,
        author=author if author.lower() not in _PLACEHOLDER_AUTHORS else None,
        date=created.date().isoformat() if created and created != _TEMPLATE_CREATED else None,
        category=(props.category or "").strip() or None,
    )


def _decode(data: bytes, source: str) -> str:
    try:
        return decode_bytes(data, source)
    except UndecodableFileError as exc:
        raise UnreadableFileError(str(exc)) from exc


def _tidy(text: str) -> str:
    """NFC, trimmed lines, at most one blank line between paragraphs."""
    text = normalize_text(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _md_inline(line: str) -> str:
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    return line.replace("\\", "")


def _reflow(page: str) -> str:
    """Join PDF lines broken by the page width. A line ends a paragraph when it ends a sentence or
    is clearly shorter than the page's typical line."""
    lines = page.split("\n")
    lengths = [len(line) for line in lines if line]
    if not lengths:
        return ""
    typical = statistics.median(lengths)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current = f"{current} {line}".strip() if current else line
        if line[-1:] in _SENTENCE_END or len(line) < 0.7 * typical:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
