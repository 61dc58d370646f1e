"""Date words in a question become a date range for the retriever ("tháng 6/2020" -> June 2020).

Questions to a news archive are often about a period: "năm 2019", "quý III/2022", "từ 2019 đến 2021",
"gần đây". Semantic search cannot honour a period (an article of 2018 about "kế hoạch năm 2019" is as
close as one of 2019), so `parse_query_filters` turns the phrase into `date_from`/`date_to` for the
retriever to filter or boost on, and removes it from the search text where it would only add noise.

Matching runs on the accent-folded, lower-cased question, so "thang 6/2020" and "tháng 6/2020" are the
same; the phrase is cut from the original (NFC) string by position — folding keeps lengths.

Policy (one date phrase per question; explicit phrases win over year mentions, then the leftmost, then
the longest):
- Explicit time expressions — a day, a month, a quarter, a range with "từ/giai đoạn/đến", an open range
  ("trước/sau/từ/đến" + a date), "gần đây/mới đây" (the 90 days ending on the archive's newest article),
  "năm nay/năm ngoái/năm trước/năm vừa qua" (relative to that article's year) — give a STRICT filter and
  are removed from `text` together with a leading "vào/trong".
- A year ("năm 2019", "2019", or a bare "2021-2025") may be part of a name: "Hội nghị ... đối ngoại nhân
  dân năm 2022". It is always parsed and always KEPT in `text` (articles about that event mention it).
  It is strict only when it reads as a time expression: after "vào/trong/hồi/suốt", at the start of the
  question or after "còn/và" ("Còn năm 2019 thì sao?"), at the end of the question ("Những hoạt động đối
  ngoại năm 2019"), or followed by a comma or "thì/có/đã/vừa/sẽ/đang" ("năm 2019 có ..."). Otherwise
  (embedded, e.g. "hoi nghi ... nam 2022 to chuc o dau") it is non-strict: the retriever uses it only as
  a soft boost. A bare 4-digit year without "năm" elsewhere in a sentence is ignored (it may be a count).
- "hôm nay", "ngày mai", "(cuối) tuần này/tới", "tháng này" count from the real today (the user's own
  calendar: an archive cannot say tomorrow's weather), strict, and leave the search text.
- Limitations: only the first phrase counts ("năm 2019 và năm 2020" gives 2019); no relative months or
  weeks ("tháng trước" also reads "thắng trước" once folded).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.vietnamese_text import fold_accents, normalize_text

RECENT_DAYS = 90

_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:\d{1,2}|muoi mot|muoi hai|mot|gieng|hai|ba|tu|nam|sau|bay|tam|chin|muoi|chap)"
_MONTH_WORDS = {"gieng": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8}
_MONTH_WORDS |= {"chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4}
_YEAR_SEP = r"(?:\s*[/.-]\s*|,?\s+nam\s+)"  # "6/2020", "6-2020", "6 năm 2020", "6, năm 2020"
_END = r"(?![\w/])"  # "06/2020/TT-BNG" is a document number, not a month
_TO = r"(?:\s+(?:den|toi|cho den)\s+|\s*[-–—]\s*)"
_LEAD = r"(?:(?:vao|trong)\s+)?"

# A point in time, each alternative fully parsed again by `_point_bounds`.
_POINTS = {
    "day": rf"(?:ngay\s+)?(?<!\d)(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]\s*({_YEAR})",
    "day_words": rf"ngay\s+(\d{{1,2}})\s+thang\s+(\d{{1,2}}){_YEAR_SEP}({_YEAR})",
    "month": rf"thang\s+({_MONTH}){_YEAR_SEP}({_YEAR})",
    "month_bare": rf"(?<![\w/.-])(?<!so )(\d{{1,2}})\s*/\s*({_YEAR})",
    "quarter": rf"quy\s+(iv|iii|ii|i|[1-4]|mot|hai|ba|bon|tu){_YEAR_SEP}({_YEAR})",
    "year": rf"(?:nam\s+)?(?<!\d)({_YEAR})",
}
_POINT = "(?:" + "|".join(f"(?:{pattern})" for pattern in _POINTS.values()) + ")"
_POINT_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _POINTS.items()}
_NAME_LIKE_RANGE = re.compile(rf"(?:nam\s+)?{_YEAR}\s*[-–—]\s*(?:nam\s+)?{_YEAR}")
_STRICT_BEFORE = {"con", "va", "vao", "trong", "hoi", "suot"}
_STRICT_AFTER = {"thi", "co", "da", "vua", "se", "dang"}
_QUESTION_END = re.compile(r"[\s?.!…)\"'”]*")


@dataclass(frozen=True)
class ParsedQuery:
    """A question split into search text and an optional date range (see the module docstring)."""

    text: str
    date_from: date | None = None
    date_to: date | None = None
    matched: str | None = None
    date_filter_strict: bool = False
    # Counted back from the archive's newest article ("gần đây", "năm ngoái"): meaningless in an archive
    # without dates, where only absolute dates and the user's own calendar ("ngày mai") can be matched.
    archive_relative: bool = False


# Bounds from a match: (date_from, date_to) or None when the match is not a real date (31/2/2022).
_Bounds = tuple[date | None, date | None] | None


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    bounds: Callable[[re.Match[str], date], _Bounds]
    name_like: bool = False  # a year mention: kept in text, strict only in a time-expression context


def parse_query_filters(question: str, newest_date: date | None, today: date | None = None) -> ParsedQuery:
    """The question's search text and date range; `newest_date` anchors "gần đây" and "năm nay"."""
    text = normalize_text(question)
    folded = _same_length_folded(text)
    reference = newest_date or today or date.today()
    # Explicit phrases before year mentions, then the leftmost, then the longest.
    # (rank: name-like, start, -length), the match, its bounds
    best: tuple[tuple[int, int, int], re.Match[str], tuple[date | None, date | None]] | None = None
    for rule in _RULES:
        for match in rule.pattern.finditer(folded):
            bounds = _safe_bounds(rule, match, reference)
            if bounds is None:
                continue
            name_like = rule.name_like or _is_bare_year_range(match)
            span = match.span()
            if _country_name_not_year(text, match):
                # "Hoa hậu Việt Nam 2022": the year names the contest; "Nam" stays in the name.
                if rule.bounds is not _year:
                    continue
                name_like, span = True, match.span("y")
            rank = (int(name_like), span[0], span[0] - span[1])
            if best is None or rank < best[0]:
                best = (rank, match, bounds)
    now = _NOW_PHRASE.search(folded)
    if now is not None and (best is None or best[0][0] == 1):
        # "hôm nay", "ngày mai", "cuối tuần này": the user's own calendar, not the archive's.
        first, last = _now_bounds(now.group("now"), today or date.today())
        cut = _tidy(f"{text[: now.start()]} {text[now.end() :]}")
        return ParsedQuery(cut or text, first, last, text[now.start() : now.end()].strip(), True)
    if best is None:
        return ParsedQuery(text=text)
    (name_rank, start, negative_length), match, (date_from, date_to) = best
    end = start - negative_length
    matched = text[start:end].strip()
    if name_rank:
        strict = start == match.start() and (
            bool(match.groupdict().get("lead")) or _in_time_context(folded, start, end)
        )
        return ParsedQuery(text, date_from, date_to, matched, strict)
    remaining = _tidy(f"{text[:start]} {text[end:]}")
    relative = match.re in _ARCHIVE_RELATIVE_PATTERNS
    return ParsedQuery(remaining or text, date_from, date_to, matched, True, relative)


