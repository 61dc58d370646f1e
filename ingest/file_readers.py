"""One reader per document format: bytes -> text with paragraph breaks, plus metadata hints.

Readers keep paragraphs apart with blank lines and lines apart with newlines, because the page cleaner
works line by line; they leave furniture removal to the cleaner. A reader raises `UnreadableFileError`
with a Vietnamese reason when the file cannot give text; the loader turns that into a `LoadProblem`.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ingest.decoding import UndecodableFileError, decode_bytes
from ingest.vietnamese_text import normalize_text

logger = logging.getLogger(__name__)

_DROPPED_TAGS = tuple(
    ("script style nav header footer aside noscript form iframe svg template button select head").split()
)
_BLOCK_TAGS = tuple(
    (
        "p div section article main h1 h2 h3 h4 h5 h6 li ul ol table tr blockquote figure figcaption pre "
        "dd dt dl address hr"
    ).split()
)
_DATE_META = tuple(
    (
        "article:published_time og:published_time datePublished pubdate publishdate date dc.date "
        "dc.date.issued citation_publication_date"
    ).split()
)
_PLACEHOLDER_AUTHORS = frozenset(
    "python-docx|admin|administrator|user|windows user|microsoft office user|pc|unknown|author".split("|")
)
# python-docx's own template carries this creation date; it says nothing about the article.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_FRONT_FIELD = re.compile(r"^(title|date|url|author|category|source|outlet)\s*:\s*(.+?)\s*$", re.I | re.M)
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics (not inside words)
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
)
_MD_LINE_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)+|^\s*(?:[-*+]\s+)")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}.*$")
_SENTENCE_END = '.!?:;…"”)»'


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


def read_text_file(data: bytes, source: str) -> FileContent:
    return FileContent(_decode(data, source))


def read_html(data: bytes, source: str) -> FileContent:
    """Visible text of the page with paragraph breaks; `<h1>` (else `<title>`) and meta tags as hints."""
    soup = BeautifulSoup(_decode(data, source), "lxml")
    title = _headline(soup) or _page_title(soup)
    hints = {
        "date": _meta(soup, *_DATE_META) or _time_datetime(soup),
        "url": _meta(soup, "og:url") or _canonical(soup),
        "author": _meta(soup, "author", "article:author", "dc.creator"),
        "category": _meta(soup, "article:section"),
        "outlet": _meta(soup, "og:site_name"),
    }
    for node in soup.find_all(_DROPPED_TAGS):
        # The article's own <header>/<footer> (inside <article>/<main>) hold its headline, date and
        # byline, which the cleaner reads; only the site's page header and footer are dropped.
        if node.name in {"header", "footer"} and node.find_parent(["article", "main"]) is not None:
            continue
        if not node.decomposed:
            node.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for text_node in soup.find_all(string=True):
        if text_node.find_parent("pre") is None:
            text_node.replace_with(NavigableString(re.sub(r"\s+", " ", str(text_node))))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before(NavigableString("\n\n"))
        block.insert_after(NavigableString("\n\n"))
    body = soup.body or soup
    return FileContent(_tidy(body.get_text()), title=title, **hints)


def read_markdown(data: bytes, source: str) -> FileContent:
    """Markdown with its syntax stripped lightly; the first `# ` heading is the title hint, YAML front
    matter fields (title, date, url, author, category) are hints too."""
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
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(2)
            if title is None and len(heading.group(1)) == 1:
                title = _md_inline(line)
        elif _MD_RULE.match(line):
            line = ""
        elif not in_fence:
            line = _MD_LINE_PREFIX.sub("", line).strip().strip("|").replace(" | ", " ")
        lines.append(line if in_fence else _md_inline(line))
    outlet = hints.pop("outlet", None) or hints.pop("source", None)
    return FileContent(_tidy("\n".join(lines)), title=title, outlet=outlet, **hints)


def read_pdf(data: bytes, source: str) -> FileContent:
    """Text of every page (pypdf), lines re-flowed into paragraphs. Metadata is not used as hints:
    PDF titles and authors are mostly file names and account names."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError("Tệp PDF được bảo vệ bằng mật khẩu.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFileError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files; any one means unreadable
        logger.info("%s: unreadable PDF (%s: %s)", source, type(exc).__name__, exc)
        raise UnreadableFileError("Tệp PDF bị hỏng hoặc không đọc được.") from exc
    text = "\n\n".join(_reflow(normalize_text(page)) for page in pages)
    if not text.strip():
        raise UnreadableFileError("Tệp PDF không có văn bản (có thể là bản quét ảnh).")
    return FileContent(text)


def read_docx(data: bytes, source: str) -> FileContent:
    """Paragraphs and table cells in document order; core properties title/author/created as hints."""
    try:
        return _docx_content(data)
    except Exception as exc:  # zip, XML and package errors alike: the file cannot be read
        logger.info("%s: unreadable DOCX (%s: %s)", source, type(exc).__name__, exc)
        raise UnreadableFileError("Tệp Word (.docx) bị hỏng hoặc không đọc được.") from exc


def _docx_content(data: bytes) -> FileContent:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    paragraphs: list[str] = []
    for item in document.iter_inner_content():
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


def _tag_text(tag: Tag | None) -> str | None:
    if not isinstance(tag, Tag):
        return None
    text = " ".join(tag.get_text(" ").split())
    return text or None


def _headline(soup: BeautifulSoup) -> str | None:
    """The article's `<h1>`: one inside `<article>`/`<main>` first, else one outside the site chrome
    (logos are often an `<h1>` in the page header)."""
    headings = [h for h in soup.find_all("h1") if isinstance(h, Tag)]
    in_article = [h for h in headings if h.find_parent(["article", "main"]) is not None]
    outside_chrome = [h for h in headings if h.find_parent(["header", "nav", "footer", "aside"]) is None]
    for heading in in_article + outside_chrome:
        text = _tag_text(heading)
        if text:
            return text
    return None


def _page_title(soup: BeautifulSoup) -> str | None:
    """`<title>`, minus a trailing " - Site name" / " | Site name" (the longest part is the headline)."""
    title = _tag_text(soup.find("title"))
    if not title:
        return None
    parts = [p.strip() for p in re.split(r"\s+[|–—-]\s+", title) if p.strip()]
    return max(parts, key=len) if parts else None


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = str(tag.get("content") or "").strip()
        if key in wanted and content:
            return content
    return None


def _time_datetime(soup: BeautifulSoup) -> str | None:
    tag = soup.find("time", attrs={"datetime": True})
    if not isinstance(tag, Tag):
        return None
    return str(tag["datetime"]).strip() or None


def _canonical(soup: BeautifulSoup) -> str | None:
    tag = soup.find("link", rel="canonical", href=True)
    if not isinstance(tag, Tag):
        return None
    return str(tag["href"]).strip() or None


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
