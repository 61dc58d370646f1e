"""Every web event handler called directly (no browser) over a real assistant: the five seeds ingested
once per module on the hash embedder (what the handlers do does not depend on the model; answers with
the real model are tests/test_seed_answers.py's and the browser tests'). Ask (streaming, filters,
follow-up, new conversation, failures), upload (good, traversal name, oversize, wrong type, same name),
briefing and its exports, and escaping of article HTML. Upload tests add articles, so they run last."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from assistant.answering.answer_models import Answer, Citation
from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.access import AuthFileError, bind_address, load_auth
from assistant.web.answer_message import WAITING, answer_markdown
from assistant.web.archive_handlers import ArchiveHandlers, safe_file_name, unique_destination
from assistant.web.archive_view import human_size
from assistant.web.briefing_handlers import BriefingHandlers, export_stem
from assistant.web.chat_handlers import FAILURE, ChatHandlers, Conversation
from assistant.web.form_values import InputError, parse_date_input
from assistant.web.layout import build_ui
from assistant.web.rendering import sources_section
from tests.conftest import SAMPLE_ARCHIVE
from tests.web_fixtures import SEED_ARTICLE, SEED_DATE, SEED_HEADLINE, SEED_QUESTION
from vectorstore.hybrid_retriever import RetrievalFilters
from vectorstore.index_errors import IndexCorruptedError
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> ArchiveAssistant:
    settings = Settings.for_tests(tmp_path_factory.mktemp("web_index"), max_upload_mb=0.01)  # hash embedder
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    assert report.articles == 5, report.as_text()
    return build_assistant(settings)


@pytest.fixture(scope="module")
def chat(assistant: ArchiveAssistant) -> ChatHandlers:
    return ChatHandlers(assistant)


@pytest.fixture(scope="module")
def first_steps(chat: ChatHandlers) -> list[tuple]:
    """Every update of the acceptance question, asked in a fresh session."""
    return list(chat.ask(SEED_QUESTION, None))


def _text(messages: list[dict[str, str]]) -> str:
    return "\n".join(message["content"] for message in messages)


# --- chat -------------------------------------------------------------------------------------------


def test_answer_streams_then_links_citations_to_source_cards(first_steps: list[tuple]) -> None:
    assert len(first_steps) >= 3, "placeholder, at least one streamed delta, then the final answer"
    assert first_steps[0][0][-1]["content"] == WAITING
    streamed = first_steps[1][0][-1]["content"]
    assert streamed != WAITING and "<a href" not in streamed, "deltas are shown before the final answer"
    messages, panel, conversation, box = first_steps[-1]
    assert box == "" and [m["role"] for m in messages] == ["user", "assistant"]
    answer = messages[-1]["content"]
    assert "Cao Bằng" in answer
    assert '<a href="#nguon-1-1" class="trich-dan" title="[1] ' in answer
    assert "Chế độ" not in answer, "the mode is in the page header, not on every bubble"
    assert f"data-ma-bai='{SEED_ARTICLE}'" in panel and "id='nguon-1-1'" in panel
    assert SEED_HEADLINE in panel and SEED_DATE in panel
    assert "<mark>" in panel and "Cao Bằng" in panel.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert "target='_blank' rel='noopener noreferrer'" in panel and "vufo.org.vn" in panel
    assert "<summary>Xem toàn văn</summary>" in panel
    assert len(conversation.turns) == 1 and conversation.turns[0].question == SEED_QUESTION
    assert conversation.turns[0].date_from == date(2022, 1, 1)


def test_follow_up_uses_this_sessions_history_only(chat: ChatHandlers, first_steps: list[tuple]) -> None:
    conversation = first_steps[-1][2]
    messages, panel, after, _ = list(chat.ask("Ai chủ trì hội nghị đó?", conversation))[-1]
    assert "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022" in after.turns[1].standalone
    assert f"Hiểu câu hỏi là: «{after.turns[1].standalone}»" in messages[-1]["content"]
    assert "Hiểu câu hỏi là" not in messages[1]["content"], "a standalone question is not restated"
    assert [m["content"] for m in messages if m["role"] == "user"] == [
        SEED_QUESTION,
        "Ai chủ trì hội nghị đó?",
    ]
    assert "id='nguon-2-1'" in panel and "id='nguon-1-1'" in panel, "earlier cards stay for earlier links"
    assert panel.index("Câu hỏi 2:") < panel.index("Câu hỏi 1:"), "newest sources first"
    assert len(conversation.turns) == 1, "the earlier state object is not mutated"
    _, _, fresh, _ = list(chat.ask("Ai chủ trì hội nghị đó?", None))[-1]
    assert fresh.turns[0].standalone == "Ai chủ trì hội nghị đó?", "another session has no history"


def test_date_filter_narrows_retrieval_and_is_shown(chat: ChatHandlers) -> None:
    messages, panel, _, _ = list(chat.ask(SEED_QUESTION, None, "01/01/2019", "2019-12-31"))[-1]
    assert "Lọc: 01/01/2019 – 31/12/2019" in messages[-1]["content"]
    assert SEED_ARTICLE not in panel and "Cao Bằng" not in messages[-1]["content"]


def test_outlet_filter_narrows_retrieval(chat: ChatHandlers) -> None:
    messages, panel, _, _ = list(chat.ask(SEED_QUESTION, None, "", "", "Tất cả", "LĐLĐ tỉnh"))[-1]
    assert "Nguồn đăng: LĐLĐ tỉnh" in messages[-1]["content"]
    assert SEED_ARTICLE not in panel


def test_bad_dates_are_explained_and_nothing_is_asked(chat: ChatHandlers) -> None:
    steps = list(chat.ask(SEED_QUESTION, None, "32/13/2019", ""))
    messages, _, conversation, box = steps[-1]
    assert "«32/13/2019» không phải ngày có thật" in messages[-1]["content"]
    assert conversation.turns == [] and box == SEED_QUESTION, "the question stays for a second try"
    reversed_range = list(chat.ask(SEED_QUESTION, None, "31/12/2020", "01/01/2020"))[-1][0]
    assert "phải trước hoặc bằng" in reversed_range[-1]["content"]
    assert "không đúng dạng" in chat.filter_summary("2019/01/01", "")
    assert chat.filter_summary("1/1/2019", "31.12.2019") == "Lọc: 01/01/2019 – 31/12/2019"
    assert chat.filter_summary("", "") == "Không lọc: tìm trong toàn bộ kho."
    with pytest.raises(InputError):
        parse_date_input("29/02/2023", "Từ ngày")
    assert parse_date_input("2019-06-26", "x") == date(2019, 6, 26)


def test_new_conversation_and_empty_question(chat: ChatHandlers, first_steps: list[tuple]) -> None:
    messages, panel, conversation = chat.new_conversation()
    assert messages == [] and conversation.turns == [] and "Nguồn trích dẫn" in panel
    old = first_steps[-1][2]
    assert list(chat.ask("   ", old)) == [(old.messages, old.panel(), old, "")]


def test_failure_shows_vietnamese_message_not_a_trace(assistant: ArchiveAssistant) -> None:
    class BrokenAssistant:
        mode = assistant.mode
        index = assistant.index

        def ask_stream(self, *args: object) -> Iterator[object]:
            raise ConnectionError("Traceback: LLM server down")
            yield

    messages, _, conversation, box = list(ChatHandlers(BrokenAssistant()).ask("Câu hỏi?", None))[-1]  # type: ignore[arg-type]
    assert messages[-1]["content"] == f"⚠️ {FAILURE}" and "Traceback" not in messages[-1]["content"]
    assert conversation.turns == [] and box == "Câu hỏi?"


def test_damaged_index_message_says_what_to_do(assistant: ArchiveAssistant) -> None:
    class DamagedIndexAssistant:
        mode = assistant.mode
        index = assistant.index

        def ask_stream(self, *args: object) -> Iterator[object]:
            raise IndexCorruptedError("/kho/chroma/chroma.sqlite3", "database disk image is malformed")
            yield

    messages, _, conversation, box = list(ChatHandlers(DamagedIndexAssistant()).ask("Câu hỏi?", None))[-1]  # type: ignore[arg-type]
    shown = messages[-1]["content"]
    assert "chroma.sqlite3" in shown and "python -m ingest rebuild" in shown
    assert conversation.turns == [] and box == "Câu hỏi?"


def test_llm_notice_and_escaping_in_the_answer_bubble() -> None:
    answer = Answer(
        question="q",
        text=f"Trích {SCRIPT} [1] và [7]",
        citations=[Citation(n=1, article_id="a", title="t")],
        notice="Mô hình ngôn ngữ không phản hồi; câu trả lời được trích xuất.",
        mode="Ollama (qwen)",
    )
    shown = answer_markdown(answer, 3, RetrievalFilters(category="Ngoại giao"))
    assert "> ⚠️ Mô hình ngôn ngữ không phản hồi" in shown
    assert SCRIPT not in shown and "&lt;script&gt;" in shown
    assert '<a href="#nguon-3-1" class="trich-dan"' in shown and "[7]" in shown, "no dead links"
    assert "#nguon-3-7" not in shown
    assert "Chuyên mục: Ngoại giao" in shown and "Chế độ" not in shown, "the mode is in the page header"


def test_article_html_is_shown_literally_in_the_sources_panel() -> None:
    text = f"Đoạn đầu.\nBài có mã độc {SCRIPT} và <b>đậm</b> ở đây.\nĐoạn cuối."
    start = text.index(SCRIPT)
    citation = Citation(
        n=1,
        article_id="x'><img src=x>",
        title="<img src=x onerror=alert(1)>",
        quote=SCRIPT,
        span=(start, start + len(SCRIPT)),
        url="javascript:alert(1)",
        author="<i>Tác giả</i>",
    )
    panel = sources_section(
        1, Answer(question=f"Hỏi {SCRIPT}", text="x", citations=[citation]), {citation.article_id: text}
    )
    assert "<script" not in panel and "<img" not in panel and "<b>" not in panel and "<i>" not in panel
    assert f"<mark>{'&lt;script&gt;alert(1)&lt;/script&gt;'}</mark>" in panel
    assert "javascript:" not in panel and "Không có đường dẫn bài gốc." in panel
    assert "Đoạn đầu." not in panel.split("<details")[0], "only the quote's own paragraph is shown"


def test_examples_come_from_the_archive(chat: ChatHandlers) -> None:
    examples = chat.examples()
    assert "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 diễn ra ở đâu?" in examples
    assert all(example[0].isupper() and "…" not in example for example in examples), "in full, accented"
    assert any(example.startswith("Tóm tắt: ") for example in examples)
    assert chat.mode_line().startswith("Chế độ: **Ngoại tuyến (trích xuất)** · Kho: 5 bài")


def test_ui_builds_with_the_public_api_names(assistant: ArchiveAssistant) -> None:
    names = {fn.api_name for fn in build_ui(assistant).fns.values()}
    assert {"hoi", "cuoc_tro_chuyen_moi", "nap_kho", "tom_tat"} <= names


# --- briefing ---------------------------------------------------------------------------------------


def test_briefing_preview_links_sources_and_exports_docx_and_md(
    assistant: ArchiveAssistant, tmp_path: Path
) -> None:
    result = BriefingHandlers(assistant, export_root=tmp_path).make_briefing("đối ngoại nhân dân", "", "")
    assert "## Nguồn" in result.preview and SEED_HEADLINE in result.preview
    assert '<a href="#tom-tat-nguon-1">[1]</a>' in result.preview
    assert '<span id="tom-tat-nguon-1"></span>[1]' in result.preview
    docx, md = result.file(".docx"), result.file(".md")
    assert docx is not None and md is not None and docx.name == "ban_tom_tat_doi_ngoai_nhan_dan.docx"
    assert docx.resolve().is_relative_to(tmp_path.resolve())
    assert "Nguồn" in [paragraph.text for paragraph in Document(str(docx)).paragraphs]
    assert "## Nguồn" in md.read_text(encoding="utf-8")


def test_briefing_period_and_input_errors(assistant: ArchiveAssistant, tmp_path: Path) -> None:
    handlers = BriefingHandlers(assistant, export_root=tmp_path)
    result = handlers.make_briefing("đối ngoại", "01/01/2019", "31/12/2019")
    assert "26/06/2019" in result.preview and SEED_DATE not in result.preview
    assert handlers.make_briefing("  ", "", "").preview.startswith("⚠️ Hãy nhập chủ đề")
    bad = handlers.make_briefing("đối ngoại", "hôm qua", "")
    assert "không đúng dạng" in bad.preview and bad.files == []
    assert export_stem("Đối ngoại nhân dân / 2022!") == "ban_tom_tat_doi_ngoai_nhan_dan_2022"


# --- archive ----------------------------------------------------------------------------------------


def test_upload_good_traversal_oversize_and_wrong_type(assistant: ArchiveAssistant, tmp_path: Path) -> None:
    archive = ArchiveHandlers(assistant)
    (tmp_path / "a" / "b").mkdir(parents=True)
    good = tmp_path / "evil.txt"
    good.write_text(
        "Đoàn công tác thăm tỉnh Hà Giang\n\n05/05/2021\n\nNgày 5/5/2021, đoàn công tác của Liên hiệp các "
        f"tổ chức hữu nghị đã thăm tỉnh Hà Giang. Trang web cũ có đoạn mã {SCRIPT} lẫn trong bài.\n",
        encoding="utf-8",
    )
    traversal = tmp_path / "a" / "b" / ".." / ".." / "evil.txt"  # what a hostile client could send
    big = tmp_path / "lon.txt"
    big.write_text("Hội nghị. " * 2000, encoding="utf-8")
    wrong = tmp_path / "virus.exe"
    wrong.write_bytes(b"MZ\x00\x00")
    progress: list[float] = []
    result = archive.upload([str(traversal), str(big), str(wrong)], lambda f, _: progress.append(f))
    rows = {row[0]: row for row in result.rows}
    assert rows["evil.txt"][1:3] == ["evil", "đã lập chỉ mục"]
    assert rows["lon.txt"][2] == "bị từ chối" and "vượt giới hạn 0,01 MB" in rows["lon.txt"][3]
    assert rows["virus.exe"][2] == "bị từ chối" and "Loại tệp không được hỗ trợ (exe)" in rows["virus.exe"][3]
    uploads = assistant.settings.db_dir / "uploads"
    assert [p.name for p in uploads.iterdir() if p.name.startswith(("evil", "lon", "virus"))] == ["evil.txt"]
    assert progress and progress[-1] == 1.0
    assert result.message.startswith("Đã nhận 3 tệp: đã lập chỉ mục 1, bị từ chối 2.")
    assert "| Số bài | 6 |" in result.stats

    messages, panel, _, _ = list(
        ChatHandlers(assistant).ask("Đoàn công tác thăm tỉnh Hà Giang khi nào?", None)
    )[-1]
    assert "data-ma-bai='evil'" in panel, messages[-1]["content"]
    assert (
        "<script" not in panel + messages[-1]["content"] and "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    )


def test_upload_same_name_never_overwrites_another_file(assistant: ArchiveAssistant, tmp_path: Path) -> None:
    archive = ArchiveHandlers(assistant)
    first, second = tmp_path / "1" / "tiep_doan.txt", tmp_path / "2" / "tiep_doan.txt"
    for path, country in ((first, "Nhật Bản"), (second, "Hàn Quốc")):
        path.parent.mkdir()
        path.write_text(
            f"Tiếp đoàn Đại sứ quán {country}\n\n06/06/2021\n\nSở Ngoại vụ đã tiếp đoàn Đại sứ quán {country}.\n",
            encoding="utf-8",
        )
    assert archive.upload([str(first)]).rows[0][:3] == ["tiep_doan.txt", "tiep_doan", "đã lập chỉ mục"]
    result = archive.upload([str(second)])
    assert result.rows[0][:3] == ["tiep_doan-2.txt", "tiep_doan-2", "đã lập chỉ mục"]
    assert "Lưu thành «tiep_doan-2.txt» (tên gốc «tiep_doan.txt»)." in result.rows[0][3]
    assert "Nhật Bản" in (assistant.settings.db_dir / "uploads" / "tiep_doan.txt").read_text(encoding="utf-8")
    again = archive.upload([str(second)])
    assert again.rows[0][:3] == ["tiep_doan-2.txt", "tiep_doan-2", "không đổi"], "same file, same copy"
    assert archive.upload(None).message == "Chưa chọn tệp nào."


def test_safe_file_names() -> None:
    assert safe_file_name("../../evil.txt") == "evil.txt"
    assert safe_file_name("..\\..\\Windows\\evil.txt") == "evil.txt"
    assert safe_file_name("/etc/passwd") == "passwd"
    assert safe_file_name("..") == "tep_tai_len" and safe_file_name(".txt") == "tep_tai_len.txt"
    assert safe_file_name(".bashrc.txt") == "bashrc.txt"
    assert safe_file_name("Bài báo ngày 7/7 (Cao Bằng).docx") == "7_Cao_Bằng_.docx"
    assert safe_file_name("Bài báo Cao Bằng <b>.jsonl.gz") == "Bài_báo_Cao_Bằng_b_.jsonl.gz"
    assert len(safe_file_name("x" * 500 + ".jsonl.gz")) == 120 and safe_file_name(
        "x" * 500 + ".jsonl.gz"
    ).endswith(".jsonl.gz")


def test_unique_destination_suffixes(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(b"1")
    new = tmp_path / "new.bin"
    new.write_bytes(b"2")
    assert unique_destination(tmp_path, "a.jsonl.gz", new).name == "a-2.jsonl.gz"
    assert human_size(812) == "812 B" and human_size(1536) == "1,5 KB" and human_size(3 * 1024**3) == "3,0 GB"


# --- access -----------------------------------------------------------------------------------------


def test_login_file_and_bind_address(tmp_path: Path) -> None:
    auth_file = tmp_path / "users"
    digest = hashlib.sha256("mật khẩu".encode()).hexdigest()
    auth_file.write_text(f"# cán bộ\ncanbo:{digest.upper()}\n", encoding="utf-8")
    check = load_auth(auth_file)
    assert check is not None and check("canbo", "mật khẩu")
    assert not check("canbo", "sai") and not check("khac", "mật khẩu")
    assert load_auth(None) is None
    (tmp_path / "bad").write_text("canbo:matkhau\n", encoding="utf-8")
    with pytest.raises(AuthFileError, match="Dòng 1"):
        load_auth(tmp_path / "bad")
    with pytest.raises(AuthFileError):
        load_auth(tmp_path / "missing")
    assert bind_address("0.0.0.0", has_login=False) == "127.0.0.1"
    assert bind_address("0.0.0.0", has_login=True) == "0.0.0.0"
    assert bind_address("localhost", has_login=False) == "localhost"


def test_conversation_state_starts_empty() -> None:
    assert Conversation().turns == [] and "Nguồn trích dẫn" in Conversation().panel()


# --- the fact first, the question's period as a removable chip (issue 13 §1, §5) -------------------


def test_short_answer_comes_first_in_bold_with_linked_escaped_markers() -> None:
    answer = Answer(
        question="Hội nghị diễn ra khi nào?",
        short_answer=f"Sáng 7/7/2022, tại Cao Bằng {SCRIPT} [1] [9].",
        text="Sáng nay (7/7), tại tỉnh Cao Bằng, hội nghị khai mạc [1].",
        citations=[Citation(n=1, article_id="a", title="t")],
    )
    shown = answer_markdown(answer, 2, RetrievalFilters())
    bold = shown.split('<strong class="tra-loi-ngan">', 1)[1].split("</strong>", 1)[0]
    assert bold.startswith("Sáng 7/7/2022, tại Cao Bằng &lt;script&gt;")
    assert '<a href="#nguon-2-1" class="trich-dan"' in bold and "[9]" in bold, "only cited [n] link"
    assert "#nguon-2-9" not in bold
    assert "<script" not in shown
    assert shown.index("tra-loi-ngan") < shown.index("Sáng nay (7/7)"), "the fact before its support"
    assert "tra-loi-ngan" not in answer_markdown(
        answer.model_copy(update={"short_answer": None}), 2, RetrievalFilters()
    )
    assert "tra-loi-ngan" not in answer_markdown(
        answer.model_copy(update={"short_answer": "  "}), 2, RetrievalFilters()
    )


def test_header_tells_the_users_filter_from_the_questions_period() -> None:
    from assistant.web.answer_message import without_chip_control

    both = Answer(
        question="Học bổng tháng 3 năm 2022?",
        text="x",
        date_from=date(2020, 1, 1),
        date_to=date(2023, 12, 31),
        question_date_from=date(2022, 3, 1),
        question_date_to=date(2022, 3, 31),
    )
    chosen = RetrievalFilters(date_from=date(2020, 1, 1), date_to=date(2023, 12, 31))
    shown = answer_markdown(both, 1, chosen)
    assert "Lọc: 01/01/2020 – 31/12/2023" in shown
    chip = shown.split('<span class="chip-thoi-gian">', 1)[1].split("</span>", 1)[0]
    assert chip.startswith("Thời gian theo câu hỏi: 01/03/2022 – 31/03/2022")
    assert 'class="bo-thoi-gian"' in chip and "Thời gian theo câu hỏi" not in shown.replace(chip, "")
    assert "bo-thoi-gian" not in without_chip_control(shown) and "chip-thoi-gian" in without_chip_control(
        shown
    )
    plain = answer_markdown(Answer(question="q", text="x"), 1, RetrievalFilters())
    assert "Thời gian theo câu hỏi" not in plain and "Lọc:" not in plain
    dropped = answer_markdown(
        Answer(question="q", text="x"), 1, RetrievalFilters(), dropped_period="01/01/2022 – …"
    )
    assert "Đã bỏ thời gian theo câu hỏi (01/01/2022 – …)" in dropped and "chip-thoi-gian" not in dropped


class _ScriptedAssistant:
    """The real index (for the source cards) with a scripted answering core that honours
    `question_dates`: a question naming "năm 2022" gets that period unless told to ignore it."""

    def __init__(self, real: ArchiveAssistant, fail: bool = False) -> None:
        self.index, self.catalog, self.mode, self.fail = real.index, real.catalog, real.mode, fail
        self.calls: list[dict[str, object]] = []

    def ask_stream(
        self, question: str, history: list, filters: RetrievalFilters, *, question_dates: bool = True
    ) -> Iterator[object]:
        from assistant.answering.answer_models import AnswerEvent

        self.calls.append(
            {"question": question, "history": list(history), "filters": filters, "dates": question_dates}
        )
        if self.fail:
            raise ConnectionError("down")
        named = question_dates and "năm 2022" in question
        text = (
            "Hội nghị khai mạc sáng nay (7/7) tại Cao Bằng [1]."
            if named
            else "Bài năm 2023 nêu học bổng [1]."
        )
        yield AnswerEvent(kind="delta", delta=text)
        yield AnswerEvent(
            kind="final",
            answer=Answer(
                question=question,
                short_answer="Sáng 7/7/2022, tại Cao Bằng [1]." if named else None,
                text=text,
                citations=[Citation(n=1, article_id=SEED_ARTICLE, title=SEED_HEADLINE, quote="Cao Bằng")],
                date_from=filters.date_from,
                date_to=filters.date_to,
                question_date_from=date(2022, 1, 1) if named else None,
                question_date_to=date(2022, 12, 31) if named else None,
            ),
        )


def test_removing_the_questions_period_re_asks_in_place(assistant: ArchiveAssistant) -> None:
    scripted = _ScriptedAssistant(assistant)
    chat = ChatHandlers(scripted)  # type: ignore[arg-type]
    asked = "Hội nghị đối ngoại nhân dân năm 2022 ở đâu?"
    messages, _, first, _ = list(chat.ask(asked, None, "01/01/2020", "31/12/2023"))[-1]
    assert "Thời gian theo câu hỏi: 01/01/2022 – 31/12/2022" in messages[-1]["content"]
    assert 'class="bo-thoi-gian"' in messages[-1]["content"]
    assert (
        '<strong class="tra-loi-ngan">Sáng 7/7/2022, tại Cao Bằng <a href="#nguon-1-1"'
        in messages[-1]["content"]
    )
    assert (first.turns[0].date_from, first.turns[0].date_to) == (date(2022, 1, 1), date(2022, 12, 31)), (
        "a follow-up carries the question's period, not the user's hard filter"
    )
    summary, period = chat.period_controls(first, "01/01/2020", "31/12/2023")
    assert period == "01/01/2022 – 31/12/2022"
    assert (
        summary
        == "Lọc: 01/01/2020 – 31/12/2023 · Thời gian theo câu hỏi (câu trả lời gần nhất): 01/01/2022 – 31/12/2022"
    )

    messages, _, second, _ = list(chat.ask("Ai chủ trì hội nghị năm 2022 đó?", first))[-1]
    assert "chip-thoi-gian" in messages[1]["content"] and "bo-thoi-gian" not in messages[1]["content"], (
        "only the newest answer keeps the ✕"
    )
    steps = list(chat.ask_without_question_period(second))
    assert steps[0][0][-1]["content"] == WAITING and len(steps[0][0]) == 4
    messages, panel, after = steps[-1]
    call = scripted.calls[-1]
    assert call["dates"] is False and call["question"] == "Ai chủ trì hội nghị năm 2022 đó?"
    assert call["history"] == second.turns[:1] and call["filters"] == RetrievalFilters()
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"], (
        "replaced, not appended"
    )
    assert messages[:3] == second.messages[:3]
    assert "Đã bỏ thời gian theo câu hỏi (01/01/2022 – 31/12/2022)" in messages[-1]["content"]
    assert "chip-thoi-gian" not in messages[-1]["content"] and "tra-loi-ngan" not in messages[-1]["content"]
    assert len(after.turns) == 2 and after.turns[1].date_from is None and after.turns[0] == second.turns[0]
    assert len(after.source_sections) == 2 and panel.count("id='nguon-2-1'") == 1
    assert chat.period_controls(after) == ("Không lọc: tìm trong toàn bộ kho.", "")
    assert chat.filter_summary("", "", conversation=second).startswith("Thời gian theo câu hỏi")
    assert list(chat.ask_without_question_period(after)) == [(after.messages, after.panel(), after)], (
        "nothing to remove: nothing is asked"
    )
    assert len(scripted.calls) == 3


def test_a_failed_re_ask_keeps_the_answer_and_its_history(assistant: ArchiveAssistant) -> None:
    chat = ChatHandlers(_ScriptedAssistant(assistant))  # type: ignore[arg-type]
    _, _, before, _ = list(chat.ask("Hội nghị năm 2022 ở đâu?", None))[-1]
    chat.assistant.fail = True  # type: ignore[attr-defined]
    messages, _, after = list(chat.ask_without_question_period(before))[-1]
    assert after is before and len(messages) == 2
    assert messages[-1]["content"].startswith(before.messages[-1]["content"])
    assert messages[-1]["content"].endswith(f"⚠️ {FAILURE}")


def test_real_re_ask_without_the_questions_period(chat: ChatHandlers, first_steps: list[tuple]) -> None:
    """The acceptance question names "năm 2022": its chip, then the real core asked with
    `question_dates=False`; what the bubble and the filter line show follows the new answer."""
    _, _, conversation, _ = first_steps[-1]
    period = conversation.last_question_period()
    assert period and f"Thời gian theo câu hỏi: {period}" in conversation.messages[-1]["content"]
    assert chat.period_controls(conversation)[0] != "Không lọc: tìm trong toàn bộ kho."
    messages, _, after = list(chat.ask_without_question_period(conversation))[-1]
    assert len(messages) == 2 and len(after.turns) == 1 and "Cao Bằng" in messages[-1]["content"]
    assert f"Đã bỏ thời gian theo câu hỏi ({period})" in messages[-1]["content"]
    assert ("chip-thoi-gian" in messages[-1]["content"]) == bool(after.last_question_period())