_NOW_PHRASE = re.compile(
    r"(?<!\w)(?:vao\s+)?(?P<now>hom nay|ngay mai|cuoi tuan nay|tuan nay|cuoi tuan toi|tuan toi|tuan sau|thang nay)"
    r"(?!\w)"
)


def _country_name_not_year(text: str, match: re.Match[str]) -> bool:
    """ "Việt Nam 2022" folds to "viet nam 2022": that "nam" is the country's, not "năm" (year). Only an
    accented question can tell; a question typed without diacritics keeps the year reading."""
    word = text[match.start() : match.start() + 3]
    if fold_accents(word).lower() != "nam" or word.lower() == "năm":
        return False
    if match.start() == 0 and text == fold_accents(text):
        return False  # "Nam 2022 ..." typed without diacritics: the year reading
    return word[0].isupper() or text != fold_accents(text)


def _now_bounds(phrase: str, today: date) -> tuple[date, date]:
    """The days a today-relative phrase covers, counted from the real `today`."""
    monday = today - timedelta(days=today.weekday())
    if phrase == "hom nay":
        return today, today
    if phrase == "ngay mai":
        return today + timedelta(days=1), today + timedelta(days=1)
    if phrase in ("tuan nay", "cuoi tuan nay"):
        return (monday + timedelta(days=5) if phrase.startswith("cuoi") else monday), monday + timedelta(
            days=6
        )
    if phrase in ("tuan toi", "tuan sau", "cuoi tuan toi"):
        start = monday + timedelta(days=7)
        return (start + timedelta(days=5) if phrase.startswith("cuoi") else start), start + timedelta(days=6)
    return _month_bounds(today.year, today.month)


