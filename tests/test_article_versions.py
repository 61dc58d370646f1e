"""Issue 14 §1: nothing replaces a stored article silently, and every version is kept.

- The command line replaces changed text but keeps the old version; `history` lists the versions and
  `restore` makes an old one current again (as a new version), after which it answers again.
- A web upload under a stored id only adds (a new article `<id>-2`); replacing needs the choice, the
  role and a confirmation naming the article.
- A schema 1 database (before versions) is migrated in place on open, losing nothing.
- A kill between writing a new version and indexing it leaves the old or the new version current,
  never none, and the next run makes it answer.

All on the hash embedder (what is stored and which text answers does not depend on the model).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.archive_assistant import ArchiveAssistant
from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.archive_handlers import ArchiveHandlers
from ingest.__main__ import main as ingest_main
from tests.conftest import ROOT, SAMPLE_ARCHIVE, sample_page
from vectorstore.archive_index import ArchiveIndex
from vectorstore.diacritics.restorer_file import RestorerFile
from vectorstore.ingestion import run_ingest
from vectorstore.store.article_store import ArticleStore, StoredArticle

pytestmark = [pytest.mark.integration, pytest.mark.hash_embedder]

SEED_004 = "004_955a1fbb71e7f89b"
SEED_002 = "002_6ae507ffac44b24d"
HEADLINE_004 = "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"
HOW_MANY = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 có bao nhiêu đại biểu tham dự?"
ORIGINAL_COUNT, CHANGED_COUNT = "hơn 200 đại biểu", "hơn 900 đại biểu"
# Words only the changed version has: the diacritic model restores them only while it is current.
CHANGED_ONLY, CHANGED_ONLY_TYPED = "huyện Mường Tè", "huyen muong te"
KEPT = "(phiên bản cũ được giữ)"
# The `articles` table as the code before versions (schema 1, e.g. commit d11e0b0) created it.
SCHEMA_1_ARTICLE_COLUMNS = [
    "id", "title", "text", "published_date", "page_date", "date_int", "url", "author", "outlet",
    "category", "content_hash", "text_hash", "simhash", "story_id", "status", "updated_at",
]  # fmt: skip


def _changed_004(folder: Path) -> Path:
    """The customer's article 004 with its number of delegates changed, under its own file name."""
    page = folder / f"{SEED_004}.txt"
    original = sample_page(SEED_004).read_text(encoding="utf-8")
    assert ORIGINAL_COUNT in original
    page.write_text(original.replace(ORIGINAL_COUNT, f"{CHANGED_COUNT} từ {CHANGED_ONLY}"), encoding="utf-8")
    return page


def _answer(settings: Settings) -> str:
    """What answers the delegates question: the answer must cite article 004, and the text returned is
    the answer with the passages of 004 that retrieval found for it (where the number stands)."""
    assistant = build_assistant(settings)
    answer = assistant.ask(HOW_MANY)
    assert SEED_004 in {citation.article_id for citation in answer.citations}, answer.text
    found = assistant.search(HOW_MANY).chunks
    passages = [assistant.index.store.chunk(c.chunk_id) for c in found if c.article_id == SEED_004]
    return " ".join([answer.text, *(passage.text for passage in passages if passage is not None)])


def _restored(settings: Settings, typed: str) -> str:
    """`typed` restored by the index's diacritic model, lower-cased (the model keeps the typed casing)."""
    return RestorerFile(settings.db_dir).restore(typed).lower()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = ingest_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- the command line -------------------------------------------------------------------------------


