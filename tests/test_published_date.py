"""Vietnamese date expressions as scraped pages and metadata write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ingest.published_date import (
    choose_publication_date,
    dominant_year,
    find_dates,
    find_day_months,
    find_event_date,
    find_relative_day,
    parse_published_date,
    resolve_day_month,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/06/2020", date(2020, 6, 24)),
        ("26/06/2019", date(2019, 6, 26)),
        ("[Đăng ngày: 08/10/2019]", date(2019, 10, 8)),
        ("14:08 | 02/12/2022", date(2022, 12, 2)),
        ("Thứ Tư, 28/02/2024 08:59", date(2024, 2, 28)),
        ("ngày 23/6/2020", date(2020, 6, 23)),
        ("ngày 2 tháng 12 năm 2022", date(2022, 12, 2)),
        ("Ngày 2 tháng 9, 1945", date(1945, 9, 2)),
        ("2020-06-24", date(2020, 6, 24)),
        ("2020-06-24T10:00:00+07:00", date(2020, 6, 24)),
        ("2020-06-24 10:00:00", date(2020, 6, 24)),
        ("2020/06/24", date(2020, 6, 24)),
        ("24.06.2020", date(2020, 6, 24)),
        ("24-06-2020", date(2020, 6, 24)),
        ("Wed, 24 Jun 2020 10:00:00 +0700", date(2020, 6, 24)),
        ("Cập nhật lúc 10:30 ngày 15/03/2023 (GMT+7)", date(2023, 3, 15)),
    ],
)
def test_full_dates(text: str, expected: date) -> None:
    assert parse_published_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "không có ngày", "31/02/2020", "12/13/2020", "1/2/3000", "Chỉ thị 25-CT/TW"]
)
def test_no_date_or_impossible_date(text: str) -> None:
    assert parse_published_date(text) is None


def test_partial_day_month_needs_a_year() -> None:
    assert parse_published_date("Sáng nay (7/7)") is None
    assert parse_published_date("Sáng nay (7/7)", default_year=2022) == date(2022, 7, 7)
    assert parse_published_date("ngày 26/6", default_year=2019) == date(2019, 6, 26)
    assert parse_published_date("ngày 2 tháng 12", default_year=2022) == date(2022, 12, 2)


def test_date_objects_pass_through() -> None:
    assert parse_published_date(date(2020, 1, 2)) == date(2020, 1, 2)
    assert parse_published_date(datetime(2020, 1, 2, 23, 59)) == date(2020, 1, 2)
    assert parse_published_date(None) is None


def test_find_dates_reports_every_date_with_its_span() -> None:
    text = "Kế hoạch số 109-KH/TU ngày 17/10/2018 và Chỉ thị số 25-CT/TW ngày 08/8/2018"
    mentions = find_dates(text)
    assert [m.value for m in mentions] == [date(2018, 10, 17), date(2018, 8, 8)]
    assert text[mentions[0].start : mentions[0].end] == "17/10/2018"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sáng nay (7/7), tại Cao Bằng", (7, 7)),
        ("Chiều nay, 26/6, hội nghị bế mạc", (26, 6)),
        ("Hôm nay ngày 2/12 đoàn đến", (2, 12)),
        ("Ngày 17/11, tại Hà Nội", None),
        ("Sáng nay đoàn đến Hà Nội", None),
    ],
)
def test_relative_day(text: str, expected: tuple[int, int] | None) -> None:
    assert find_relative_day(text) == expected


def test_day_month_mentions_and_resolution() -> None:
    assert find_day_months("ngày 26/6 tại Trung tâm, sáng (7/7) và 23/6/2020") == [(26, 6), (7, 7)]
    assert resolve_day_month(7, 7, 2022) == date(2022, 7, 7)
    assert resolve_day_month(30, 2, 2022) is None
    assert resolve_day_month(7, 7, None) is None


def test_dominant_year_prefers_the_most_mentioned_year() -> None:
    texts = [
        "Hội nghị năm 2022",
        "kết quả 6 tháng đầu năm 2022",
        "kỷ niệm (17/11/1950 - 17/11/2022)",
        "đến năm 2030",
    ]
    assert dominant_year(texts) == 2022
    assert dominant_year(["đến năm 2030", "năm 2030", "năm 2019"], not_after=2024) == 2019
    assert dominant_year(["không có năm"]) is None


def test_event_date_is_taken_only_from_a_sentence_start() -> None:
    assert find_event_date("Ngày 23/6/2020, tại nhà khách Đầm Vạc", None) == date(2020, 6, 23)
    assert find_event_date("Mở đầu. Sáng 7/7, tại Cao Bằng", 2022) == date(2022, 7, 7)
    assert find_event_date("Thực hiện Kế hoạch ngày 17/10/2018 của Tỉnh ủy", 2019) is None


SEED_004_LIKE = [
    "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022",
    "Sáng nay (7/7), tại Cao Bằng, khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022.",
    "Kết quả 6 tháng đầu năm 2022 được chia sẻ tại hội nghị.",
]


def test_render_date_in_a_later_year_gives_way_to_the_today_mention() -> None:
    published, page = choose_publication_date(None, date(2024, 2, 28), SEED_004_LIKE)
    assert (published, page) == (date(2022, 7, 7), date(2024, 2, 28))


def test_header_date_stays_when_the_today_mention_agrees_or_the_year_is_the_same() -> None:
    assert choose_publication_date(None, date(2022, 7, 7), SEED_004_LIKE) == (date(2022, 7, 7), None)
    assert choose_publication_date(None, date(2022, 7, 8), SEED_004_LIKE) == (date(2022, 7, 8), None)


def test_hint_wins_and_missing_header_uses_the_today_mention() -> None:
    assert choose_publication_date("2022-07-08T06:00:00+07:00", date(2024, 2, 28), SEED_004_LIKE) == (
        date(2022, 7, 8),
        None,
    )
    assert choose_publication_date(None, None, SEED_004_LIKE) == (date(2022, 7, 7), None)
    assert choose_publication_date(None, None, ["Không có ngày nào ở đây."]) == (None, None)


def test_document_dates_inside_the_lead_do_not_move_the_header_date() -> None:
    paragraphs = [
        "Hội nghị tập huấn Chỉ thị 25-CT/TW đến năm 2030",
        "Thực hiện Kế hoạch số 109-KH/TU ngày 17/10/2018 của Tỉnh ủy, ngày 26/6 tại Trung tâm Hội nghị tỉnh.",
    ]
    assert choose_publication_date(None, date(2019, 6, 26), paragraphs) == (date(2019, 6, 26), None)


def test_event_date_far_before_a_header_of_another_year_is_the_publication_date() -> None:
    paragraphs = [
        "Đoàn công tác thăm Lào",
        "Ngày 23/6/2020, tại Viêng Chăn, đoàn làm việc về hợp tác năm 2020.",
    ]
    assert choose_publication_date(None, date(2024, 2, 5), paragraphs) == (
        date(2020, 6, 23),
        date(2024, 2, 5),
    )
    # A week earlier is an ordinary delay between event and article: the header date stands.
    recent = ["Tổng kết", "Ngày 28/12/2023, Sở tổ chức hội nghị tổng kết năm 2023."]
    assert choose_publication_date(None, date(2024, 1, 5), recent) == (date(2024, 1, 5), None)
