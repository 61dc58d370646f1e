"""Metadata lines of scraped pages: `Tác giả: Phùng Tuấn - Nguồn: LĐLĐ tỉnh - Số lần được xem: 61`,
`[Đăng ngày: 08/10/2019]`, `Thứ Tư, 28/02/2024 08:59`, `Nguồn:http://...`, bylines such as
`Thanh Huyền` or `Theo Reuters` at the end of an article.

Such a line is recognised only when *every* part of it is a known label with a plausible value (or a
bare date); one unknown part and the line is treated as article text. That asymmetry is deliberate:
leaving a footer line in the body costs little, deleting a sentence of the article loses content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ingest.published_date import find_dates, find_times
from ingest.vietnamese_text import fold_accents

_AUTHOR_LABELS = (
    "tác giả|thực hiện|người thực hiện|bài viết và ảnh|bài và ảnh|bài, ảnh|bài/ảnh|bài viết, ảnh|tin và ảnh|"
    "tin, ảnh|tin/ảnh|bài viết|bài|tin|người viết|viết bởi|phóng viên|nhóm phóng viên|nhóm pv|pv|người đăng|"
    "đăng bởi|ghi chép|ghi"
)
_CREDIT_LABELS = "ảnh|nguồn ảnh|video|biên tập|người biên tập|btv|biên dịch|người dịch|dịch"
_OUTLET_LABELS = "nguồn|nguồn tin|theo|trích nguồn|nguồn bài viết|nguồn bài"
_URL_LABELS = (
    "đường dẫn bài viết|đường dẫn|link bài viết|link bài gốc|link gốc|link|url|bài gốc|xem bài gốc|"
    "xem bài gốc tại|địa chỉ bài viết"
)
_DATE_LABELS = (
    "ngày đăng|đăng ngày|ngày|đăng lúc|cập nhật|cập nhật lúc|cập nhật ngày|ngày cập nhật|thời gian đăng|"
    "ngày xuất bản|xuất bản|ngày đưa tin|ngày đăng tải|đăng tải|posted|published|date"
)
_COUNTER_LABELS = (
    "lượt xem|số lượt xem|số lần xem|số lần được xem|lượt đọc|lượt truy cập|số lượt truy cập|"
    "tổng lượt truy cập|tổng số lượt truy cập|truy cập|đang online|đang truy cập|trực tuyến|online|hôm nay|"
    "hôm qua|tuần này|tuần trước|tháng này|tháng trước|tất cả|tổng cộng|lượt thích|lượt chia sẻ|bình luận|"
    "lượt bình luận|views|khách|thành viên"
)
_WEATHER_LABELS = "độ ẩm|gió|nhiệt độ|thời tiết|tầm nhìn|áp suất|lượng mưa"
_LABELS_BY_KIND = {
    "author": _AUTHOR_LABELS,
    "credit": _CREDIT_LABELS,
    "outlet": _OUTLET_LABELS,
    "url": _URL_LABELS,
    "date": _DATE_LABELS,
    "counter": _COUNTER_LABELS,
    "weather": _WEATHER_LABELS,
}
_LABELLED = re.compile(
    "^(?:"
    + "|".join(f"(?P<{kind}>{labels})" for kind, labels in _LABELS_BY_KIND.items())
    + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_ANY_LABEL = "|".join(_LABELS_BY_KIND.values())
_SEPARATOR = re.compile(rf"\s+[-–—]\s+|\s*\|\s*|\s*[-–—]\s*(?=(?:{_ANY_LABEL})\s*:)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)\b", re.IGNORECASE)
_DATE_FILLER = re.compile(
    r"\b(?:cập nhật|ngày đăng|đăng|xuất bản|ngày|lúc|gmt\s*[+-]\s*\d{1,2}|utc\s*[+-]?\s*\d{0,2})\b|[\s,()\[\]|:/.\-–]+",
    re.I,
)
_COUNT = re.compile(r"^[\d.,\s]*$")
_BRACKETS = "[]()"
_MAX_NAME_WORDS = 8
_MAX_METADATA_CHARS = 300  # metadata lines are short; longer lines are article text
_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")
_COMPILED_MARK = re.compile(r"^\(?tổng hợp(?:\s+từ\s+.{1,60})?\)?$", re.IGNORECASE)
_THEO = re.compile(
    r"^(?:(?P<name>[^()\[\]]{2,50}?)\s*)?[(\[]?\s*(?:theo|nguồn)\s+(?P<outlet>[^()\[\]:]{2,60}?)\s*[)\]]?$",
    re.IGNORECASE,
)


# News outlets that close articles with their bare name, the way reporters sign theirs.
_KNOWN_OUTLETS = frozenset(
    fold_accents(name).lower()
    for name in (
        "VOV",
        "VOV.vn",
        "TTXVN",
        "TTXVN/Vietnam+",
        "Vietnam+",
        "VietnamPlus",
        "VTV",
        "VTV.vn",
        "VNA",
        "VTC News",
        "Dân Việt",
        "Dân trí",
        "VnExpress",
        "Tuổi Trẻ",
        "Thanh Niên",
        "Tiền Phong",
        "Lao Động",
        "Người Lao Động",
        "Nhân Dân",
        "Báo Nhân Dân",
        "Quân đội nhân dân",
        "QĐND",
        "Công an nhân dân",
        "CAND",
        "SGGP",
        "Sài Gòn Giải Phóng",
        "Hà Nội Mới",
        "Báo Quốc tế",
        "Thế giới & Việt Nam",
        "Thời Đại",
        "VietNamNet",
        "Zing",
        "Znews",
        "Chinhphu.vn",
        "Báo điện tử Chính phủ",
        "Đài Tiếng nói Việt Nam",
        "Thông tấn xã Việt Nam",
        "Sức khỏe & Đời sống",
        "Kinh tế & Đô thị",
        "Pháp luật TP.HCM",
        "An ninh Thủ đô",
    )
)


@dataclass(frozen=True)
class PageFacts:
    """What a metadata line says; every field optional. `merge` keeps values already known."""

    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: date | None = None

    def merge(self, other: PageFacts) -> PageFacts:
        return replace(
            self,
            author=self.author or other.author,
            outlet=self.outlet or other.outlet,
            url=self.url or other.url,
            date=self.date or other.date,
        )


def parse_metadata_line(line: str) -> PageFacts | None:
    """The facts of a line made only of metadata, date, counter and widget parts; None for article text."""
    stripped = line.strip().strip(_BRACKETS).strip()
    if not stripped or len(stripped) > _MAX_METADATA_CHARS:
        return None
    if _URL.fullmatch(stripped):
        return PageFacts(url=_clean_url(stripped))
    facts = PageFacts()
    has_date = False
    bare_times = 0
    last_kind: str | None = None
    for segment in (s.strip().strip(_BRACKETS).strip() for s in _SEPARATOR.split(stripped)):
        if not segment:
            continue
        parsed = _parse_segment(segment)
        if parsed is None and last_kind == "author" and is_name_like(segment):
            facts = replace(facts, author=f"{facts.author} - {segment}")
            continue
        if parsed is None:
            if _is_bare_time(segment):
                bare_times += 1
                continue
            return None
        kind, segment_facts = parsed
        has_date = has_date or segment_facts.date is not None
        facts = facts.merge(segment_facts)
        last_kind = kind
    if bare_times and not has_date:
        return None
    return facts


def parse_trailing_byline(line: str) -> PageFacts | None:
    """A byline closing an article: `Thanh Huyền`, `Theo Reuters`, `Minh Khôi (Theo AFP)`, `Tổng hợp`."""
    text = line.strip()
    if _COMPILED_MARK.fullmatch(text):
        return PageFacts()
    match = _THEO.fullmatch(text)
    if match and _is_outlet_like(match.group("outlet")):
        name = (match.group("name") or "").strip(" -–,")
        if not name:
            return PageFacts(outlet=match.group("outlet").strip())
        if is_name_like(name):
            return PageFacts(author=name, outlet=match.group("outlet").strip())
    if len(text) <= 60 and fold_accents(text).lower() in _KNOWN_OUTLETS:
        return PageFacts(outlet=text)
    if is_name_like(text):
        return PageFacts(author=text)
    return None


def is_name_like(text: str) -> bool:
    """Person names as bylines write them: capitalised syllables (`Thanh Huyền`, `H.Long`, `PV`),
    possibly several joined by `-`, `,` or `và`; no sentence punctuation at the end."""
    text = text.strip()
    if not text or len(text) > 60 or text[-1] in ".:;!?":
        return False
    tokens = [t for t in re.split(r"\s+|\s*[-–,]\s*", text) if t and t.lower() != "và"]
    if not tokens or len(tokens) > _MAX_NAME_WORDS:
        return False
    if len(tokens) == 1 and "." not in tokens[0] and not (tokens[0].isupper() and len(tokens[0]) <= 4):
        return False
    return all(_is_name_token(token) for token in tokens)


def _is_name_token(token: str) -> bool:
    if not token[0].isupper() or _ROMAN_NUMERAL.fullmatch(token):
        return False
    if not all(ch.isalpha() or ch in ".'’" for ch in token):
        return False
    if token.isupper() and len(token) <= 4:
        return True
    return all(
        part[:1].isupper() and (len(part) == 1 or part[1:].islower()) for part in token.split(".") if part
    )


def _is_outlet_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 10 and text[0].isupper() and text[-1] not in ".;:"


def _parse_segment(segment: str) -> tuple[str, PageFacts] | None:
    labelled = _LABELLED.match(segment)
    if labelled is None:
        # "Ngày 29/4/1975." ends like a sentence: a dateline inside a story, not a page stamp.
        dateline = None if segment.endswith(".") else _date_expression(segment)
        return ("date", PageFacts(date=dateline)) if dateline else None
    kind = next(name for name in _LABELS_BY_KIND if labelled[name])
    value = labelled["value"].strip()
    if kind in {"author", "credit"}:
        if not is_name_like(value):
            return None
        return kind, PageFacts(author=value) if kind == "author" else PageFacts()
    if kind in {"outlet", "url"}:
        url = _URL.search(value)
        rest = _URL.sub("", value).strip(" ()[]-–,")
        if kind == "url" and (url is None or rest):
            return None
        if url is None and not _is_outlet_like(value):
            return None
        return kind, PageFacts(outlet=rest or None, url=_clean_url(url.group(0)) if url else None)
    if kind == "date":
        found = _date_expression(value)
        return (kind, PageFacts(date=found)) if found else None
    if kind == "counter":
        return (kind, PageFacts()) if _COUNT.match(value) else None
    return (kind, PageFacts()) if len(value) <= 30 else None


def _date_expression(text: str) -> date | None:
    """The date of a segment that holds nothing but a date, optional weekday, time and filler words."""
    mentions = find_dates(text)
    if not mentions:
        return None
    spans = [(m.start, m.end) for m in mentions] + find_times(text)
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = _DATE_FILLER.sub("", _WEEKDAY.sub("", rest))
    return mentions[0].value if not rest else None


def _is_bare_time(text: str) -> bool:
    """`14:08` or `14:08 GMT+7`: a clock time beside the date on a page's date line."""
    spans = find_times(text)
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return bool(spans) and not _DATE_FILLER.sub("", rest)


def _clean_url(url: str) -> str:
    return url.rstrip(".,;)")
