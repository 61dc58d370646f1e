"""Follow-up questions under an answer and the example questions (issue 16 §4), without a model.

Suggestions: up to three, complete Vietnamese with diacritics, never the question just asked nor its
kind again, built from the topic and the answer's people and documents. Examples: from the sample
archive's own headlines (read with the real page cleaner), written in full with diacritics, newest first.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answering.answer_models import Answer, Citation
from assistant.answering.follow_up_suggestions import follow_up_suggestions
from assistant.archive_catalog import Headline
from assistant.web.example_questions import example_questions, examples_html
from ingest.loaders import iter_documents
from ingest.models import RawDocument
from ingest.page_cleaner import clean_article
from ingest.vietnamese_text import fold_accents, has_diacritics, word_tokens
from tests.conftest import SAMPLE_ARCHIVE

CONFERENCE = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"
CONFERENCE_HEADLINE = f"Khai mạc {CONFERENCE}"
CONFERENCE_SENTENCE = (
    "Sáng nay (7/7), tại Cao Bằng, Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh "
    f"Cao Bằng khai mạc {CONFERENCE}. [1]"
)


def _answer(question: str, text: str = CONFERENCE_SENTENCE, title: str = CONFERENCE_HEADLINE) -> Answer:
    return Answer(
        question=question,
        standalone_question=question,
        text=text,
        citations=[Citation(n=1, article_id="a", title=title, published_date=date(2022, 7, 7))],
    )


def _well_formed(questions: list[str], asked: str) -> None:
    assert 1 <= len(questions) <= 3
    for question in questions:
        assert question.endswith("?") and "…" not in question and question[0].isupper(), question
        words = word_tokens(question)
        assert sum(has_diacritics(w) for w in words) >= len(words) / 3, f"{question!r} lacks diacritics"
        assert fold_accents(question).lower() != fold_accents(asked).lower()
    assert len(set(questions)) == len(questions)


def test_after_a_when_question_who_where_and_how_many() -> None:
    asked = f"{CONFERENCE} khai mạc khi nào?"
    questions = follow_up_suggestions(_answer(asked))
    assert questions == [
        f"Ai chủ trì {CONFERENCE}?",
        f"{CONFERENCE} được tổ chức ở đâu?",
        f"Có bao nhiêu đại biểu tham dự {CONFERENCE}?",
    ]
    _well_formed(questions, asked)


def test_the_asked_kind_never_comes_back() -> None:
    for asked, kind_words in [
        (f"{CONFERENCE} tổ chức ở đâu?", "ở đâu"),
        (f"Ai chủ trì {CONFERENCE}?", "Ai chủ trì"),
        (f"Có bao nhiêu đại biểu tham dự {CONFERENCE}?", "bao nhiêu"),
    ]:
        questions = follow_up_suggestions(_answer(asked))
        _well_formed(questions, asked)
        assert len(questions) == 3 and not any(kind_words in q for q in questions), (asked, questions)


def test_a_topic_typed_without_diacritics_comes_from_the_headline() -> None:
    asked = "hoi nghi toan quoc cong tac doi ngoai nhan dan nam 2022 o dau"
    questions = follow_up_suggestions(_answer(asked))
    _well_formed(questions, asked)
    assert questions[0] == f"{CONFERENCE} diễn ra khi nào?"


def test_people_and_documents_of_the_answer_become_questions() -> None:
    asked = "Chỉ thị 25-CT/TW của Ban Bí thư về vấn đề gì?"
    text = (
        "Thực hiện Kế hoạch số 109-KH/TU ngày 17/10/2018 của Tỉnh ủy Vĩnh Phúc về triển khai thực hiện "
        "Chỉ thị số 25-CT/TW ngày 08/8/2018 của Ban Bí thư về đẩy mạnh đối ngoại đa phương. [1] Tham dự "
        "Hội nghị có ông Phan Anh Sơn, Phó Chủ tịch Liên hiệp các tổ chức hữu nghị Việt Nam. [1]"
    )
    headline = "Vĩnh Phúc: Hội nghị tập huấn, phổ biến Chỉ thị 25-CT/TW của Ban Bí thư"
    questions = follow_up_suggestions(_answer(asked, text, headline))
    _well_formed(questions, asked)
    assert questions[0] == "Chỉ thị 25-CT/TW được ban hành khi nào?", "the issuer is left to the answer"
    assert "Kế hoạch số 109-KH/TU về vấn đề gì?" in questions
    assert not any("Chỉ thị số 25-CT/TW về vấn đề gì" in q for q in questions), "that is what was asked"
    assert not any("nội dung chính" in q for q in questions), "'về vấn đề gì' already asked for it"
    after_list = follow_up_suggestions(
        _answer("Tóm tắt: Tập huấn công tác đối ngoại nhân dân", text.split("[1] ", 1)[1], headline)
    )
    assert "Ông Phan Anh Sơn phát biểu những nội dung gì?" in after_list


def test_common_nouns_places_and_organisations_are_not_taken_for_events_or_people() -> None:
    """Seen on real news (dantri): "nghỉ lễ 30/4" made "Lễ 30/4-1/5 diễn ra khi nào?", "Hà Nội giữ chức
    vụ gì?", "Chủ tịch HĐQT Tân Tạo …"; a person named twice was suggested twice."""
    headline = "Dự báo sân bay Nội Bài sẽ căng như dây đàn dịp nghỉ lễ 30/4-1/5"
    text = (
        "Theo ông Nguyễn Văn Hùng, Hà Nội sẽ đón nhiều khách. [1] Chủ tịch HĐQT Tân Tạo cũng có mặt. [1] "
        "Ông Nguyễn Văn Hùng, Giám đốc Cảng hàng không, cho biết thêm. [1]"
    )
    questions = follow_up_suggestions(_answer(f"Tóm tắt: {headline}", text, headline))
    assert questions == ["Ông Nguyễn Văn Hùng giữ chức vụ gì?"]
    dated = "Giải thưởng Chất lượng Quốc gia sáng ngày 25/4 được trao cho 10 doanh nghiệp"
    awards = follow_up_suggestions(
        _answer(f"Tóm tắt: {dated}", "Lễ trao giải có nhiều khách mời. [1]", dated)
    )
    assert awards[0] == "Giải thưởng Chất lượng Quốc gia diễn ra khi nào?", "the topic ends before its date"


