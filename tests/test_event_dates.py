"""Dates in article text resolved against the publication date (issue 13 §2), on forms and on the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.event_dates import DateMention, find_date_mentions, format_date, resolve_in_sentence
from ingest.loaders import iter_documents
from ingest.page_cleaner import clean_article
from ingest.vietnamese_text import fold_accents
from tests.conftest import SAMPLE_ARCHIVE

PUBLISHED = date(2022, 7, 7)  # a Thursday


def only(text: str, published: date | None = PUBLISHED) -> DateMention:
    mentions = find_date_mentions(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "written", "value", "precision", "relative"),
    [
        ("Ngày 23/6/2020, tại nhà khách", "Ngày 23/6/2020", date(2020, 6, 23), "day", False),
        ("hạn chót 23-6-2020 cho hồ sơ", "23-6-2020", date(2020, 6, 23), "day", False),
        (
            "ký ngày 23 tháng 6 năm 2020 tại Hà Nội",
            "ngày 23 tháng 6 năm 2020",
            date(2020, 6, 23),
            "day",
            False,
        ),
        ("khai mạc ngày 26/6 tại Trung tâm", "ngày 26/6", date(2022, 6, 26), "day", True),
        ("lễ ký kết (5/7) diễn ra", "5/7", date(2022, 7, 5), "day", True),
        ("đến 26/6 vẫn chưa xong", "26/6", date(2022, 6, 26), "day", True),
        ("báo cáo tháng 6/2020 nêu rõ", "tháng 6/2020", date(2020, 6, 1), "month", False),
        ("báo cáo tháng 6 năm 2020 nêu rõ", "tháng 6 năm 2020", date(2020, 6, 1), "month", False),
        ("kết quả tháng trước rất khả quan", "tháng trước", date(2022, 6, 1), "month", True),
        ("kế hoạch tháng này gồm", "tháng này", date(2022, 7, 1), "month", True),
        ("Năm 2022, tỉnh đã tiếp", "Năm 2022", date(2022, 1, 1), "year", False),
        ("năm nay tỉnh đón nhiều đoàn", "năm nay", date(2022, 1, 1), "year", True),
        ("so với năm ngoái tăng", "năm ngoái", date(2021, 1, 1), "year", True),
        ("so với năm trước tăng", "năm trước", date(2021, 1, 1), "year", True),
        ("Hôm nay, đoàn đến Hà Nội", "Hôm nay", date(2022, 7, 7), "day", True),
        ("Chiều nay đoàn về", "Chiều nay", date(2022, 7, 7), "day", True),
        ("Tối nay sẽ có tiệc", "Tối nay", date(2022, 7, 7), "day", True),
        ("Hôm qua, đoàn đến Hà Nội", "Hôm qua", date(2022, 7, 6), "day", True),
        ("Ngày mai, đoàn rời Hà Nội", "Ngày mai", date(2022, 7, 8), "day", True),
        ("Tuần trước, đoàn đã làm việc", "Tuần trước", date(2022, 6, 27), "day", True),
        ("Tuần này đoàn làm việc", "Tuần này", date(2022, 7, 4), "day", True),
    ],
)
def test_each_form_is_found_and_resolved(
    text: str, written: str, value: date, precision: str, relative: bool
) -> None:
    mention = only(text)
    assert (mention.text, mention.value, mention.precision, mention.relative) == (
        written,
        value,
        precision,
        relative,
    )
    assert text[mention.start : mention.end] == written


def test_today_with_its_day_month_is_one_mention_keeping_the_part_of_day() -> None:
    mention = only("Sáng nay (7/7), tại Cao Bằng, hội nghị khai mạc")
    assert (mention.text, mention.value, mention.part_of_day) == ("Sáng nay (7/7)", date(2022, 7, 7), "Sáng")
    assert mention.display == "Sáng 7/7/2022"
    assert resolve_in_sentence("Sáng nay (7/7), tại Cao Bằng", PUBLISHED) == "Sáng 7/7/2022, tại Cao Bằng"
    # after a comma, a day/month belongs to "hôm qua" only when it is that day, else it is a list item
    assert only("Hôm qua, ngày 6/7, đoàn đến").text == "Hôm qua, ngày 6/7"
    assert [m.text for m in find_date_mentions("hôm qua, ngày 26/6", PUBLISHED)] == ["hôm qua", "ngày 26/6"]
    # the explicit day/month wins over the publication day: the page may have been dated later
    assert only("Chiều nay (6/7) đoàn đến", date(2022, 7, 7)).value == date(2022, 7, 6)


def test_relative_forms_are_rewritten_for_display() -> None:
    text = (
        "Hôm qua, tuần trước, tháng trước và năm ngoái, ngày 26/6 cũng như (5/7); Ngày 23/6/2020 giữ nguyên."
    )
    assert resolve_in_sentence(text, PUBLISHED) == (
        "Ngày 6/7/2022, tuần trước (27/6–3/7/2022), tháng 6/2022 và năm 2021, ngày 26/6/2022 cũng như "
        "(5/7/2022); Ngày 23/6/2020 giữ nguyên."
    )


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("ngày 28/12", date(2023, 1, 2), date(2022, 12, 28)),  # the year boundary
        ("ngày 3/1", date(2022, 12, 28), date(2022, 1, 3)),  # past, same year
        ("ngày 20/2", date(2022, 12, 28), date(2022, 2, 20)),
        ("ngày 28/2", date(2023, 1, 2), date(2023, 2, 28)),  # within two months after: same year
        ("tháng 12", date(2023, 1, 2), date(2022, 12, 1)),
        ("Tuần trước", date(2023, 1, 2), date(2022, 12, 26)),
        ("tháng trước", date(2023, 1, 15), date(2022, 12, 1)),
        ("năm ngoái", date(2023, 1, 2), date(2022, 1, 1)),
        ("ngày 29/2", date(2024, 3, 1), date(2024, 2, 29)),
    ],
)
def test_year_boundaries(text: str, published: date, expected: date) -> None:
    assert only(text, published).value == expected


def test_a_week_across_new_year_shows_both_years() -> None:
    assert only("Tuần này", date(2023, 1, 1)).display == "Tuần này (26/12/2022–1/1/2023)"


def test_undated_article_leaves_relative_forms_unresolved() -> None:
    text = "Sáng nay (7/7), hôm qua, ngày 26/6, tháng trước, năm ngoái, tuần này; Ngày 23/6/2020."
    mentions = find_date_mentions(text, None)
    assert [m.text for m in mentions] == [
        "Sáng nay (7/7)", "hôm qua", "ngày 26/6", "tháng trước", "năm ngoái", "tuần này", "Ngày 23/6/2020",
    ]  # fmt: skip
    assert [m.value for m in mentions[:-1]] == [None] * 6
    assert mentions[-1].value == date(2020, 6, 23)  # a full date needs no publication date
    assert resolve_in_sentence(text, None) == text


def test_unaccented_text_works_like_accented() -> None:
    accented = (
        "Sáng nay (7/7), tại Cao Bằng; ngày 26/6; tháng trước; năm ngoái; hôm qua; ngày 23 tháng 6 năm 2020"
    )
    plain = fold_accents(accented)
    assert [(m.start, m.end, m.value, m.precision) for m in find_date_mentions(plain, PUBLISHED)] == [
        (m.start, m.end, m.value, m.precision) for m in find_date_mentions(accented, PUBLISHED)
    ]
    assert resolve_in_sentence("Sang nay (7/7), tai Cao Bang", PUBLISHED) == "Sang 7/7/2022, tai Cao Bang"


@pytest.mark.parametrize(
    "text",
    [
        "phổ biến Chỉ thị 25-CT/TW của Ban Bí thư",
        "Kế hoạch số 109-KH/TU của Tỉnh ủy",
        "theo Nghị định 15/2020/NĐ-CP",
        "Quyết định số 12/6 của UBND",
        "đội nhà thắng với tỷ số 2/1",
        "Báo cáo 6 tháng đầu năm của Liên hiệp",
        "cách mạng công nghệ 4.0 lúc 08:59",
        "ngày 32/13 không có",
        "từ đó tới nay, ngày nay",  # "tới nay" is not "tối nay", "ngày nay" is "nowadays"
        "Tuần lễ Việt Nam 2022 tại Pháp",  # "Nam 2022" is not "năm 2022"
        "hai năm trước, những năm trước, năm trước đó, nhiều năm nay",
    ],
)
def test_numbers_durations_and_lookalikes_are_not_dates(text: str) -> None:
    assert find_date_mentions(text, PUBLISHED) == []


def test_ranges_give_two_mentions() -> None:
    mentions = find_date_mentions("Ngày Truyền thống (17/11/1950 - 17/11/2022)", PUBLISHED)
    assert [(m.text, m.value) for m in mentions] == [
        ("17/11/1950", date(1950, 11, 17)),
        ("17/11/2022", date(2022, 11, 17)),
    ]
    start, end = find_date_mentions("diễn ra từ 1/7 đến 5/7/2021", PUBLISHED)
    assert (start.value, start.relative, end.value) == (date(2021, 7, 1), False, date(2021, 7, 5))


def test_document_numbers_beside_their_dates() -> None:
    text = "Thực hiện Kế hoạch số 109-KH/TU ngày 17/10/2018 về Chỉ thị số 25-CT/TW ngày 08/8/2018"
    assert [(m.text, m.value) for m in find_date_mentions(text, PUBLISHED)] == [
        ("ngày 17/10/2018", date(2018, 10, 17)),
        ("ngày 08/8/2018", date(2018, 8, 8)),
    ]


def test_historical_years_written_out_are_dates_not_this_years_day() -> None:
    # Before, 1792 was outside the publication range: "21 tháng 9" alone was read as 21/9/2022.
    assert (only("Ngày 21 tháng 9 năm 1792, chế độ quân chủ bị bãi bỏ.").value) == date(1792, 9, 21)
    assert only("Năm 1796, những người châu Âu đến quần đảo.").value == date(1796, 1, 1)
    assert only("vào tháng 5 năm 1860", None).value == date(1860, 5, 1)
    assert find_date_mentions("mã 1/2/1500 trên hồ sơ", PUBLISHED) == []  # a slash code, not a date


def test_format_date() -> None:
    assert format_date(date(2022, 7, 7), "day") == "7/7/2022"
    assert format_date(date(2022, 7, 1), "month") == "7/2022"
    assert format_date(date(2022, 1, 1), "year") == "2022"


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, date | None]]:
    articles = [clean_article(doc) for doc in iter_documents([SAMPLE_ARCHIVE], 50 * 2**20)]
    return {a.article_id[:3]: (a.text, a.metadata.published_date) for a in articles}


def test_seed_004_today_resolves_to_the_conference_day(seeds) -> None:
    text, published = seeds["004"]
    assert published == date(2022, 7, 7)  # the page cleaner reads the article's own day, not 28/02/2024
    lead = text.split("\n")[0]
    assert resolve_in_sentence(lead, published).startswith("Sáng 7/7/2022, tại Cao Bằng, Liên hiệp")
    later = [m for m in find_date_mentions(text, published) if m.text == "sáng 7/7"]
    assert len(later) == 1 and later[0].value == date(2022, 7, 7) and later[0].part_of_day == "sáng"


def test_seed_001_day_month_takes_the_publication_year_and_document_numbers_are_not_dates(seeds) -> None:
    text, published = seeds["001"]
    mentions = {m.text: m.value for m in find_date_mentions(text, published)}
    assert mentions["ngày 26/6"] == date(2019, 6, 26)
    assert mentions["ngày 17/10/2018"] == date(2018, 10, 17)
    assert not any("CT" in t or "KH" in t for t in mentions)


def test_seed_003_and_000_event_dates(seeds) -> None:
    text, published = seeds["003"]
    assert published == date(2022, 12, 2)
    values = {m.text: m.value for m in find_date_mentions(text, published)}
    assert values["Ngày 2/12/2022"] == date(2022, 12, 2)
    text, published = seeds["000"]
    first = find_date_mentions(text, published)
    assert [(m.text, m.value) for m in first[:2]] == [
        ("Năm 2020", date(2020, 1, 1)),
        ("Ngày 23/6/2020", date(2020, 6, 23)),
    ]
    assert not any("tháng đầu" in m.text for m in first)


def test_months_written_as_words() -> None:
    full = only("Ngày 1 tháng năm 1860, Paris có thêm 8 quận.", None)
    assert (full.text, full.value, full.precision) == ("Ngày 1 tháng năm 1860", date(1860, 5, 1), "day")
    assert only("Lễ hội diễn ra vào tháng Bảy.").display == "tháng 7/2022"
    assert only("Ngày 20 tháng mười hai năm 1946 toàn quốc kháng chiến.", None).value == date(1946, 12, 20)
    first_month = only("Tết tháng Giêng năm nay đông khách.")
    assert (first_month.text, first_month.display) == ("tháng Giêng năm nay", "tháng 1/2022")
    # Words that count after "tháng" are no month unless a day or a year makes them one.
    assert find_date_mentions("Mỗi tháng một lần đoàn về thăm.", PUBLISHED) == []
    assert find_date_mentions("Những tháng năm gian khổ đã qua.", PUBLISHED) == []
