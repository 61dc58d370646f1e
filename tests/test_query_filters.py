"""parse_query_filters: date words become a date range, typed with or without diacritics."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from assistant.question.query_filters import ParsedQuery, parse_query_filters
from ingest.vietnamese_text import fold_accents

NEWEST = date(2023, 3, 15)  # the archive's newest article

# (question, date_from, date_to, matched, strict, text)
EXPLICIT = [
    (
        "Hoạt động đối ngoại tháng 6/2020?",
        date(2020, 6, 1),
        date(2020, 6, 30),
        "tháng 6/2020",
        "Hoạt động đối ngoại?",
    ),
    (
        "tháng 6 năm 2020 có sự kiện gì",
        date(2020, 6, 1),
        date(2020, 6, 30),
        "tháng 6 năm 2020",
        "có sự kiện gì",
    ),
    ("Sự kiện đối ngoại 06/2020", date(2020, 6, 1), date(2020, 6, 30), "06/2020", "Sự kiện đối ngoại"),
    (
        "Tháng Tư năm 2020, tỉnh làm gì?",
        date(2020, 4, 1),
        date(2020, 4, 30),
        "Tháng Tư năm 2020",
        "tỉnh làm gì?",
    ),
    (
        "Có bao nhiêu đoàn từ 2019 đến 2021?",
        date(2019, 1, 1),
        date(2021, 12, 31),
        "từ 2019 đến 2021",
        "Có bao nhiêu đoàn?",
    ),
    (
        "Có bao nhiêu đoàn từ năm 2019 đến năm 2021?",
        date(2019, 1, 1),
        date(2021, 12, 31),
        "từ năm 2019 đến năm 2021",
        "Có bao nhiêu đoàn?",
    ),
    (
        "Kết quả giai đoạn 2019 - 2021 ra sao?",
        date(2019, 1, 1),
        date(2021, 12, 31),
        "giai đoạn 2019 - 2021",
        "Kết quả ra sao?",
    ),
    (
        "Đoàn nào đến thăm từ tháng 3/2020 đến tháng 5/2020?",
        date(2020, 3, 1),
        date(2020, 5, 31),
        "từ tháng 3/2020 đến tháng 5/2020",
        "Đoàn nào đến thăm?",
    ),
    (
        "Đoàn nào đến thăm từ tháng 3 đến tháng 5 năm 2020?",
        date(2020, 3, 1),
        date(2020, 5, 31),
        "từ tháng 3 đến tháng 5 năm 2020",
        "Đoàn nào đến thăm?",
    ),
    ("Kết quả quý 3/2022 thế nào?", date(2022, 7, 1), date(2022, 9, 30), "quý 3/2022", "Kết quả thế nào?"),
    ("Kết quả quý III năm 2022", date(2022, 7, 1), date(2022, 9, 30), "quý III năm 2022", "Kết quả"),
    ("Kết quả quý tư năm 2022", date(2022, 10, 1), date(2022, 12, 31), "quý tư năm 2022", "Kết quả"),
    ("Ngày 7/7/2022 có sự kiện gì?", date(2022, 7, 7), date(2022, 7, 7), "Ngày 7/7/2022", "có sự kiện gì?"),
    (
        "Hội nghị diễn ra vào ngày 2 tháng 12 năm 2022 ở đâu?",
        date(2022, 12, 2),
        date(2022, 12, 2),
        "vào ngày 2 tháng 12 năm 2022",
        "Hội nghị diễn ra ở đâu?",
    ),
    (
        "Gần đây, Việt Nam ký hiệp định nào?",
        date(2022, 12, 16),
        NEWEST,
        "Gần đây",
        "Việt Nam ký hiệp định nào?",
    ),
    ("Mới đây tỉnh đón đoàn nào?", date(2022, 12, 16), NEWEST, "Mới đây", "tỉnh đón đoàn nào?"),
    (
        "Trong thời gian gần đây có hoạt động gì?",
        date(2022, 12, 16),
        NEWEST,
        "Trong thời gian gần đây",
        "có hoạt động gì?",
    ),
    (
        "Năm nay có bao nhiêu hội nghị?",
        date(2023, 1, 1),
        date(2023, 12, 31),
        "Năm nay",
        "có bao nhiêu hội nghị?",
    ),
    (
        "Năm ngoái có bao nhiêu hội nghị?",
        date(2022, 1, 1),
        date(2022, 12, 31),
        "Năm ngoái",
        "có bao nhiêu hội nghị?",
    ),
    ("Các đoàn đến trước năm 2020", None, date(2019, 12, 31), "trước năm 2020", "Các đoàn đến"),
    ("Các đoàn đến sau năm 2020", date(2021, 1, 1), None, "sau năm 2020", "Các đoàn đến"),
    ("Các đoàn đến từ năm 2020", date(2020, 1, 1), None, "từ năm 2020", "Các đoàn đến"),
    ("Các đoàn đến từ năm 2020 đến nay", date(2020, 1, 1), None, "từ năm 2020 đến nay", "Các đoàn đến"),
    ("Các đoàn đến trước ngày 7/7/2022", None, date(2022, 7, 6), "trước ngày 7/7/2022", "Các đoàn đến"),
]


@pytest.mark.parametrize("accented", [True, False], ids=["accented", "unaccented"])
@pytest.mark.parametrize(("question", "date_from", "date_to", "matched", "text"), EXPLICIT)
def test_explicit_time_expressions_are_strict_and_removed_from_text(
    question: str, date_from: date | None, date_to: date | None, matched: str, text: str, accented: bool
) -> None:
    typed = question if accented else fold_accents(question)
    parsed = parse_query_filters(typed, NEWEST)
    assert (parsed.date_from, parsed.date_to) == (date_from, date_to)
    assert parsed.matched == (matched if accented else fold_accents(matched))
    assert parsed.date_filter_strict is True
    assert parsed.text == (text if accented else fold_accents(text))


# (question, year, strict): years stay in the text whatever their strictness.
YEARS = [
    ("Còn năm 2019 thì sao?", 2019, True),
    ("Những hoạt động đối ngoại năm 2019", 2019, True),
    ("Những hoạt động đối ngoại năm 2019?", 2019, True),
    ("Năm 2019, tỉnh đón bao nhiêu đoàn?", 2019, True),
    ("Tỉnh đón bao nhiêu đoàn vào năm 2019 và vì sao?", 2019, True),
    ("Tỉnh đón bao nhiêu đoàn trong năm 2019 và vì sao?", 2019, True),
    ("Hội nghị năm 2019 có bao nhiêu đại biểu?", 2019, True),
    ("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?", 2022, False),
    ("hoi nghi doi ngoai nhan dan nam 2022 to chuc o dau", 2022, False),
    ("Hoạt động đối ngoại 2019", 2019, True),
    ("Tỉnh đón bao nhiêu đoàn vào 2019 và vì sao?", 2019, True),
]


@pytest.mark.parametrize("accented", [True, False], ids=["accented", "unaccented"])
@pytest.mark.parametrize(("question", "year", "strict"), YEARS)
def test_year_mentions_are_kept_in_text_and_strict_only_as_time_expressions(
    question: str, year: int, strict: bool, accented: bool
) -> None:
    typed = question if accented else fold_accents(question)
    parsed = parse_query_filters(typed, NEWEST)
    assert (parsed.date_from, parsed.date_to) == (date(year, 1, 1), date(year, 12, 31))
    assert parsed.date_filter_strict is strict
    assert parsed.text == typed
    assert parsed.matched is not None and str(year) in parsed.matched


def test_bare_year_range_names_a_plan_unless_it_reads_as_time() -> None:
    plan = parse_query_filters("Chiến lược 2021-2030 nói gì về ASEAN", NEWEST)
    assert (plan.date_from, plan.date_to) == (date(2021, 1, 1), date(2030, 12, 31))
    assert plan.date_filter_strict is False
    assert plan.text == "Chiến lược 2021-2030 nói gì về ASEAN"
    period = parse_query_filters("Hoạt động đối ngoại 2019-2021", NEWEST)
    assert (period.date_from, period.date_to, period.date_filter_strict) == (
        date(2019, 1, 1),
        date(2021, 12, 31),
        True,
    )


@pytest.mark.parametrize(
    "question",
    [
        "Hội nghị cập nhật kiến thức công tác đối ngoại có bao nhiêu đại biểu?",
        "2000 người tham gia hội nghị nào?",
        "Thông tư 06/2020/TT-BNG quy định gì?",
        "Ngày 31/2/2022 có sự kiện gì?",  # not a real day
        "Tháng 13/2020 có sự kiện gì?",
    ],
)
def test_no_date_phrase_leaves_the_question_alone(question: str) -> None:
    assert parse_query_filters(question, NEWEST) == ParsedQuery(text=question)


def test_recent_falls_back_to_today_without_an_archive_date() -> None:
    parsed = parse_query_filters("tin gần đây", None, today=date(2024, 5, 31))
    assert (parsed.date_from, parsed.date_to) == (date(2024, 3, 3), date(2024, 5, 31))
    assert parsed.text == "tin"


def test_question_that_is_only_a_date_phrase_keeps_its_text() -> None:
    parsed = parse_query_filters("Tháng 6/2020?", NEWEST)
    assert (parsed.date_from, parsed.date_to) == (date(2020, 6, 1), date(2020, 6, 30))
    assert parsed.text == "Tháng 6/2020?"


def test_decomposed_input_is_normalised_and_result_is_frozen() -> None:
    decomposed = "Hoa\u0323t đo\u0323\u0302ng tha\u0301ng 6/2020"
    parsed = parse_query_filters(decomposed, NEWEST)
    assert parsed.matched == "tháng 6/2020"
    assert parsed.text == "Hoạt động"
    with pytest.raises(FrozenInstanceError):
        parsed.text = "x"  # type: ignore[misc]


def test_today_relative_phrases_count_from_the_real_today() -> None:
    today = date(2026, 12, 2)  # a Wednesday
    weekend = parse_query_filters("Thời tiết Hà Nội cuối tuần này có mưa không?", date(2024, 2, 28), today)
    assert (weekend.date_from, weekend.date_to) == (date(2026, 12, 5), date(2026, 12, 6))
    assert weekend.date_filter_strict and "cuối tuần" not in weekend.text
    gold = parse_query_filters("Giá vàng hôm nay bao nhiêu?", date(2024, 2, 28), today)
    assert (gold.date_from, gold.date_to) == (today, today)
    tomorrow = parse_query_filters("Nhiệt độ ở Đà Lạt ngày mai là bao nhiêu?", None, today)
    assert tomorrow.date_from == date(2026, 12, 3)