def test_no_suggestions_for_a_refusal_or_an_answer_about_nothing_namable() -> None:
    refusal = _answer("Giá vàng hôm nay bao nhiêu?").model_copy(update={"found": False, "citations": []})
    assert follow_up_suggestions(refusal) == []
    vague = _answer("Đối ngoại nhân dân là gì?", "Đối ngoại nhân dân là một kênh đối ngoại. [1]", "x y")
    assert follow_up_suggestions(vague) == []


@pytest.fixture(scope="module")
def sample_headlines() -> list[Headline]:
    """The five customer articles' headlines and dates, as the page cleaner extracts them."""
    headlines = []
    for document in iter_documents([SAMPLE_ARCHIVE], 50 * 1024 * 1024):
        assert isinstance(document, RawDocument), document
        article = clean_article(document)
        headlines.append(Headline(article.article_id, article.title, article.metadata.published_date))
    assert len(headlines) == 5
    return headlines


def test_example_questions_come_in_full_from_the_newest_headlines(sample_headlines: list[Headline]) -> None:
    examples = example_questions(sample_headlines)
    assert examples == [
        "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 diễn ra ở đâu?",
        "Hội nghị cập nhật kiến thức công tác Đối ngoại nhân dân năm 2020 diễn ra khi nào?",
        "Lớp bồi dưỡng kỹ năng nghiệp vụ đối ngoại năm 2019 diễn ra ở đâu?",
        "Tóm tắt: Tập huấn công tác đối ngoại nhân dân cho 18 Liên hiệp địa phương khu vực phía Nam",
    ]
    for example in examples:
        words = word_tokens(example)
        assert "…" not in example and sum(has_diacritics(w) for w in words) >= len(words) / 2, example
    assert example_questions(list(reversed(sample_headlines))) == examples, "deterministic"
    assert example_questions(sample_headlines, limit=2) == [examples[0], examples[3]], "one of each kind"


def test_examples_are_escaped_links_that_ask() -> None:
    shown = examples_html(["Hội nghị <b>X</b> năm 2022 diễn ra ở đâu?"])
    assert '<a href="#cau-hoi" class="hoi-tiep cau-hoi-mau"' in shown
    assert "<b>" not in shown and "&lt;b&gt;X&lt;/b&gt;" in shown
    assert examples_html([]) == ""


def _sample_text(article_id: str) -> str:
    """The cleaned text of a sample article, as the archive stores it."""
    path = next(SAMPLE_ARCHIVE.glob(f"{article_id}*.txt"))
    document = next(iter(iter_documents([path], 50 * 1024 * 1024)))
    assert isinstance(document, RawDocument), document
    return clean_article(document).text


def test_only_facts_the_cited_article_states_are_suggested() -> None:
    # The Cao Bằng article names no chair: «Ai chủ trì …?» would only get «Bài [1] không nêu …».
    asked = f"{CONFERENCE} khai mạc khi nào?"
    questions = follow_up_suggestions(_answer(asked), article_texts={"a": _sample_text("004")})
    assert f"Ai chủ trì {CONFERENCE}?" not in questions
    assert f"{CONFERENCE} được tổ chức ở đâu?" in questions
    assert f"Có bao nhiêu đại biểu tham dự {CONFERENCE}?" in questions
    # Without the article's text nothing is known, so nothing is left out.
    assert f"Ai chủ trì {CONFERENCE}?" in follow_up_suggestions(_answer(asked))
