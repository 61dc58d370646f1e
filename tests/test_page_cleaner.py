"""The page cleaner on the five customer seeds (the acceptance test) and on pages of the same kind."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.decoding import decode_bytes
from ingest.models import CleanArticle, RawDocument
from ingest.page_cleaner import EmptyArticleError, clean_article
from tests.conftest import sample_page, sample_pages

# Strings of page furniture and other articles that must not survive anywhere in title or text.
FURNITURE = [
    "Chào mừng kỷ niệm",
    "CHÀO MỪNG",
    "Độ ẩm",
    "Gió:",
    "Lượt xem",
    "Số lần được xem",
    "Đang online",
    "Số lượt truy cập",
    "In bài viết",
    "File đính kèm",
    "Các tin đã đưa ngày",
    "Xem tất cả",
    "Chuyên mục Lao động và Công đoàn",
    "Ngày đăng",
    "Đăng ngày",
    "Tác giả:",
    "Thực hiện:",
    "Bài viết và ảnh:",
    "Nguồn:",
    "Đường dẫn bài viết",
    "http",
    "28/02/2024",
    "14:08",
    "Yêu chuộng hoà bình là đặc điểm nổi trội",
    "Chú trọng đối ngoại nhân dân phục vụ phát triển kinh tế",
    "Bắc Giang: Nâng cao hiệu quả",
    "Tại Bắc Giang, nhiệm vụ này",
    "Chủ động, linh hoạt, sáng tạo tăng tính hấp dẫn",
    "Lễ kỷ niệm 72 năm Ngày Truyền thống",
]

EXPECTED = {
    "000_8e02bbd58b42a3a7": {
        "title": "Hội nghị cập nhật kiến thức công tác Đối ngoại nhân dân năm 2020",
        "published_date": date(2020, 6, 24),
        "author": "Phùng Tuấn",
        "outlet": "LĐLĐ tỉnh",
        "url": None,
        "page_date": None,
        "keep": ["nhà khách Đầm Vạc", "Tây âu & Bắc mỹ Ban đối ngoại TW Đảng chủ trì Hội Nghị", "4.0"],
    },
    "001_9a84a7000a87e853": {
        "title": "Vĩnh Phúc: Hội nghị tập huấn, phổ biến Chỉ thị 25-CT/TW của Ban Bí thư về đẩy mạnh và nâng tầm "
        "đối ngoại đa phương đến năm 2030",
        "published_date": date(2019, 6, 26),
        "author": "Ngọc Vân",
        "outlet": None,
        "url": None,
        "page_date": None,
        "keep": ["Chỉ thị 25-CT/TW", "Quang cảnh hội nghị", "trao đổi thông tin tại Hội nghị"],
    },
    "002_6ae507ffac44b24d": {
        "title": "KHAI MẠC LỚP BỒI DƯỠNG KỸ NĂNG NGHIỆP VỤ ĐỐI NGOẠI NĂM 2019",
        "published_date": date(2019, 10, 8),
        "author": "Chi Giang",
        "outlet": None,
        "url": None,
        "page_date": None,
        "keep": ["khách sạn Ariyana", "Phó Giám đốc Sở Ngoại vụ phát biểu khai mạc lớp bồi dưỡng"],
    },
    "003_4d6faa8e32c1a029": {
        "title": "Tập huấn công tác đối ngoại nhân dân cho 18 Liên hiệp địa phương khu vực phía Nam",
        "published_date": date(2022, 12, 2),
        "author": "Thanh Huyền",
        "outlet": None,
        "url": "https://thoidai.com.vn/tap-huan-cong-tac-doi-ngoai-nhan-dan-cho-18-lien-hiep-dia-phuong-khu-vuc-"
        "phia-nam-179391.html",
        "page_date": None,
        "keep": [
            "Nguyễn Ngọc Hùng",
            "Ông Phan Anh Sơn, Phó Chủ tịch, Tổng thư ký Liên hiệp các tổ chức hữu nghị Việt Nam trình bày tại Hội nghị.",
            "Hội nghị có sự tham dự của các đại diện đến từ 18 Liên hiệp",
            "Ngày 2/12/2022, Liên hiệp các tổ chức hữu nghị Việt Nam",
            "củng cố nội bộ",
        ],
    },
    "004_955a1fbb71e7f89b": {
        "title": "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022",
        "published_date": date(2022, 7, 7),
        "author": None,
        "outlet": None,
        "url": "http://vufo.org.vn/Khai-mac-Hoi-nghi-toan-quoc-cong-tac-doi-ngoai-nhan-dan-nam-2022-06-97201.html"
        "?lang=vn",
        "page_date": date(2024, 2, 28),
        "keep": [
            "Chỉ thị 12-CT/TW",
            "Sáng nay (7/7), tại Cao Bằng",
            "Các đại biểu dự Hội nghị",
            "(Ảnh: Nguyễn Tùng)",
        ],
    },
}


def _clean_seed(article_id: str) -> CleanArticle:
    path = sample_page(article_id)
    return clean_article(
        RawDocument(article_id, str(path), decode_bytes(path.read_bytes(), str(path)), "txt")
    )


def test_every_sample_page_has_expectations() -> None:
    assert sorted(EXPECTED) == [page.stem for page in sample_pages()]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def seed(request: pytest.FixtureRequest) -> tuple[str, CleanArticle]:
    return request.param, _clean_seed(request.param)


def test_seed_headline_and_metadata(seed: tuple[str, CleanArticle]) -> None:
    article_id, article = seed
    expected = EXPECTED[article_id]
    assert article.article_id == article_id
    assert article.title == expected["title"]
    meta = article.metadata
    assert (meta.published_date, meta.page_date) == (expected["published_date"], expected["page_date"])
    assert (meta.author, meta.outlet, meta.url) == (expected["author"], expected["outlet"], expected["url"])


def test_seed_furniture_is_gone(seed: tuple[str, CleanArticle]) -> None:
    _, article = seed
    for furniture in FURNITURE:
        assert furniture not in article.title, furniture
        assert furniture not in article.text, furniture


def test_seed_keeps_article_content_once(seed: tuple[str, CleanArticle]) -> None:
    article_id, article = seed
    for content in EXPECTED[article_id]["keep"]:
        assert article.text.count(content) == 1, content
    paragraphs = article.text.split("\n\n")
    assert all(p.strip() == p and p for p in paragraphs)
    assert len(paragraphs) == len(set(paragraphs)), "duplicate paragraphs"
    assert article.title not in paragraphs, "the headline must not be inside the text"


def test_seed_003_keeps_its_own_paragraphs_but_not_teasers() -> None:
    article = _clean_seed("003_4d6faa8e32c1a029")
    paragraphs = article.text.split("\n\n")
    assert sum("Theo Ban Tổ chức, Hội nghị tập huấn" in p for p in paragraphs) == 1
    assert paragraphs[-1].startswith("Tiếp theo, ông Nguyễn Ngọc Hùng")
    assert "Thanh Huyền" not in article.text
    assert len(paragraphs) == 7


def test_seed_000_caption_split_over_two_lines_is_one_paragraph() -> None:
    article = _clean_seed("000_8e02bbd58b42a3a7")
    assert "Việt Nam tại Liên hiệp quốc, nguyên vụ trưởng vụ Tây âu" in article.text
    assert article.text.startswith("Năm 2020, tình hình quốc tế")
    assert article.text.endswith("ngày càng chuyên nghiệp hơn.")


def _page(*lines: str) -> RawDocument:
    return RawDocument("page", "page.txt", "\n\n".join(lines), "txt")


BODY_1 = (
    "Sáng 15/3, tại Hà Nội, Bộ Ngoại giao tổ chức hội nghị tổng kết công tác đối ngoại năm 2022 với sự tham dự "
    "của đại diện các bộ, ngành và địa phương trên cả nước."
)
BODY_2 = (
    "Phát biểu tại hội nghị, Thứ trưởng nhấn mạnh vai trò của công tác đối ngoại địa phương trong việc thu hút "
    "đầu tư và mở rộng hợp tác quốc tế trong năm 2023."
)


def test_other_portal_layout_with_related_list_and_share_bar() -> None:
    article = clean_article(
        _page(
            "Trang chủ | Tin tức | Đối ngoại | Hoạt động",
            "Hội nghị tổng kết công tác đối ngoại năm 2022",
            "Cập nhật lúc 10:30 ngày 15/03/2023 (GMT+7)",
            BODY_1,
            "Xem thêm: Hội nghị đối ngoại toàn quốc lần thứ 31",
            BODY_2,
            "Minh Anh (Theo TTXVN)",
            "Facebook Twitter Email",
            "Tags: đối ngoại, hội nghị",
            "Tin liên quan",
            "Một bài khác không thuộc bài này",
            "Bài khác nữa (14/03/2023)",
        )
    )
    assert article.title == "Hội nghị tổng kết công tác đối ngoại năm 2022"
    assert article.text == f"{BODY_1}\n\n{BODY_2}"
    assert article.metadata.published_date == date(2023, 3, 15)
    assert (article.metadata.author, article.metadata.outlet) == ("Minh Anh", "TTXVN")


def test_provincial_portal_with_site_name_widgets_attachments_and_other_news() -> None:
    article = clean_article(
        RawDocument(
            "p",
            "p.txt",
            "\n".join(
                [
                    "Cổng thông tin điện tử tỉnh Quảng Ninh",
                    "Độ ẩm: 80%",
                    "Gió: Đông Nam 3m/s",
                    "Nhiệt độ: 28°C",
                    "Sở Ngoại vụ tổ chức Hội nghị triển khai công tác đối ngoại năm 2021",
                    "Ngày cập nhật: 12/05/2021",
                    "Lượt xem: 1234",
                    "",
                    BODY_1,
                    "",
                    BODY_2,
                    "",
                    "Tệp đính kèm",
                    "KH-123-SNgV.pdf",
                    "Người viết: Lê Văn An",
                    "Tin khác",
                    "Hội nghị tổng kết công tác đối ngoại năm 2020 (05/01/2021)",
                    "Về đầu trang",
                ]
            ),
            "txt",
        )
    )
    assert article.title == "Sở Ngoại vụ tổ chức Hội nghị triển khai công tác đối ngoại năm 2021"
    assert article.text == f"{BODY_1}\n\n{BODY_2}"
    assert (article.metadata.published_date, article.metadata.author) == (date(2021, 5, 12), "Lê Văn An")


def test_related_box_inside_the_article_drops_only_the_box() -> None:
    article = clean_article(
        _page(
            "Tiêu đề bài viết về đối ngoại",
            BODY_1,
            "Các tin liên quan:",
            "- Bài A",
            "- Bài B",
            BODY_2,
            BODY_1 + " X",
        )
    )
    assert "Bài A" not in article.text and BODY_2 in article.text


def test_render_date_rule_uses_lead_event_date_far_before_header() -> None:
    article = clean_article(
        _page(
            "Thứ Hai, 05/02/2024 09:00",
            "Đoàn công tác của tỉnh thăm và làm việc tại Lào",
            "Ngày 23/6/2020, tại Viêng Chăn, đoàn công tác của tỉnh do Phó Chủ tịch UBND tỉnh dẫn đầu đã có buổi "
            "làm việc với chính quyền thủ đô Viêng Chăn về hợp tác năm 2020.",
        )
    )
    assert (article.metadata.published_date, article.metadata.page_date) == (
        date(2020, 6, 23),
        date(2024, 2, 5),
    )


def test_header_date_kept_when_article_is_about_its_own_year() -> None:
    article = clean_article(
        _page("Hội nghị tổng kết công tác đối ngoại năm 2022", "16/03/2023", BODY_1, BODY_2)
    )
    assert (article.metadata.published_date, article.metadata.page_date) == (date(2023, 3, 16), None)


def test_today_mention_without_header_date_uses_article_year() -> None:
    article = clean_article(_page("Chiều nay (26/6), hội nghị đối ngoại năm 2019 đã bế mạc tại Vĩnh Phúc."))
    assert article.metadata.published_date == date(2019, 6, 26)


def test_structured_record_uses_hints_and_unescapes_entities() -> None:
    raw = RawDocument(
        "unc-1",
        "corpus.jsonl:3",
        "Bộ GD&amp;ĐT công bố &quot;đề án&quot; mới.\nĐề án được triển khai từ năm 2021.\nTrường Thịnh",
        "jsonl",
        title="Bộ GD&amp;ĐT công bố đề án",
        date="2021-04-15",
        url="https://dantri.com.vn/a.htm",
        category="Giáo dục",
    )
    article = clean_article(raw)
    assert article.title == "Bộ GD&ĐT công bố đề án"
    assert article.text == 'Bộ GD&ĐT công bố "đề án" mới.\n\nĐề án được triển khai từ năm 2021.'
    meta = article.metadata
    assert (meta.published_date, meta.url, meta.category, meta.author) == (
        date(2021, 4, 15),
        "https://dantri.com.vn/a.htm",
        "Giáo dục",
        "Trường Thịnh",
    )


def test_untitled_record_gets_a_title_from_its_first_sentence() -> None:
    text = "Sau thời gian tạm dừng, chương trình đã quay trở lại với khán giả. " * 3
    article = clean_article(RawDocument("x", "x.jsonl:1", text.strip(), "jsonl"))
    assert article.title == "Sau thời gian tạm dừng, chương trình đã quay trở lại với khán giả."
    assert article.text.startswith("Sau thời gian tạm dừng") and article.metadata.published_date is None


def test_doubled_subheading_followed_by_short_line_is_kept_once() -> None:
    raw = RawDocument(
        "r",
        "r.jsonl:1",
        "Món ngon.\nCanh chua cá lóc Canh chua cá lóc\nNguyên liệu:\n- 1kg cá",
        "jsonl",
        title="Món",
    )
    assert "Canh chua cá lóc\n\nNguyên liệu:" in clean_article(raw).text


def test_page_of_only_furniture_is_rejected_in_vietnamese() -> None:
    with pytest.raises(EmptyArticleError, match="không còn nội dung"):
        clean_article(_page("Độ ẩm:", "Gió:", "In bài viết", "Số lượt truy cập: 12"))
