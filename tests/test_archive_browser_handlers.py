"""Issue 16 §1, the archive tab's handlers: table, opened article, and corrections checked by role on the
server (a viewer's plan and a viewer's confirm are both refused, even with a change planned by an
editor), audited with versions, and undone. The upload report names the extracted title and date.

Hash embedder: what is stored, refused and audited does not depend on the model.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.accounts import (
    Account,
    AccountBook,
    AccountFile,
    ScryptParams,
    hash_password,
    write_account_file,
)
from assistant.web.archive_browser import ArchiveBrowser
from assistant.web.archive_handlers import ArchiveHandlers, safe_file_name
from assistant.web.permissions import Permissions
from tests.conftest import SAMPLE_ARCHIVE, sample_page
from vectorstore.audit_log import read_audit
from vectorstore.ingestion import run_ingest

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

SEED_001 = "001_9a84a7000a87e853"
FAST = ScryptParams(n=2**8, r=8, p=1)
WHEN_PUBLISHED = "Bài về hội nghị tập huấn Chỉ thị 25-CT/TW ở Vĩnh Phúc đăng ngày nào?"


@pytest.fixture
def sample_assistant(tmp_path: Path) -> ArchiveAssistant:
    settings = Settings.for_tests(tmp_path / "index")
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE_ARCHIVE, archive)
    run_ingest([archive], settings.ingest_config())
    return build_assistant(settings)


@pytest.fixture
def permissions(tmp_path: Path) -> Permissions:
    path = tmp_path / "users.txt"
    write_account_file(
        AccountFile(
            path,
            [
                Account("xem", "viewer", hash_password("mật khẩu", FAST)),
                Account("bientap", "editor", hash_password("mật khẩu", FAST)),
            ],
        )
    )
    return Permissions(AccountBook(path))


def test_table_and_opened_article(sample_assistant: ArchiveAssistant) -> None:
    browser = ArchiveBrowser(sample_assistant)
    everything = browser.table()
    assert len(everything.rows) == 5 and everything.summary.startswith("5 bài")
    assert ["26/06/2019" in row[1] for row in everything.rows].count(True) == 1
    found = browser.table("chi thi 25-ct/tw vinh phuc")
    assert found.article_ids == [SEED_001]
    assert browser.table("", "31/02/2020").summary.startswith("⚠️ Từ ngày «31/02/2020» không phải ngày")

    opened = browser.open(SEED_001)
    assert opened.found and opened.date_text == "26/06/2019" and opened.version == 1
    assert f"{SEED_001}.txt" in opened.html and "Các phiên bản" in opened.html
    assert "Các đoạn đã lập chỉ mục (" in opened.html and "Kế hoạch số 109-KH/TU" in opened.html
    assert not browser.open("khong_co").found


def test_an_editor_fixes_a_date_a_viewer_cannot_and_the_fix_is_audited_and_undone(
    sample_assistant: ArchiveAssistant, permissions: Permissions
) -> None:
    browser = ArchiveBrowser(sample_assistant, permissions)
    store = sample_assistant.index.store
    opened = browser.open(SEED_001)
    assert "đăng ngày 26/6/2019" in sample_assistant.ask(WHEN_PUBLISHED).text

    assert browser.table(user="xem").article_ids and browser.open(SEED_001, user="xem").found, "viewers read"
    assert browser.table(user="da_xoa").summary.startswith("⚠️ Tài khoản «da_xoa» không còn quyền")
    assert not browser.open(SEED_001, user="da_xoa").found
    refused, nothing = browser.plan_metadata_fix(SEED_001, 1, opened.title, "03/07/2019", "", user="xem")
    assert nothing is None and "vai trò người xem" in refused

    question, planned = browser.plan_metadata_fix(
        SEED_001, 1, opened.title, "03/07/2019", opened.outlet, user="bientap"
    )
    assert planned is not None
    assert "Vĩnh Phúc: Hội nghị tập huấn" in question and "26/06/2019 → 03/07/2019" in question
    viewer_sends_it = browser.apply(planned, user="xem")  # the event sent without the page's buttons
    assert not viewer_sends_it.done and "vai trò người xem" in viewer_sends_it.message
    stored = store.get_article(SEED_001)
    assert stored is not None and stored.published_date == date(2019, 6, 26)

    done = browser.apply(planned, user="bientap")
    assert done.done and done.undo_version == 1, done.message
    stored = store.get_article(SEED_001)
    assert stored is not None and stored.published_date == date(2019, 7, 3) and stored.version == 2
    assert browser.table("", "03/07/2019", "03/07/2019", user="xem").article_ids == [SEED_001]
    answer = sample_assistant.ask(WHEN_PUBLISHED)
    assert "đăng ngày 3/7/2019" in answer.text, answer.text
    assert [c.published_date for c in answer.citations if c.article_id == SEED_001] == [date(2019, 7, 3)]
    again = browser.apply(planned, user="bientap")
    assert not again.done and "vừa được thay đổi" in again.message, "a stale plan is refused"

    audit = [e for e in read_audit(sample_assistant.settings.db_dir) if e["article_id"] == SEED_001]
    assert [(e["user"], e["action"], e["old_version"], e["new_version"]) for e in audit] == [
        ("bientap", "corrected", 1, 2)
    ]
    assert not browser.undo(SEED_001, 1, user="xem").done
    undone = browser.undo(SEED_001, done.undo_version, user="bientap")
    assert undone.done, undone.message
    stored = store.get_article(SEED_001)
    assert stored is not None and stored.published_date == date(2019, 6, 26) and stored.version == 3
    assert read_audit(sample_assistant.settings.db_dir)[-1]["action"] == "restored"


def test_delete_needs_a_confirmation_and_the_role(
    sample_assistant: ArchiveAssistant, permissions: Permissions
) -> None:
    browser = ArchiveBrowser(sample_assistant, permissions)
    assert browser.plan_delete(SEED_001, 1, user="xem")[1] is None
    question, planned = browser.plan_delete(SEED_001, 1, user="bientap")
    assert planned is not None and "Xoá bài «Vĩnh Phúc" in question
    assert sample_assistant.index.store.get_article(SEED_001) is not None, "asking deletes nothing"
    assert not browser.apply(planned, user="xem").done
    assert browser.apply(planned, user="bientap").done
    assert sample_assistant.index.store.get_article(SEED_001) is None
    assert len(browser.table(user="xem").rows) == 4
    assert browser.undo(SEED_001, 1, user="bientap").done
    assert len(browser.table(user="xem").rows) == 5


def test_upload_report_names_the_extracted_title_and_date(tmp_path: Path) -> None:
    assistant = build_assistant(Settings.for_tests(tmp_path / "index"))
    archive = ArchiveHandlers(assistant)
    page = tmp_path / "vinh_phuc.txt"
    shutil.copy(sample_page(SEED_001), page)
    junk = tmp_path / "anh.png"
    junk.write_bytes(b"\x89PNG")
    result = archive.upload([str(page), str(junk)])
    copy = tmp_path / "Bài Vĩnh Phúc (bản 2).txt"  # stored under a safe name; the viewer names both
    copy.write_text(
        sample_page(SEED_001).read_text(encoding="utf-8").replace("Thực hiện", "Để thực hiện"),
        encoding="utf-8",
    )
    second = archive.upload([str(copy)])
    assert second.rows[0][2] == "đã lập chỉ mục", second.rows
    viewer = ArchiveBrowser(assistant).open(second.rows[0][1]).html
    assert safe_file_name(copy.name) in viewer and "tên khi tải lên: Bài Vĩnh Phúc (bản 2).txt" in viewer
    table = archive.report_table(result.rows)
    assert "Vĩnh Phúc: Hội nghị tập huấn" in table and "26/06/2019" in table
    assert "anh.png" in table and "Loại tệp không được hỗ trợ" in table
    assert "table-layout" not in table and "<colgroup>" in table and "<script" not in table
