"""Vietnamese sentence boundaries: abbreviations, numbers, URLs, quotes, paragraphs, scraped text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import normalize_text
from tests.conftest import sample_page, sample_pages


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Câu thứ nhất. Câu thứ hai! Câu thứ ba? Câu thứ tư…",
            ["Câu thứ nhất.", "Câu thứ hai!", "Câu thứ ba?", "Câu thứ tư…"],
        ),
        (
            "Ông làm việc tại TP. Hồ Chí Minh. Sau đó ông về Hà Nội.",
            ["Ông làm việc tại TP. Hồ Chí Minh.", "Sau đó ông về Hà Nội."],
        ),
        (
            "TS. Nguyễn Văn An và ThS. Lê Thị Bình dự họp. PGS. TS. Trần Văn Cường phát biểu.",
            ["TS. Nguyễn Văn An và ThS. Lê Thị Bình dự họp.", "PGS. TS. Trần Văn Cường phát biểu."],
        ),
        (
            "GS. Phan Huy Lê và BS. Hà Linh nói. Th.S Nguyễn Hà đến. PGS.TS. Lê Văn Lan dự.",
            ["GS. Phan Huy Lê và BS. Hà Linh nói.", "Th.S Nguyễn Hà đến.", "PGS.TS. Lê Văn Lan dự."],
        ),
        ("Tôi gặp ông. Sau đó chúng tôi về.", ["Tôi gặp ông.", "Sau đó chúng tôi về."]),
        ("Các nước ASEAN, EU v.v. Các bên đều đồng ý.", ["Các nước ASEAN, EU v.v. Các bên đều đồng ý."]),
        (
            "Nhà ở Tp. Huế, Q. 1, P. Bến Nghé. Xong rồi.",
            ["Nhà ở Tp. Huế, Q. 1, P. Bến Nghé.", "Xong rồi."],
        ),
        (
            "Ông sang St. Petersburg. Ông N.V.A. đã đến. Bà T. Hương cũng đến.",
            ["Ông sang St. Petersburg.", "Ông N.V.A. đã đến.", "Bà T. Hương cũng đến."],
        ),
        (
            "Cách mạng 4.0 và 1.000.000 đồng. Ngày 26/6. Tại hội nghị ngày 26/6/2019, sáng 7/7. Hết.",
            [
                "Cách mạng 4.0 và 1.000.000 đồng.",
                "Ngày 26/6.",
                "Tại hội nghị ngày 26/6/2019, sáng 7/7.",
                "Hết.",
            ],
        ),
        (
            "Xem tại https://vufo.org.vn/Khai-mac.html?lang=vn. Sau đó gửi thư cho a.b@so.gov.vn. "
            "Trân trọng.",
            [
                "Xem tại https://vufo.org.vn/Khai-mac.html?lang=vn.",
                "Sau đó gửi thư cho a.b@so.gov.vn.",
                "Trân trọng.",
            ],
        ),
        (
            "Ông nói: “Tôi không biết… Thôi được.” Sau đó ông về.",
            ["Ông nói: “Tôi không biết… Thôi được.”", "Sau đó ông về."],
        ),
        ("Bà hỏi «Ai đến? Ông Nam à?» rồi cười. Hết.", ["Bà hỏi «Ai đến? Ông Nam à?» rồi cười.", "Hết."]),
        ('Ông nói "Đi thôi. Muộn rồi" rồi về. Hết.', ['Ông nói "Đi thôi. Muộn rồi" rồi về.', "Hết."]),
        (
            "Hội nghị (Ảnh: TTXVN. Nguồn: VUFO) diễn ra. Hết.",
            ["Hội nghị (Ảnh: TTXVN. Nguồn: VUFO) diễn ra.", "Hết."],
        ),
        ("Ông nói “Đi đi!” rồi về.", ["Ông nói “Đi đi!” rồi về."]),
        (
            "Tại TP.HCM vào ngày 5. Tại TP.HCM. Sau đó ThS.Nguyễn Văn An đến.",
            ["Tại TP.HCM vào ngày 5.", "Tại TP.HCM.", "Sau đó ThS.Nguyễn Văn An đến."],
        ),
        ("1. Mở đầu hội nghị. Nội dung chính.", ["1. Mở đầu hội nghị.", "Nội dung chính."]),
        (
            "Bạn đi đâu? Tôi đi Hà Nội! Thật sao?! Đúng vậy... và còn nữa.",
            ["Bạn đi đâu?", "Tôi đi Hà Nội!", "Thật sao?!", "Đúng vậy... và còn nữa."],
        ),
        ("Văn hóa... Trong xu hướng đó.", ["Văn hóa...", "Trong xu hướng đó."]),
        ("Năm 2020. 5 người đến.", ["Năm 2020.", "5 người đến."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_missing_space_after_period_in_scraped_text_splits() -> None:
    text = "đặt ra nhiều cơ hội và thách thức cho Việt Nam.Trong bối cảnh đó, nhiệm vụ rất quan trọng."
    assert sentences(text) == [
        "đặt ra nhiều cơ hội và thách thức cho Việt Nam.",
        "Trong bối cảnh đó, nhiệm vụ rất quan trọng.",
    ]


def test_paragraph_break_always_ends_a_sentence() -> None:
    text = "Đại sứ Bùi Thế Giang, Nguyên Phó trưởng Phái đoàn,\n\nnguyên vụ trưởng vụ Tây Âu chủ trì"
    assert sentences(text) == [
        "Đại sứ Bùi Thế Giang, Nguyên Phó trưởng Phái đoàn,",
        "nguyên vụ trưởng vụ Tây Âu chủ trì",
    ]


def test_single_line_break_splits_unless_the_next_line_continues_in_lower_case() -> None:
    text = "Dòng một bị ngắt\ngiữa câu ở đây.\nChú thích ảnh không có dấu chấm\nCâu cuối."
    assert sentences(text) == [
        "Dòng một bị ngắt\ngiữa câu ở đây.",
        "Chú thích ảnh không có dấu chấm",
        "Câu cuối.",
    ]


def test_long_quotation_may_contain_boundaries() -> None:
    inner = "Chúng ta phải làm việc chăm chỉ hơn nữa trong năm tới để đạt mục tiêu đề ra. " * 3
    text = f"Ông nói: “{inner.strip()}” Hết."
    assert len(sentences(text)) == 4


def test_spans_index_the_original_text_exactly() -> None:
    text = "  Câu một.   Câu hai!\n\n\n  Đoạn mới?  \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Câu một.", "Câu hai!", "Đoạn mới?"]
    assert spans[0][0] == 2


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


def test_seed_000_and_004_sentences() -> None:
    text_000 = normalize_text(sample_page("000_8e02bbd58b42a3a7").read_text(encoding="utf-8"))
    found_000 = sentences(text_000)
    assert any(s.endswith("nhiều cơ hội và thách thức cho Việt Nam.") for s in found_000)
    assert "Trong bối cảnh đó, nhiệm vụ đối ngoại nhân dân của tỉnh rất quan trọng." in found_000
    assert any("cách mạng khoa học công nghệ 4.0 làm cho" in s for s in found_000)

    text_004 = normalize_text(sample_page("004_955a1fbb71e7f89b").read_text(encoding="utf-8"))
    found_004 = sentences(text_004)
    assert any(
        s.startswith("Sáng nay (7/7), tại Cao Bằng") and s.endswith("hiệu quả hơn.") for s in found_004
    )
    url = "Nguồn:http://vufo.org.vn/Khai-mac-Hoi-nghi-toan-quoc-cong-tac-doi-ngoai-nhan-dan-nam-2022-06-97201.html"
    assert f"{url}?lang=vn" in found_004
    assert any(s.endswith("(Ảnh: Nguyễn Tùng).") for s in found_004)


def test_every_seed_is_covered_by_its_spans() -> None:
    for path in sample_pages():
        text = normalize_text(path.read_text(encoding="utf-8"))
        covered = "".join(text[s:e] for s, e in split_sentences(text))
        assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


_ALPHABET = st.sampled_from(list("aăâbcdđeêhiklmnoôơpqrstuưvxyÀÁẢĐÔƠƯTHN0123456789 .!?…“”«»()\"'\n,:/@-"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200))
def test_spans_are_ordered_stripped_and_cover_all_visible_characters(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    visible = {i for i, ch in enumerate(text) if not ch.isspace()}
    in_spans = {i for start, end in spans for i in range(start, end)}
    assert visible <= in_spans
