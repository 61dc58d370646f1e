"""Briefing -> Word (.docx) a briefing officer can file as it is.

python-docx starts from a template whose properties say author "python-docx", created 2013; a filed
document must say who made it and when, so the core properties are set (author, created/modified now,
title, subject). The first page opens with the title and the period covered; every page has a header
naming the briefing and a footer "Trang N / M" (PAGE and NUMPAGES fields, filled in by Word). Sources
are a real numbered list whose labels read "[1]", "[2]" …, the markers used in the text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.briefing.topic_briefing import Briefing

AUTHOR = "Trợ lý tra cứu lưu trữ"
SOURCES_HEADING = "Nguồn"
SOURCE_LABEL = "[%1]"  # Word's level text: the list number in brackets, as the `[n]` markers
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SOURCE_LINE = re.compile(r"^\[(\d+)\]\s*(.*)$")


def write_docx(briefing: Briefing, path: Path) -> Path:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    lines = briefing.markdown.splitlines()
    title = lines[0].lstrip("# ").strip() if lines else f"Bản tóm tắt nhanh: {briefing.topic}"
    document.add_heading(title, level=0)  # the title page line; the next line gives the period
    numbering_id: int | None = None
    in_sources = False
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("## "):
            in_sources = stripped[3:].strip() == SOURCES_HEADING
            document.add_heading(stripped[3:], level=1)
        elif stripped.startswith("# "):
            document.add_heading(stripped[2:], level=1)
        elif in_sources and _SOURCE_LINE.match(stripped):
            numbering_id = numbering_id or _add_bracket_numbering(document)
            paragraph = document.add_paragraph()
            _number(paragraph, numbering_id)
            _add_runs(paragraph, _SOURCE_LINE.match(stripped).group(2))  # type: ignore[union-attr]
        elif stripped.startswith("- "):
            _add_runs(document.add_paragraph(style="List Bullet"), stripped[2:])
        else:
            _add_runs(document.add_paragraph(), stripped)
    _header_and_footer(document, title)
    _properties(document, briefing, title)
    document.save(str(path))
    return path


def _properties(document: Any, briefing: Briefing, title: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    properties = document.core_properties
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.created = now
    properties.modified = now
    properties.last_printed = now
    properties.revision = 1
    properties.title = title
    properties.subject = briefing.topic
    properties.comments = "Soạn tự động từ các bài trong kho lưu trữ; mỗi ý có trích dẫn [n]."


def _header_and_footer(document: Any, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for section in document.sections:
        header = section.header.paragraphs[0]
        header.text = f"{title} — {AUTHOR}"
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Trang ")
        _add_field(footer, "PAGE")
        footer.add_run(" / ")
        _add_field(footer, "NUMPAGES")


def _add_field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / placeholder / end runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(field_char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(field_char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(field_char("end"))


def _add_bracket_numbering(document: Any) -> int:
    """A single-level decimal list labelled "[1]", "[2]" …; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{SOURCE_LABEL}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # the schema wants every abstractNum before the nums
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def _number(paragraph: Any, num_id: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _add_runs(paragraph: Any, text: str) -> None:
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])
