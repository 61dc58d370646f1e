"""Organisation names and groups of people in a sentence, the type a question asks for, and the 'not stated'
wording built from the question."""

from __future__ import annotations

import pytest

from assistant.answering.missing_facts import missing_what
from assistant.answering.organisation_names import organisation_names
from assistant.answering.people_groups import asks_for_group, group_spans
from assistant.answering.topic_gate import topical_phrases
from assistant.answering.who_answers import acting_organisations
from assistant.question.analysis import analyse_question


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "Thuốc Vyleesi được Cục quản lý Thực phẩm và Dược phẩm Mỹ (FDA) cấp phép vào ngày 21/6.",
            ["Cục quản lý Thực phẩm và Dược phẩm Mỹ (FDA)"],
        ),
        ("Theo Tổ chức Y tế Thế giới (WHO), bệnh này nguy hiểm.", ["Tổ chức Y tế Thế giới (WHO)"]),
        ("Bộ Y tế vừa cho phép bệnh viện lần đầu triển khai.", ["Bộ Y tế"]),
        (
            "Sở Ngoại vụ tỉnh Quảng Nam phối hợp với Cục Ngoại vụ - Bộ Ngoại giao đã tổ chức hội nghị.",
            ["Sở Ngoại vụ tỉnh Quảng Nam", "Cục Ngoại vụ", "Bộ Ngoại giao"],
        ),
        (
            "Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao Bằng tổ chức",
            ["Liên hiệp các tổ chức hữu nghị Việt Nam", "Tỉnh uỷ", "UBND tỉnh Cao Bằng"],
        ),
        # A document's number is no organisation; the name ends before what it issues.
        ("Ban Bí thư ban hành Chỉ thị số 25-CT/TW ngày 08/8/2018.", ["Ban Bí thư"]),
        ("Hội nghị được tổ chức với sự tham dự của hơn 200 đại biểu.", []),
        # "Trưởng" is a role, not "Trường" (a school): the same letters once folded.
        ("Bác sĩ Dũng, Trưởng Khoa Nam học, Bệnh viện Bình Dân, cho biết", ["Bệnh viện Bình Dân"]),
        ("Trường Đại học Bách khoa Hà Nội công bố kết quả.", ["Trường Đại học Bách khoa Hà Nội"]),
        ("Hội nghị do Uỷ ban nhân dân tỉnh Cao Bằng chủ trì.", ["Uỷ ban nhân dân tỉnh Cao Bằng"]),
        ("Bộ này chưa trả lời.", []),
    ],
)
def test_organisation_names(sentence: str, names: list[str]) -> None:
    assert [span.display for span in organisation_names(sentence)] == names


def test_acting_organisation_is_cut_before_the_verb_but_keeps_its_partners() -> None:
    cut = acting_organisations("Bộ Y tế vừa cho phép bệnh viện lần đầu triển khai kỹ thuật mới.")
    assert [span.display for span in cut] == ["Bộ Y tế"]
    partners = (
        "Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao Bằng tổ chức hội nghị."
    )
    assert [span.display for span in acting_organisations(partners)] == [
        "Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao Bằng"
    ]


@pytest.mark.parametrize(
    ("kind", "question", "relation", "expected"),
    [
        ("who", "Ai chủ trì hội nghị đó?", ["chủ", "trì", "hội"], "người chủ trì"),
        ("who", "Những ai nên quan tâm đến thuốc này?", ["nên", "quan", "tâm", "đến"], "người nên quan tâm"),
        # The words before a final "ai" name the one who acts: no "người bà lambert muốn".
        ("who", "Bà Lambert muốn bảo vệ ai?", ["bà", "lambert", "muốn"], "người được hỏi"),
        ("where", "Hội nghị tổ chức ở đâu?", ["tổ", "chức"], "địa điểm tổ chức"),
        ("when", "Lễ ký kết diễn ra khi nào?", ["diễn", "ra"], "thời gian diễn ra"),
        ("how_many", "Có bao nhiêu đại biểu?", [], "con số được hỏi"),
    ],
)
def test_what_the_articles_do_not_state_reads_as_the_question_asks(
    kind: str, question: str, relation: list[str], expected: str
) -> None:
    assert missing_what(kind, question, relation, None) == expected


@pytest.mark.parametrize(
    ("sentence", "groups"),
    [
        ("Bệnh thường khởi phát triệu chứng ở người trẻ và kéo dài suốt cả cuộc đời.", ["Người trẻ"]),
        ("Thuốc được chỉ định cho phụ nữ tiền mãn kinh bị rối loạn chức năng.", ["Phụ nữ tiền mãn kinh"]),
        ("Ông Dũng làm việc ở Hà Nội.", []),
    ],
)
def test_groups_of_people_answer_who_questions_about_a_kind_of_people(
    sentence: str, groups: list[str]
) -> None:
    assert [span.display for span in group_spans(sentence)] == groups


def test_only_questions_about_a_kind_of_people_ask_for_a_group() -> None:
    assert asks_for_group("Những ai dễ mắc bệnh tâm thần phân liệt?")
    assert not asks_for_group("Ai chủ trì hội nghị?")


def test_the_asked_type_before_nao_is_no_topical_word() -> None:
    assert analyse_question("Sự kiện nào diễn ra vào ngày 23/12/2018?").content_terms == [
        "diễn",
        "23/12/2018",
    ]
    assert analyse_question("Cơ quan nào cấp phép cho thuốc?").content_terms == ["cấp", "phép", "thuốc"]
    assert topical_phrases("Sự kiện nào diễn ra vào ngày 23/12/2018?") == []
