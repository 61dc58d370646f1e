"""Recognising page furniture line by line: buttons, share bars, menus, slogan banners, "related
articles" sections and teasers, attachment lists.

Vietnamese provincial portals and news sites are built from a handful of CMSs, so their furniture repeats
the same words ("In bài viết", "Các tin khác", "Xem tất cả »"). Each rule below matches a *whole* line
(or a clear line prefix), never words inside a sentence, so article text is not touched.
"""

from __future__ import annotations

import re

from ingest.vietnamese_text import fold_accents

# Whole-line controls, compared accent-folded and lower-cased, without trailing punctuation/arrows.
_ACTION_PHRASES = tuple(
    (
        "in bài viết|in bài|in trang|in|bản in|gửi email|gửi bài viết qua email|gửi bài viết|chia sẻ|"
        "chia sẻ bài viết|lưu bài viết|lưu|quay lại|trở về|trở lại|về đầu trang|đầu trang|lên đầu trang|"
        "xem tất cả|xem thêm|xem tiếp|đọc tiếp|gửi bình luận|ý kiến của bạn|file đính kèm|tệp đính kèm|"
        "tài liệu đính kèm|tải về|tải xuống|facebook|twitter|zalo|tweet|like|share|email|print|cỡ chữ|"
        "a- a+|a a a|tags|từ khóa|từ khoá|thẻ|nghe đọc bài viết|nghe bài viết|phóng to|thu nhỏ|bản để in|"
        "gửi cho bạn bè|trang chủ|đánh giá bài viết|tweet chia sẻ"
    ).split("|")
)
_SOCIAL_WORDS = frozenset(
    {"facebook", "twitter", "zalo", "email", "in", "print", "share", "tweet", "like", "0"}
)
# Prefixes of one-line teasers and tag lists: "Xem thêm: <another article>", "Từ khóa: a, b, c".
_TEASER_PREFIX = re.compile(
    r"^(?:>>|»|(?:xem thêm|đọc thêm|tin liên quan|bài liên quan|xem tiếp|mời xem|mời bạn đọc xem|"
    r"tags?|từ khóa|từ khoá|thẻ|chủ đề)\s*[:>»])",
    re.IGNORECASE,
)
# Headings that open the "related / other articles" part of a page: everything after them is gone.
_SECTION_CUTOFF = re.compile(
    r"^(?:các\s+)?(?:tin|bài|bài viết|tin tức)\s+(?:liên quan|khác|cùng chuyên mục|cùng loại|cùng danh mục|"
    r"mới hơn|cũ hơn|đã đưa|đã đăng|mới nhất|đọc nhiều|xem nhiều|nổi bật|mới cập nhật)"
    r"(?:\s+(?:nhất|ngày|khác))?(?:\s*[:»›>].{0,40}|\s+(?:ngày\s*)?\S{0,12})?$"
    r"|^(?:có thể bạn quan tâm|bạn có thể quan tâm|đọc nhiều nhất|xem nhiều nhất|tin đọc nhiều|"
    r"ý kiến bạn đọc|bình luận|ý kiến|gửi ý kiến|viết bình luận|cùng chuyên mục)\s*[:»›>]?\s*(?:\(\d+\))?$",
    re.IGNORECASE,
)
_ATTACHMENT = re.compile(r"^[^\s].{0,150}\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z)$", re.IGNORECASE)
_NAV_SPLIT = re.compile(r"\s*(?:\||»|›|\s>\s|\s/\s)\s*")
_SLOGAN_START = re.compile(
    r"^(?:nhiệt liệt\s+)?(?:chào mừng|kỷ niệm|mừng|hướng tới|thi đua)\b", re.IGNORECASE
)
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:\d{1,2}/\d{1,2}/)?(?:19|20)\d{2}")
_INNER_SENTENCE_BREAK = re.compile(r"(\w{2,})[.!?]\s+[\"“]?(\w)")
_TITLE_ABBREVIATIONS = frozenset({"tp", "ths", "ts", "pgs", "gs", "bs", "ls", "ks", "nxb", "tt", "st"})
_MAX_ACTION_CHARS = 60
_SITE_NAME = re.compile(r"^(?:cổng|trang)\s+thông\s+tin(?:\s+điện\s+tử)?\b|^báo\s+điện\s+tử\b", re.IGNORECASE)
_PHOTO_CREDIT_END = re.compile(r"\((?:ảnh|nguồn ảnh)\b[^)]*\)\.?$", re.IGNORECASE)
_SENTENCE_END = '.!?…"”’)»'


def _action_key(line: str) -> str:
    """Accent-folded, lower-cased, without the arrows and punctuation that decorate buttons."""
    key = fold_accents(line).lower().strip()
    key = re.sub(r"[\s:»›>«‹<.…|•·\-–—+*#]+$", "", key)
    return re.sub(r"^[\s»›>«‹<|•·\-–—*#]+", "", key).strip()


