"""Briefing Markdown -> Word (.docx): headings, bullets, bold runs; `[n]` markers and sources kept."""

from __future__ import annotations

import re
from pathlib import Path

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def write_docx(markdown: str, path: Path) -> Path:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("# "):
            document.add_heading(stripped[2:], level=1)
        elif stripped.startswith("## "):
            document.add_heading(stripped[3:], level=2)
        elif stripped.startswith("- "):
            _add_runs(document.add_paragraph(style="List Bullet"), stripped[2:])
        else:
            _add_runs(document.add_paragraph(), stripped)
    document.core_properties.title = markdown.splitlines()[0].lstrip("# ") if markdown else ""
    document.save(str(path))
    return path


def _add_runs(paragraph, text: str) -> None:
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])