def _same_length_folded(text: str) -> str:
    """Folded, lower-cased `text` with exactly its length (per character when a mark stands alone)."""
    folded = fold_accents(text).lower()
    if len(folded) == len(text):
        return folded
    return "".join(piece if len(piece := fold_accents(ch).lower()) == 1 else " " for ch in text)


def _safe_bounds(rule: _Rule, match: re.Match[str], reference: date) -> _Bounds:
    try:
        return rule.bounds(match, reference)
    except ValueError:  # day 31 of February, month 13...
        return None


def _is_bare_year_range(match: re.Match[str]) -> bool:
    """ "2021-2025" alone (no "từ", "giai đoạn"...) often names a plan or a term: treat it as a year."""
    return _NAME_LIKE_RANGE.fullmatch(match.group(0)) is not None


def _in_time_context(folded: str, start: int, end: int) -> bool:
    """Whether a year mention reads as a time expression rather than part of a name (module policy)."""
    before = re.findall(r"\w+", folded[:start])
    if not before or before[-1] in _STRICT_BEFORE:
        return True
    after = folded[end:]
    if _QUESTION_END.fullmatch(after) or after.lstrip().startswith((",", ";", ":")):
        return True
    following = re.match(r"\s*(\w+)", after)
    return following is not None and following.group(1) in _STRICT_AFTER


