"""«Ai …?» answered by the words that fill the question's gap when the sentence names no one."""

from __future__ import annotations

from assistant.answering.gap_answers import gap_spans, place_gap_spans
from tests.scored_sentences import short_answer


def _gaps(question: str, sentence: str) -> list[str]:
    return [s.display for s in gap_spans(question, sentence)]


def test_the_words_after_those_before_ai() -> None:
    sentence = "Ông kêu gọi một chính trị khác và lên án hoạt động của tổng thống đương nhiệm."
    assert _gaps("Mitterrand lên án hoạt động của ai?", sentence) == ["Tổng thống đương nhiệm"]
    passive = "Lĩnh vực nghiên cứu này được đảm nhận bởi những tổ chức hàn lâm ở châu Âu, ví dụ như Oxford."
    assert _gaps("Lĩnh vực này được đảm nhận nghiên cứu bởi ai?", passive) == [
        "Những tổ chức hàn lâm ở châu Âu"
    ]


def test_x_la_ai_reads_the_other_side_of_la_or_the_brackets() -> None:
    assert _gaps(
        "Nhóm cánh tả lớn nhất là những ai?",
        "Những người Cộng sản vẫn là nhóm cánh tả lớn nhất với 22,5% số phiếu.",
    ) == ["Những người Cộng sản"]
    bracketed = (
        "Khoảng 600.000 thường trú nhân gốc Ý (công dân Ý không có quốc tịch Mỹ) bị giới hạn việc đi lại."
    )
    assert _gaps("Thường trú nhân gốc Ý là những ai?", bracketed) == ["Công dân Ý không có quốc tịch Mỹ"]


def test_the_subject_before_the_act_of_a_fronted_question() -> None:
    sentence = "Chỉ những cô gái hành nghề mại dâm mới tô son môi đỏ."
    assert _gaps("Ở Hy Lạp cổ đại ai tô son môi đỏ?", sentence) == ["Những cô gái hành nghề mại dâm"]
    # "đặc biệt là tô son": the words before "là" are no subject.
    assert (
        _gaps(
            "Ở Hy Lạp cổ đại ai tô son môi đỏ?", "Con người quan tâm đến làm đẹp, đặc biệt là tô son môi đỏ."
        )
        == []
    )


def test_a_gap_that_is_no_noun_phrase_is_no_answer() -> None:
    assert _gaps("Ở Algiers, Mitterrand đã gặp ai?", "Ông đã gặp ở đó một người bạn cũ.") == []
    appointed = "Tổng thống bổ nhiệm thủ tướng, và bổ nhiệm nội các theo đề xuất của thủ tướng."
    assert _gaps("Ai là người đề xuất nhằm bầu ra nội các?", appointed) == []  # not «Bổ nhiệm nội các theo»


def test_who_falls_back_to_the_gap_only_when_no_one_is_named() -> None:
    assert (
        short_answer(
            "Mitterrand lên án hoạt động của ai?", "Ông lên án hoạt động của tổng thống đương nhiệm."
        )
        == "Tổng thống đương nhiệm"
    )
    named = "Ông lên án hoạt động của Tổng thống Valéry Giscard và của tổng thống đương nhiệm."
    assert short_answer("Mitterrand lên án hoạt động của ai?", named) == "Tổng thống Valéry Giscard"


def test_where_reads_the_place_after_the_questions_verb() -> None:
    taught = "Ngày nay, thần học được giảng dạy trong các chủng viện và học viện của các tôn giáo."
    assert [s.display for s in place_gap_spans("Ngày nay, thần học được giảng dạy ở đâu?", taught)] == [
        "Các chủng viện và học viện của các tôn giáo"
    ]
    buried = (
        "Theo di chúc, ông được chôn cất trong vườn hồng của ngôi nhà gia đình ở Hyde Park ngày 15 tháng 4."
    )
    assert [s.display for s in place_gap_spans("Thi thể của ông được chôn cất ở đâu?", buried)] == [
        "Vườn hồng của ngôi nhà gia đình ở Hyde Park"
    ]
    assert (
        place_gap_spans("Cánh kiến được hình thành từ nơi nào?", "Cánh được hình thành ở hai triệu loài.")
        == []
    )


def test_where_prefers_the_sentence_saying_where_the_asked_act_happened() -> None:
    assert (
        short_answer(
            "Chiến tranh Ba mươi Năm xảy ra ở đâu?",
            "Hòa ước được ký tại Paris năm 1648.",
            "Chiến tranh Ba mươi Năm xảy ra trên những lãnh thổ của người Đức.",
            scores=(1.0, 0.95),
        )
        == "Những lãnh thổ của người Đức"
    )


def test_a_lower_case_gloss_in_brackets_answers_who_they_are() -> None:
    sentence = (
        "Khoảng 600.000 thường trú nhân gốc Ý (công dân Ý không có quốc tịch Mỹ) bị giới hạn việc đi lại."
    )
    assert (
        short_answer('Những "thường trú nhân gốc Ý" là những ai?', sentence)
        == "Công dân Ý không có quốc tịch Mỹ"
    )


def test_who_nominated_asks_for_no_group() -> None:
    from assistant.answering.people_groups import asks_for_group

    assert not asks_for_group("Các thành viên do ai đề cử?")
    assert asks_for_group("Ai để ý đến bệnh này?") or asks_for_group("Những ai dễ mắc bệnh?")
