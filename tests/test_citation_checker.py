"""The citation checker's rules (issue 14 §4), one by one, on short texts written from the sample archive:
facts (numbers, resolved dates, names) where the claim's words stand, strong word overlap, quotes,
uncited sentences, unknown markers, markup, the short answer line and how it is all shown. Fast: no
index, no model, no server (the LLM path itself is tested in test_llm_answers.py)."""

from __future__ import annotations

from datetime import date

from assistant.answering.answer_models import Answer, Citation, SourcePassage
from assistant.answering.citation_checker import QUOTE_REMOVED, CheckedAnswer, check_citations
from assistant.answering.citation_markers import NOT_VERIFIED
from assistant.answering.claim_support import check_claim, prepare_source
from assistant.answering.llm_answerer import split_short_line
from assistant.answering.llm_markup import StreamGuard, strip_markup
from assistant.answering.quote_matching import QUOTE_RATIO, quote_match
from assistant.answering.source_formatting import format_sources
from assistant.answering.spoken_numbers import spoken_numbers
from assistant.web.answer_message import answer_markdown
from vectorstore.hybrid_retriever import RetrievalFilters

CAO_BANG = (
    "Sáng nay (7/7), tại Cao Bằng, Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – UBND tỉnh Cao "
    "Bằng khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022, nhiều vấn đề quan trọng sẽ được "
    "bàn thảo.\n\nHội nghị được tổ chức với sự tham dự của hơn 200 đại biểu đến từ các tổ chức thành viên ở "
    "Trung ương, Liên hiệp hữu nghị ở địa phương.\n\nCác đại biểu sẽ nghe báo cáo về tình hình thế giới, khu "
    "vực, đường lối đối ngoại của Đảng và Nhà nước ta.\n\nPhó Bí thư thường trực tỉnh Cao Bằng Triệu Đình Lê "
    "và Đại sứ Nguyễn Phương Nga tham quan khu trưng bày của Hội nghị.\n\nTrước đó, Liên hiệp đã tổ chức Hội "
    "nghị Sơ kết công tác 6 tháng đầu năm với 45 đơn vị tham gia."
)
ARIYANA = (
    "Ngày 04/10/2019, tại khách sạn Ariyana, Sở Ngoại vụ phối hợp với Cục Ngoại vụ - Bộ Ngoại giao đã tổ "
    "chức Lớp Bồi dưỡng kỹ năng nghiệp vụ đối ngoại năm 2019. Các báo cáo viên đã phổ biến kiến thức cho hơn "
    "70 đại biểu. Ông Vũ Duy Thành – Phó Vụ trưởng Vụ Chính sách đối ngoại tập huấn về tình hình thế giới."
)
SOURCES = [
    SourcePassage(
        n=1, article_id="004", title="Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022",
        text=CAO_BANG, published_date=date(2022, 7, 7), end=len(CAO_BANG),
    ),
    SourcePassage(
        n=2, article_id="002", title="Khai mạc lớp bồi dưỡng kỹ năng nghiệp vụ đối ngoại năm 2019",
        text=ARIYANA, published_date=date(2019, 10, 8), end=len(ARIYANA),
    ),
]  # fmt: skip


def _check(text: str, short: str | None = None, renumber: bool = True) -> CheckedAnswer:
    return check_citations(text, SOURCES, short_answer=short, renumber=renumber)


def _supported(claim: str, text: str = CAO_BANG, published: date | None = date(2022, 7, 7)) -> bool:
    return check_claim(claim, prepare_source(text, published)).supported


def test_numbers_must_be_the_sources_and_stand_beside_the_same_words() -> None:
    assert _supported("Hội nghị có hơn 200 đại biểu tham dự")
    assert not _supported("Hội nghị có hơn 500 đại biểu tham dự")
    # 45 is in the article, but it counts units of another meeting, two paragraphs away.
    assert not _supported("Hội nghị toàn quốc có 45 đại biểu tham dự")


def test_dates_are_compared_resolved_against_the_publication_date() -> None:
    assert _supported("Hội nghị toàn quốc khai mạc sáng 7/7/2022 tại Cao Bằng")
    assert not _supported("Hội nghị toàn quốc khai mạc sáng 8/7/2022 tại Cao Bằng")
    assert not _supported("Hội nghị toàn quốc khai mạc sáng 7/7/2021 tại Cao Bằng")
    # Across a year boundary: an article of 02/01/2023 saying "ngày 28/12" means 28/12/2022.
    year_end = "Ngày 28/12, Liên hiệp tổ chức gặp mặt bạn bè quốc tế tại Hà Nội."
    assert _supported("Liên hiệp tổ chức gặp mặt bạn bè quốc tế ngày 28/12/2022", year_end, date(2023, 1, 2))
    assert not _supported(
        "Liên hiệp tổ chức gặp mặt bạn bè quốc tế ngày 28/12/2023", year_end, date(2023, 1, 2)
    )