def _tidy(text: str) -> str:
    """Search text after a phrase was cut out: no doubled spaces, stray commas or space before '?'."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:?!])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[\s,;:–—-]+", "", text)
    text = re.sub(r"[\s,;:–—-]+(?=[?.!]*$)", "", text)
    return "" if re.fullmatch(r"[\W_]*", text) else text


# ---------------------------------------------------------------------------- dates of a point
def _point_bounds(point: str) -> tuple[date, date]:
    """First and last day of a point in time written as one of `_POINTS`."""
    for kind, pattern in _POINT_PATTERNS.items():
        found = pattern.fullmatch(point)
        if found is None:
            continue
        if kind in ("day", "day_words"):
            day = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
            return day, day
        if kind in ("month", "month_bare"):
            return _month_bounds(int(found.group(2)), _month_number(found.group(1)))
        if kind == "quarter":
            quarter = int(found.group(1)) if found.group(1).isdigit() else _QUARTERS[found.group(1)]
            first, _ = _month_bounds(int(found.group(2)), 3 * quarter - 2)
            _, last = _month_bounds(int(found.group(2)), 3 * quarter)
            return first, last
        year = int(found.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"not a point in time: {point!r}")


def _month_number(month: str) -> int:
    return int(month) if month.isdigit() else _MONTH_WORDS[month]


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


# ---------------------------------------------------------------------------- rules
def _range(match: re.Match[str], _: date) -> _Bounds:
    (a_from, a_to), (b_from, b_to) = _point_bounds(match["a"]), _point_bounds(match["b"])
    return min(a_from, b_from), max(a_to, b_to)


def _since(match: re.Match[str], _: date) -> _Bounds:
    return _point_bounds(match["a"])[0], None


def _open(match: re.Match[str], _: date) -> _Bounds:
    first, last = _point_bounds(match["a"])
    operator = match["op"]
    if operator == "truoc":
        return None, first - timedelta(days=1)
    if operator == "sau":
        return last + timedelta(days=1), None
    if operator in ("den", "cho den"):
        return None, last
    return first, None


def _months_of_year(match: re.Match[str], _: date) -> _Bounds:
    year = int(match["y"])
    first, _ = _month_bounds(year, _month_number(match["m1"]))
    _, last = _month_bounds(year, _month_number(match["m2"]))
    return (first, last) if first <= last else None


def _point(match: re.Match[str], _: date) -> _Bounds:
    return _point_bounds(match["a"])


def _recent(_: re.Match[str], reference: date) -> _Bounds:
    return reference - timedelta(days=RECENT_DAYS - 1), reference


def _relative_year(match: re.Match[str], reference: date) -> _Bounds:
    year = reference.year if match["rel"] == "nay" else reference.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def _year(match: re.Match[str], _: date) -> _Bounds:
    year = int(match["y"])
    return date(year, 1, 1), date(year, 12, 31)


def _rule(pattern: str, bounds: Callable[[re.Match[str], date], _Bounds], name_like: bool = False) -> _Rule:
    return _Rule(re.compile(rf"(?<!\w)(?:{pattern}){_END}"), bounds, name_like)


_RULES: tuple[_Rule, ...] = (
    _rule(
        rf"{_LEAD}(?:(?:giai doan|thoi ky|khoang thoi gian|khoang)\s+)?(?:(?:tu|ke tu|tinh tu)\s+)?"
        rf"(?P<a>{_POINT}){_TO}(?P<b>{_POINT})",
        _range,
    ),
    _rule(
        rf"(?:ke tu|tinh tu|tu)\s+(?P<a>{_POINT})\s+(?:den|toi|cho den)\s+(?:hien nay|hien tai|nay)", _since
    ),
    _rule(
        rf"{_LEAD}(?:tu\s+)?thang\s+(?P<m1>{_MONTH}){_TO}(?:thang\s+)?(?P<m2>{_MONTH}){_YEAR_SEP}(?P<y>{_YEAR})",
        _months_of_year,
    ),
    _rule(rf"(?<!quy )(?<!thang )(?P<op>truoc|sau|ke tu|tinh tu|tu|cho den|den)\s+(?P<a>{_POINT})", _open),
    _rule(rf"{_LEAD}(?P<a>{'|'.join(_POINTS[kind] for kind in _POINTS if kind != 'year')})", _point),
    _rule(rf"{_LEAD}(?:(?:thoi gian|khoang thoi gian|dao)\s+)?(?:gan day|moi day)(?:\s+nhat)?", _recent),
    _rule(rf"{_LEAD}(?<!\d )nam\s+(?P<rel>nay|ngoai|truoc|vua qua)", _relative_year),
    _rule(rf"(?:(?P<lead>vao|trong|hoi|suot)\s+)?nam\s+(?P<y>{_YEAR})", _year, name_like=True),
    _rule(rf"(?P<lead>vao|trong)\s+(?P<y>{_YEAR})", _year, name_like=True),
    _rule(rf"(?<![\w/.-])(?P<y>{_YEAR})(?=[\s?.!…]*$)", _year, name_like=True),
)

_ARCHIVE_RELATIVE_PATTERNS = {rule.pattern for rule in _RULES if rule.bounds in (_recent, _relative_year)}