def test_cli_replacement_keeps_the_old_version_and_restore_answers_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    monkeypatch.setenv("ARCHIVE_LLM_MODE", "none")
    archive, db = tmp_path / "archive", tmp_path / "index"
    shutil.copytree(SAMPLE_ARCHIVE, archive)
    settings = Settings.for_tests(db)
    assert _cli(capsys, str(archive), "--db", str(db))[0] == 0
    assert ORIGINAL_COUNT in _answer(settings)

    _changed_004(archive)
    code, out, _ = _cli(capsys, str(archive), "--db", str(db))
    assert code == 0
    assert f"thay thế bài «{HEADLINE_004}» {KEPT}" in out, out
    assert "đã cập nhật" not in out and "Chú ý: 1 bài đã bị thay thế" in out
    assert CHANGED_COUNT in _answer(settings)
    assert _restored(settings, CHANGED_ONLY_TYPED) == CHANGED_ONLY.lower()

    code, out, _ = _cli(capsys, "history", SEED_004, "--db", str(db), "--json")
    versions = json.loads(out)["versions"]
    assert code == 0 and [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    assert all(v["title"] == HEADLINE_004 and v["source"].endswith(f"{SEED_004}.txt") for v in versions)
    code, out, _ = _cli(capsys, "history", SEED_004, "--db", str(db))
    assert code == 0 and "2 phiên bản (phiên bản hiện hành: 2)" in out and "* phiên bản 2 (hiện hành)" in out

    code, out, _ = _cli(capsys, "restore", SEED_004, "1", "--db", str(db))
    assert code == 0 and "nay là phiên bản hiện hành 3" in out and f"restore {SEED_004} 2" in out, out
    answer = _answer(settings)
    assert ORIGINAL_COUNT in answer and CHANGED_COUNT not in answer, answer
    assert _restored(settings, CHANGED_ONLY_TYPED) != CHANGED_ONLY.lower(), (
        "the model learned only current text"
    )
    index = ArchiveIndex(settings.index_config())
    chunks = " ".join(chunk.text for chunk in index.store.chunks_of(SEED_004))
    assert ORIGINAL_COUNT in chunks and CHANGED_COUNT not in chunks
    assert index.consistency()["missing_vectors"] == index.consistency()["orphan_vectors"] == 0
    snapshot = index.lexical.snapshot()
    assert len(snapshot.chunk_ids) == index.store.counts()["chunks"]
    versions = index.store.versions_of(SEED_004)
    assert [(v.version, v.current, CHANGED_COUNT in v.text) for v in versions] == [
        (1, False, False),
        (2, False, True),
        (3, True, False),
    ]
    assert versions[2].source == "khôi phục phiên bản 1"
    index.close()

    # The restore is itself a version: restoring version 2 undoes it.
    assert _cli(capsys, "restore", SEED_004, "2", "--db", str(db))[0] == 0
    assert CHANGED_COUNT in _answer(settings)
    # A rebuild re-embeds only the current versions and keeps the history.
    assert _cli(capsys, "rebuild", "--db", str(db))[0] == 0
    answer = _answer(settings)
    assert CHANGED_COUNT in answer and ORIGINAL_COUNT not in answer, answer
    store = ArticleStore(db)
    assert [v.current for v in store.versions_of(SEED_004)] == [False, False, False, True]
    assert store.counts()["articles"] == 5


def test_cli_history_and_restore_refuse_unknown_ids_and_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    db = tmp_path / "index"
    run_ingest([sample_page(SEED_004)], Settings.for_tests(db).ingest_config())
    code, _, err = _cli(capsys, "history", "khong-co", "--db", str(db))
    assert code == 2 and "Không có bài «khong-co» trong kho" in err
    code, _, err = _cli(capsys, "restore", "khong-co", "1", "--db", str(db))
    assert code == 2 and "Không có bài «khong-co» trong kho" in err
    code, _, err = _cli(capsys, "restore", SEED_004, "7", "--db", str(db))
    assert code == 2 and "không có phiên bản 7; các phiên bản hiện có: 1." in err
    code, _, err = _cli(capsys, "restore", SEED_004, "mot", "--db", str(db))
    assert code == 2 and "Số phiên bản phải là số nguyên dương" in err
    code, out, _ = _cli(capsys, "restore", SEED_004, "1", "--db", str(db))
    assert code == 0 and "đã là phiên bản hiện hành" in out


def test_a_deleted_article_keeps_its_last_version_and_can_be_restored(tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path / "index")
    run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    index = ArchiveIndex(settings.index_config())
    index.delete([SEED_004])
    assert index.store.get_article(SEED_004) is None
    versions = index.store.versions_of(SEED_004)
    assert [(v.version, v.current, v.title) for v in versions] == [(1, False, HEADLINE_004)]
    from vectorstore.article_history import restore_version

    outcome = restore_version(SEED_004, 1, settings.ingest_config(), index=index)
    assert (outcome.replaced, outcome.new_version) == (None, 2)
    assert ORIGINAL_COUNT in _answer(settings)


# --- the web app --------------------------------------------------------------------------------------


@pytest.fixture
def assistant(tmp_path: Path) -> ArchiveAssistant:
    settings = Settings.for_tests(tmp_path / "web_index")
    assert run_ingest([SAMPLE_ARCHIVE], settings.ingest_config()).articles == 5
    return build_assistant(settings)


def _stored(store: ArticleStore, article_id: str) -> StoredArticle:
    article = store.get_article(article_id)
    assert article is not None, f"{article_id} is not stored"
    return article


def _stored_texts(assistant: ArchiveAssistant) -> dict[str, str]:
    return {
        article_id: _stored(assistant.index.store, article_id).text for article_id in (SEED_002, SEED_004)
    }


def test_web_upload_of_an_existing_id_never_replaces(assistant: ArchiveAssistant, tmp_path: Path) -> None:
    archive, store = ArchiveHandlers(assistant), assistant.index.store
    before = _stored_texts(assistant)
    named_like_002 = tmp_path / f"{SEED_002}.txt"
    named_like_002.write_text(
        "Bài giả mạo\n\n01/01/2024\n\nNội dung này không phải bài của khách hàng; nó mang tên tệp của bài 002.\n",
        encoding="utf-8",
    )
    row_like_004 = tmp_path / "hang.jsonl"
    row_like_004.write_text(
        json.dumps(
            {
                "id": SEED_004,
                "title": "Hội nghị giả",
                "text": sample_page(SEED_004)
                .read_text(encoding="utf-8")
                .replace(ORIGINAL_COUNT, CHANGED_COUNT),
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = archive.upload([str(named_like_002), str(row_like_004)])
    rows = {row[0]: row for row in result.rows}
    assert rows[f"{SEED_002}.txt"][1:3] == [f"{SEED_002}-2", "lưu thành bài mới"]
    assert "được giữ nguyên" in rows[f"{SEED_002}.txt"][3] and "bài mới" in rows[f"{SEED_002}.txt"][3]
    assert rows["hang.jsonl:1"][1:3] == [f"{SEED_004}-2", "lưu thành bài mới"]
    assert "lưu thành bài mới 2" in result.message
    assert _stored_texts(assistant) == before
    assert [len(store.versions_of(article_id)) for article_id in (SEED_002, SEED_004)] == [1, 1]
    assert _stored(store, f"{SEED_002}-2").title == "Bài giả mạo"
    assert ORIGINAL_COUNT in _answer(assistant.settings)

    again = archive.upload([str(named_like_002)])  # the same file again: nothing new, nothing replaced
    assert again.rows[0][1:3] == [f"{SEED_002}-2", "trùng lặp"]
    assert _stored_texts(assistant) == before and store.counts()["articles"] == 7


def test_web_replacing_needs_the_choice_the_role_and_a_confirmation(
    assistant: ArchiveAssistant, tmp_path: Path
) -> None:
    archive, store = ArchiveHandlers(assistant), assistant.index.store
    before = _stored_texts(assistant)
    changed = _changed_004(tmp_path)
    uploads = assistant.settings.db_dir / "uploads"

    refused = archive.upload([str(changed)], replace=True)  # the role does not allow it (the default)
    assert refused.rows == [] and "không được thay thế bài đã có" in refused.message
    asked = archive.upload([str(changed)], replace=True, can_replace=True)
    assert [(r.article_id, r.current_title) for r in asked.replacements] == [(SEED_004, HEADLINE_004)]
    assert f"Bài «{HEADLINE_004}» (mã {SEED_004})" in asked.message.replace("\\", "")
    assert "Xác nhận thay thế" in asked.message and asked.rows == []
    assert _stored_texts(assistant) == before
    assert not uploads.exists() or not any(uploads.iterdir()), "nothing copied before the confirmation"

    done = archive.upload([str(changed)], replace=True, can_replace=True, confirmed_ids=[SEED_004])
    assert done.rows[0][1:3] == [SEED_004, "⚠ đã thay thế bài cũ"]
    assert f"thay thế bài «{HEADLINE_004}» {KEPT}" in done.rows[0][3]
    versions = store.versions_of(SEED_004)
    assert [(v.version, v.current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].text == before[SEED_004] and CHANGED_COUNT in versions[1].text
    assert CHANGED_COUNT in _answer(assistant.settings)


def test_web_confirmation_replaces_only_the_articles_it_named(
    assistant: ArchiveAssistant, tmp_path: Path
) -> None:
    archive, store = ArchiveHandlers(assistant), assistant.index.store
    before = _stored_texts(assistant)
    (tmp_path / "a").mkdir()
    changed_004 = _changed_004(tmp_path / "a")
    changed_002 = tmp_path / f"{SEED_002}.txt"
    changed_002.write_text(
        sample_page(SEED_002).read_text(encoding="utf-8") + "\nĐoạn thêm vào cuối bài.\n", encoding="utf-8"
    )
    asked = archive.upload([str(changed_004), str(changed_002)], replace=True, can_replace=True)
    assert {r.article_id for r in asked.replacements} == {SEED_002, SEED_004}
    done = archive.upload(
        [str(changed_004), str(changed_002)], replace=True, can_replace=True, confirmed_ids=[SEED_004]
    )
    statuses = {row[1]: row[2] for row in done.rows}
    assert statuses == {SEED_004: "⚠ đã thay thế bài cũ", f"{SEED_002}-2": "lưu thành bài mới"}
    assert _stored(store, SEED_002).text == before[SEED_002]
    assert len(store.versions_of(SEED_002)) == 1 and len(store.versions_of(SEED_004)) == 2


# --- migration and crashes ----------------------------------------------------------------------------


def _as_schema_1(db: Path) -> None:
    """Turn a store into what the code before versions wrote (schema 1): no version columns, no table."""
    with sqlite3.connect(db / "articles.sqlite3") as conn:
        conn.execute("DROP TABLE article_versions")
        conn.execute("ALTER TABLE articles DROP COLUMN version")
        conn.execute("ALTER TABLE articles DROP COLUMN version_source")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
    assert columns == SCHEMA_1_ARTICLE_COLUMNS


def test_a_schema_1_database_is_migrated_on_open_without_losing_anything(tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path / "index")
    run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    store = ArticleStore(settings.db_dir)
    texts = {article_id: _stored(store, article_id).text for article_id in store.ids_with_status("indexed")}
    store.close()
    _as_schema_1(settings.db_dir)

    for _ in range(2):  # migrating is idempotent: the second open finds nothing to do
        store = ArticleStore(settings.db_dir)
        assert store.get_meta("schema_version") == "2"
        assert {article_id: _stored(store, article_id).text for article_id in texts} == texts
        (only,) = store.versions_of(SEED_004)
        assert (only.version, only.current, only.title) == (1, True, HEADLINE_004)
        assert only.source is not None and only.source.endswith(f"{SEED_004}.txt")
        store.close()
    assert ORIGINAL_COUNT in _answer(settings)

    # The migrated store versions changes like a new one.
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE_ARCHIVE, archive)
    _changed_004(archive)
    report = run_ingest([archive], settings.ingest_config())
    assert {o.status for o in report.files if o.article_id == SEED_004} == {"replaced"}
    store = ArticleStore(settings.db_dir)
    assert [v.text == texts[SEED_004] for v in store.versions_of(SEED_004)] == [True, False]


def test_a_store_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path)
    store.set_meta("schema_version", "3")
    store.close()
    from vectorstore.index_errors import ArticleStoreCorruptedError

    with pytest.raises(ArticleStoreCorruptedError, match="phiên bản lược đồ 3"):
        ArticleStore(tmp_path)


_KILLED_INGEST = """
import os, signal, sys
from pathlib import Path
from assistant.settings import Settings
from vectorstore.archive_index import ArchiveIndex
from vectorstore.ingestion import run_ingest
from vectorstore.store.article_store import ArticleStore

moment, source, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if moment == "inside_the_write":
    write_pending = ArticleStore.write_pending
    def write_then_die(self, *args, **kwargs):
        write_pending(self, *args, **kwargs)
        die()  # the new version is written but its transaction never commits
    ArticleStore.write_pending = write_then_die
else:
    ArchiveIndex.compute_vectors = die  # the new version committed as stored; no vectors, never indexed
run_ingest([source], Settings.for_tests(db).ingest_config())
"""


@pytest.mark.parametrize(
    ("moment", "current_count"), [("inside_the_write", ORIGINAL_COUNT), ("after_the_write", CHANGED_COUNT)]
)
def test_a_kill_while_replacing_leaves_one_version_current(
    tmp_path: Path, moment: str, current_count: str
) -> None:
    settings = Settings.for_tests(tmp_path / "index")
    run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    changed = _changed_004(tmp_path)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_INGEST, moment, str(changed), str(settings.db_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    store = ArticleStore(settings.db_dir)
    versions = store.versions_of(SEED_004)
    (current,) = [v for v in versions if v.current]
    assert current_count in current.text
    assert any(ORIGINAL_COUNT in v.text for v in versions), "the original text is never lost"
    assert len(versions) == (1 if moment == "inside_the_write" else 2)
    store.close()

    run_ingest([], settings.ingest_config())  # the next run finishes what the killed one left
    answer = _answer(settings)
    assert current_count in answer, answer
    index = ArchiveIndex(settings.index_config())
    assert index.store.ids_with_status("pending") == []
    consistency = index.consistency()
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0


def test_web_replacing_an_article_whose_new_text_an_earlier_upload_stored_apart(
    assistant: ArchiveAssistant, tmp_path: Path
) -> None:
    """The usual path: the corrected article is uploaded, stored as `<id>-2`; the user then ticks
    «Thay thế bài đã có» and uploads it again. The question still names the article and the confirmed
    upload replaces it (the text being stored under `<id>-2` does not turn it into a duplicate)."""
    archive, store = ArchiveHandlers(assistant), assistant.index.store
    changed = _changed_004(tmp_path)
    assert archive.upload([str(changed)]).rows[0][1:3] == [f"{SEED_004}-2", "lưu thành bài mới"]
    asked = archive.upload([str(changed)], replace=True, can_replace=True)
    assert [r.article_id for r in asked.replacements] == [SEED_004]
    done = archive.upload([str(changed)], replace=True, can_replace=True, confirmed_ids=[SEED_004])
    assert done.rows[0][1:3] == [SEED_004, "⚠ đã thay thế bài cũ"]
    assert CHANGED_COUNT in _stored(store, SEED_004).text and len(store.versions_of(SEED_004)) == 2