def test_names_must_be_in_the_article_where_the_claim_stands() -> None:
    assert not _supported("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 được tổ chức tại Paris")
    assert _supported("Ông Vũ Duy Thành tập huấn về tình hình thế giới", ARIYANA, date(2019, 10, 8))
    # "Cao Bằng" is in the article, but not where it says who trained the participants.
    also = ARIYANA + " Đoàn đại biểu tỉnh Cao Bằng cũng tham dự lớp bồi dưỡng."
    assert not _supported("Ông Cao Bằng tập huấn về tình hình thế giới", also, None)


def test_content_words_must_overlap_strongly() -> None:
    assert not _supported("Hội nghị toàn quốc bàn về giá vàng, thời tiết và giá xăng dầu trong nước")
    assert _supported("Các đại biểu nghe báo cáo về tình hình thế giới và khu vực")


def test_a_sentence_with_a_made_up_fact_loses_its_citation_and_is_marked() -> None:
    checked = _check(
        "Hội nghị có hơn 200 đại biểu tham dự [1]. Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 "
        "được tổ chức tại Paris [1]."
    )
    assert checked.text == (
        "Hội nghị có hơn 200 đại biểu tham dự [1]. Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 "
        f"được tổ chức tại Paris ({NOT_VERIFIED})."
    )
    assert checked.unsupported_sentences == [
        "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 được tổ chức tại Paris."
    ]
    assert (checked.claims, checked.failed, checked.mostly_unsupported) == (2, 1, False)


def test_quotes_must_match_the_source_or_are_removed() -> None:
    real = "hơn 200 đại biểu đến từ các tổ chức thành viên ở Trung ương"
    typo = "hơn 200 đại biểu đến từ các tổ chức thành viên ở Trung uơng"
    made_up = "hội nghị là sự kiện đối ngoại lớn nhất của cả nước trong năm nay"
    assert quote_match(real, CAO_BANG)[0] == 1.0
    assert quote_match(typo, CAO_BANG)[0] >= QUOTE_RATIO
    assert quote_match(made_up, CAO_BANG)[0] < QUOTE_RATIO
    checked = _check(f"Hội nghị có “{typo}” tham dự [1]. Ông Nguyễn Huy Quang nói “{made_up}” [1].")
    assert typo in checked.text and made_up not in checked.text and QUOTE_REMOVED in checked.text
    assert checked.removed_quotes == 1 and len(checked.unsupported_sentences) == 1
    start, end = checked.citations[0].span or (0, 0)
    assert CAO_BANG[start:end].startswith("hơn 200 đại biểu"), "the citation points at the quoted passage"


def test_uncited_sentences_are_flagged_but_headings_and_connectives_are_not() -> None:
    checked = _check(
        "## Kết quả\nCụ thể:\nHội nghị có hơn 200 đại biểu tham dự [1]. Đây là hội nghị thành công nhất từ trước "
        "tới nay."
    )
    assert checked.unsupported_sentences == ["Đây là hội nghị thành công nhất từ trước tới nay."]
    assert checked.text.endswith(f"từ trước tới nay ({NOT_VERIFIED}).")


def test_unknown_markers_go_and_citations_are_renumbered_by_first_use() -> None:
    checked = _check(
        "Lớp bồi dưỡng tổ chức tại khách sạn Ariyana [2][99]. Hội nghị có hơn 200 đại biểu [1][7]."
    )
    assert (
        checked.text == "Lớp bồi dưỡng tổ chức tại khách sạn Ariyana [1]. Hội nghị có hơn 200 đại biểu [2]."
    )
    assert [(c.n, c.article_id) for c in checked.citations] == [(1, "002"), (2, "004")]
    kept = _check("Lớp bồi dưỡng tổ chức tại khách sạn Ariyana [2][99].", renumber=False)
    assert kept.text == "Lớp bồi dưỡng tổ chức tại khách sạn Ariyana [2]." and kept.citations[0].n == 2


def test_not_stated_sentences_check_only_what_follows() -> None:
    honest = _check(
        "Bài [1] không nêu người chủ trì; hội nghị do Liên hiệp các tổ chức hữu nghị Việt Nam phối hợp Tỉnh uỷ – "
        "UBND tỉnh Cao Bằng tổ chức [1]."
    )
    assert honest.unsupported_sentences == [] and honest.text.startswith("Bài [1] không nêu người chủ trì;")
    made_up = _check("Bài [1] không nêu người chủ trì; hội nghị do Bộ Ngoại giao Pháp tổ chức [1].")
    assert len(made_up.unsupported_sentences) == 1