_ACTION_LINES = frozenset(_action_key(phrase) for phrase in _ACTION_PHRASES)


def is_furniture_line(line: str) -> bool:
    """A control, share bar, menu, attachment name, teaser link or repeated link list."""
    if len(line) <= _MAX_ACTION_CHARS:
        key = _action_key(line)
        if not key or key in _ACTION_LINES or set(key.split()) <= _SOCIAL_WORDS:
            return True
    return bool(
        _TEASER_PREFIX.match(line)
        or _ATTACHMENT.match(line)
        or _is_navigation(line)
        or is_repeated_link_list(line)
    )


def is_section_cutoff(line: str) -> bool:
    """A heading such as "Tin liên quan", "Các tin khác", "Các tin đã đưa ngày:" that starts the list
    of other articles at the bottom of a page."""
    return len(line) <= 80 and bool(_SECTION_CUTOFF.match(line.strip()))


def is_banner(line: str) -> bool:
    """Slogan banners portals put above the headline ("Chào mừng kỷ niệm 94 năm ... CHÀO MỪNG ĐẠI HỘI
    ..."): too long for a headline and mostly shouting in capitals, or a run of anniversary slogans
    with their year ranges ("(1930 - 2024)"). Only used on the lines above the headline."""
    letters = [ch for ch in line if ch.isalpha()]
    if len(line) <= 150 or not letters:
        return False
    upper_share = sum(ch.isupper() for ch in letters) / len(letters)
    slogans = bool(_SLOGAN_START.match(line)) and len(_YEAR_RANGE.findall(line)) >= 2
    return upper_share > 0.5 or (len(line) > 250 and (upper_share > 0.3 or slogans))


def undouble(line: str) -> str:
    """The first half of a line made of the same text twice ("X X" -> "X"); other lines unchanged."""
    text = line.strip()
    half = len(text) // 2
    if len(text) % 2 == 1 and text[half] == " " and text[:half] == text[half + 1 :]:
        return text[:half]
    if len(text) % 2 == 0 and text[:half].strip() == text[half:].strip():
        return text[:half].strip()
    return text


def is_site_name(line: str) -> bool:
    """The portal's own name printed above the article: "Cổng thông tin điện tử tỉnh Quảng Ninh"."""
    return len(line) <= 120 and bool(_SITE_NAME.match(line))


def is_doubled_teaser(line: str) -> bool:
    """The same headline twice on one line ("X X"): a related-article link whose anchor text and
    image alt text were both scraped. Articles never repeat a whole sentence back to back."""
    text = line.strip()
    single = undouble(text)
    return single != text and len(single.split()) >= 3


def is_repeated_link_list(line: str) -> bool:
    """A row of links that share a leading phrase: "Chuyên mục X tháng 02/2020 Chuyên mục X tháng
    01/2020 ..." (archive links of a category)."""
    words = line.split()
    if len(words) < 6 or line.rstrip()[-1:] in ".!?":
        return False
    phrase = " ".join(words[:2])
    count = line.count(phrase)
    return count >= 3 and len(words) / count <= 15


def is_headline_like(line: str) -> bool:
    """Could this line be a headline: a few words to a few dozen, not ending like a sentence or label."""
    words = line.split()
    if not 3 <= len(words) <= 40 or len(line) > 250:
        return False
    first = line.lstrip("\"“'‘(«[")[:1]
    if _PHOTO_CREDIT_END.search(line):
        return False  # "... (Ảnh: Reuters)" is a photo caption
    if any(
        end[-1].islower() and start.isupper() and end.lower() not in _TITLE_ABBREVIATIONS
        for end, start in _INNER_SENTENCE_BREAK.findall(line)
    ):
        return False  # "... vừa qua. Cặp đôi ...": two sentences, so running text
    return (first.isupper() or first.isdigit()) and line.rstrip()[-1:] not in ".,;:-–"


def is_body_like(line: str) -> bool:
    """A paragraph of running text: a dozen words or more ending like a sentence, or simply long."""
    words = len(line.split())
    return words >= 30 or (words >= 12 and line.rstrip()[-1:] in _SENTENCE_END)


def ends_sentence(line: str) -> bool:
    return line.rstrip()[-1:] in _SENTENCE_END or line.rstrip().endswith(":")


def _is_navigation(line: str) -> bool:
    """Breadcrumbs and menus: three or more short items separated by |, », › or >."""
    parts = [p for p in _NAV_SPLIT.split(line.strip()) if p]
    if len(parts) < 3:
        return False
    return all(len(p.split()) <= 6 and p[-1] not in ".!?" for p in parts)