def test_markup_is_removed_and_never_streamed() -> None:
    raw = (
        'Hội nghị tại Cao Bằng [1]. ![ảnh](http://127.0.0.1:9/b.png?q=x) <img src="http://e/a.png"> '
        "<script>alert(1)</script>[xem](http://evil.example/) [2](http://x) http://evil.example/q"
    )
    clean = strip_markup(raw, ["http://vufo.org.vn/bai.html"])
    assert clean.text == "Hội nghị tại Cao Bằng [1]. xem [2] (đường dẫn đã lược bỏ)"
    assert strip_markup("Nguồn: http://vufo.org.vn/bai.html", ["http://vufo.org.vn/bai.html"]).removed == 0
    for size in (1, 2, 5, 13):
        guard, shown = StreamGuard(), ""
        for start in range(0, len(raw), size):
            shown += guard.feed(raw[start : start + size])
            assert "http" not in shown and "<" not in shown and "![" not in shown, shown
        assert shown + guard.finish() == clean.text


def test_the_short_answer_line() -> None:
    assert split_short_line("**Trả lời ngắn:** Hơn 200 đại biểu [1]\nHội nghị …") == (
        "Hơn 200 đại biểu [1]",
        "Hội nghị …",
    )
    assert split_short_line("Tra loi ngan: Cao Bằng [1]\nX")[0] == "Cao Bằng [1]"
    assert split_short_line("Hội nghị có hơn 200 đại biểu [1].") == (
        None,
        "Hội nghị có hơn 200 đại biểu [1].",
    )
    body = "Hội nghị được tổ chức với sự tham dự của hơn 200 đại biểu [1]."
    assert _check(body, "Hơn 200 đại biểu [1]").short_answer == "Hơn 200 đại biểu [1]."
    assert _check(body, "Sáng 7/7/2022, tại Cao Bằng [1]").short_answer == "Sáng 7/7/2022, tại Cao Bằng [1]."
    for made_up in ("Hơn 500 đại biểu [1]", "Hơn 45 đại biểu [1]", "Tại Paris [1]", "Hơn 200 đại biểu [7]"):
        checked = _check(body, made_up)
        assert checked.short_answer is None, made_up
        assert checked.unsupported_sentences == [made_up.rsplit(" [", 1)[0]]


def test_most_claims_failing_is_reported() -> None:
    checked = _check(
        "Hội nghị có 900 đại biểu [1]. Hội nghị diễn ra ở Paris [1]. Hội nghị có hơn 200 đại biểu [1]."
    )
    assert (checked.claims, checked.failed, checked.mostly_unsupported) == (3, 2, True)


def test_sources_show_the_publication_date_the_answer_resolves_dates_with() -> None:
    prompt = format_sources(SOURCES, 3000)
    assert '<nguon so="1" tieu_de="Khai mạc Hội nghị' in prompt and 'ngay_dang="07/07/2022"' in prompt
    undated = SOURCES[0].model_copy(update={"published_date": None})
    assert 'ngay_dang="không rõ"' in format_sources([undated], 3000)


def test_unverified_sentences_are_marked_in_the_chat_bubble_and_text_stays_escaped() -> None:
    answer = Answer(
        question="?",
        text=f"Hội nghị có hơn 200 đại biểu [1]. <b>Paris</b> là nơi tổ chức ({NOT_VERIFIED}).",
        citations=[Citation(n=1, article_id="004", title="T")],
        unsupported_sentences=["<b>Paris</b> là nơi tổ chức."],
    )
    bubble = answer_markdown(answer, 0, RetrievalFilters())
    assert '<em class="chua-kiem-chung" title="' in bubble and f"({NOT_VERIFIED})</em>" in bubble
    assert "&lt;b&gt;Paris&lt;/b&gt;" in bubble and "<b>" not in bubble


def _supports(claim: str, text: str, question: str = "") -> bool:
    return check_claim(claim, prepare_source(text, date(2022, 7, 7)), question=question).supported


LY_VAN_HUNG = "Ông Lý Văn Hùng, Giám đốc Sở Ngoại vụ, tiếp đoàn đại biểu tỉnh Gyeonggi. Hai bên bàn về hợp tác lao động."
US_DELEGATION = (
    "Ngày 5/7/2022, đoàn doanh nghiệp Mỹ đến làm việc tại TP.HCM với 30 thành viên. Đoàn cũng gặp đại "
    "diện Liên Hiệp Quốc."
)
# The ambassador is named three sentences before the sentence that states the fact, which says «bà».
NGA = (
    "Đại sứ Nguyễn Phương Nga nhận nhiệm vụ mới tại Liên hiệp các tổ chức hữu nghị Việt Nam từ năm 2016. "
    "Năm 2022, Liên hiệp tổ chức hơn 40 hoạt động giao lưu nhân dân. Các hoạt động diễn ra ở nhiều tỉnh "
    "thành trong cả nước. Trong buổi gặp báo chí, bà cho biết Liên hiệp sẽ mở thêm 3 văn phòng đại diện "
    "tại châu Âu."
)
MERCHANT = (
    "Bác sĩ Raina Merchant dẫn đầu nhóm nghiên cứu về đồ uống có cồn. Nhóm theo dõi gần 1.000 tình nguyện "
    "viên trong hai năm. Kết quả được công bố trên tạp chí PLOS ONE. Các nhà khoa học từ Đại học "
    "Pennsylvania cho biết nguy cơ lạm dụng rượu tăng gấp đôi."
)


def test_names_compare_in_one_spelling_of_i_and_y() -> None:
    assert _supports("Ông Lí Văn Hùng tiếp đoàn đại biểu tỉnh Gyeonggi", LY_VAN_HUNG)
    assert not _supports("Ông Lê Văn Hùng tiếp đoàn đại biểu tỉnh Gyeonggi", LY_VAN_HUNG)


def test_a_place_or_body_may_go_by_its_formal_or_common_name() -> None:
    assert _supports("Đoàn doanh nghiệp Hoa Kỳ đến làm việc tại Thành phố Hồ Chí Minh", US_DELEGATION)
    assert _supports("Đoàn cũng gặp đại diện Liên Hợp Quốc", US_DELEGATION)
    assert not _supports("Đoàn doanh nghiệp Hàn Quốc đến làm việc tại Thành phố Hồ Chí Minh", US_DELEGATION)
    assert not _supports("Đoàn doanh nghiệp Hoa Kỳ đến làm việc tại Thành phố Hải Phòng", US_DELEGATION)


def test_a_name_the_question_gives_need_only_be_in_the_article() -> None:
    question = "Đại sứ Nguyễn Phương Nga cho biết Liên hiệp sẽ mở thêm bao nhiêu văn phòng đại diện?"
    claim = "Đại sứ Nguyễn Phương Nga cho biết Liên hiệp sẽ mở thêm 3 văn phòng đại diện tại châu Âu"
    assert not _supports(claim, NGA)  # without the question the name stands nowhere near the fact
    assert _supports(claim, NGA, question)
    assert not _supports(claim.replace("3 văn phòng", "5 văn phòng"), NGA, question)
    # A name the article lacks is not the user's premise to keep.
    assert not _supports(claim.replace("Nguyễn Phương Nga", "Trần Thị Mai"), NGA, question.replace("Nguyễn Phương Nga", "Trần Thị Mai"))  # fmt: skip


def test_a_question_name_put_where_the_source_names_another_is_caught() -> None:
    question = "Bác sĩ Raina Merchant làm việc ở đâu?"
    faithful = "Các nhà khoa học từ Đại học Pennsylvania cho biết nguy cơ lạm dụng rượu tăng gấp đôi"
    assert _supports(faithful, MERCHANT, question)
    assert not _supports(faithful.replace("Pennsylvania", "Raina Merchant"), MERCHANT, question)


def test_words_the_question_contributes_are_the_users_the_answers_own_must_overlap() -> None:
    question = "Số khách góp mặt tại buổi khai mạc là bao nhiêu?"
    claim = "Số khách góp mặt tại buổi khai mạc là hơn 200 đại biểu"
    assert not _supports(claim, CAO_BANG)  # «khách góp mặt», «buổi» are not the article's words
    assert _supports(claim, CAO_BANG, question)
    assert not _supports(claim.replace("đại biểu", "phóng viên"), CAO_BANG, question)
    # A claim that only repeats the question adds nothing to excuse its words with.
    repeated = "Số khách góp mặt tại buổi khai mạc hội nghị rất đông đảo"
    assert not _supports(repeated, CAO_BANG, "Số khách góp mặt tại buổi khai mạc hội nghị có đông đảo không?")


def test_check_citations_takes_the_question() -> None:
    question = "Số khách góp mặt tại buổi khai mạc là bao nhiêu?"
    text = "Số khách góp mặt tại buổi khai mạc là hơn 200 đại biểu [1]."
    assert check_citations(text, SOURCES).unsupported_sentences
    checked = check_citations(text, SOURCES, question=question)
    assert not checked.unsupported_sentences
    assert [c.article_id for c in checked.citations] == ["004"]


NUMBERS_IN_WORDS = (
    "Thư viện lưu trữ khoảng 30.000.000 cuốn sách. Tỷ lệ cử tri đi bầu đạt 22,5%. Dự án có tổng vốn hai "
    "nghìn tỷ đồng. Cuộc khủng hoảng Tháng Mười kéo dài mười năm."
)


def test_numbers_compare_by_value_in_digits_words_and_scales() -> None:
    assert spoken_numbers("một trăm linh năm".split()) == {0: (3, "105")}
    assert spoken_numbers("hai mươi lăm".split()) == {0: (2, "25")}
    assert spoken_numbers("mười năm qua".split()) == {0: (0, "10")}  # ten years, not fifteen
    assert spoken_numbers("năm 2022 hai bên".split()) == {}  # a year, and «hai» alone is a word
    assert spoken_numbers("tháng mười".split()) == {}  # October
    assert _supported("Hội nghị có hơn hai trăm đại biểu tham dự")
    assert not _supported("Hội nghị có hơn ba trăm đại biểu tham dự")
    assert _supports("Thư viện lưu trữ khoảng 30 triệu cuốn sách", NUMBERS_IN_WORDS)
    assert not _supports("Thư viện lưu trữ khoảng 30 nghìn cuốn sách", NUMBERS_IN_WORDS)
    assert _supports("Tỷ lệ cử tri đi bầu đạt 22.5%", NUMBERS_IN_WORDS)
    assert not _supports("Tỷ lệ cử tri đi bầu đạt 25.5%", NUMBERS_IN_WORDS)
    assert _supports("Dự án có tổng vốn 2.000 tỷ đồng", NUMBERS_IN_WORDS)
    assert not _supports("Dự án có tổng vốn 3.000 tỷ đồng", NUMBERS_IN_WORDS)
    assert _supports("Cuộc khủng hoảng Tháng Mười kéo dài 10 năm", NUMBERS_IN_WORDS)
    assert not _supports("Cuộc khủng hoảng Tháng Mười kéo dài 12 năm", NUMBERS_IN_WORDS)


TIGER = (
    "Chiều 4/6, ông Quới, quê Dĩ An, bị con hổ tấn công tại Khu du lịch Thanh Cảnh, tỉnh Bình Dương. Xe "
    "cấp cứu chở ông đến các tỉnh Đồng Nai, Tây Ninh để chữa trị."
)


def test_a_name_after_a_word_the_source_follows_with_another_name_is_caught() -> None:
    assert _supports(
        "Chiều 4/6, ông Quới bị con hổ tấn công tại Khu du lịch Thanh Cảnh, tỉnh Bình Dương", TIGER
    )
    # «Dĩ An» is in the very sentence, but the source's «tỉnh» is «tỉnh Bình Dương».
    assert not _supports(
        "Chiều 4/6, ông Quới bị con hổ tấn công tại Khu du lịch Thanh Cảnh, tỉnh Dĩ An", TIGER
    )
    # One of a list after the word is stated with it.
    assert _supports("Xe cấp cứu chở ông Quới đến tỉnh Tây Ninh để chữa trị", TIGER)


def test_the_llm_path_gives_the_checker_the_question() -> None:
    from assistant.answering.llm_answerer import LLMAnswerer
    from assistant.settings import Settings

    texts = {p.article_id: p.text for p in SOURCES}
    answerer = LLMAnswerer(Settings(), None, "thử", lambda article_id: texts[article_id])
    reply = "Số khách góp mặt tại buổi khai mạc là hơn 200 đại biểu [1]."

    def fallback(base: Answer, passages: list[SourcePassage]) -> Answer:
        return base.model_copy(update={"text": "trích xuất"})

    asked = Answer(question="Số khách góp mặt tại buổi khai mạc là bao nhiêu?", text="")
    answer = answerer.checked_answer(asked, SOURCES, reply, fallback)
    assert answer.text.startswith("Số khách góp mặt") and not answer.unsupported_sentences
    # Asked otherwise, the same words are the answer's own claim, which the article does not hold: its
    # only claim fails, so the extractive answer is given instead.
    other = Answer(question="Hội nghị có bao nhiêu đại biểu?", text="")
    assert answerer.checked_answer(other, SOURCES, reply, fallback).text == "trích xuất"
