"""Dates the article's text gives for its events, resolved against the article's publication date.

News text says "Sáng nay (7/7)", "ngày 26/6", "năm ngoái", "tháng trước": the reader must know when the
article was written to know the day. A short answer, a briefing's timeline or a date match needs the
full date ("Sáng 7/7/2022"), so every mention is found with its span and resolved here, once.

Rules (all documented choices, tested in tests/test_event_dates.py):

* Matching runs on the accent-folded text, so "sang nay (7/7)" works like "sáng nay (7/7)"; spans refer
  to the original. In accented text the keywords must carry their own accents ("tới nay" is not "tối
  nay", "Việt Nam 2022" is not "năm 2022").
* A day/month without a year takes the publication year, unless that puts it more than
  `FUTURE_TOLERANCE_DAYS` after publication: then the year before (an article of 02/01/2023 saying
  "ngày 28/12" means 28/12/2022). A month without a year follows the same rule.
* A day/month followed by a range end with a year ("từ 1/7 đến 5/7/2022") takes that year.
* "tuần trước / này / tới" resolve to the Monday of that week with precision "day" and `week=True`; the
  display shows the whole week ("tuần trước (27/6–3/7/2022)").
* Counted or anchored periods are not resolved: "hai năm trước", "những năm trước", "năm trước đó",
  "nhiều năm nay" say nothing about one calendar period.
* Document numbers ("Chỉ thị 25-CT/TW", "109-KH/TU", "Nghị định 15/2020/NĐ-CP", "Quyết định số 12/6"),
  durations ("6 tháng đầu năm") and impossible dates (32/13) are not dates.
* Without a publication date, relative mentions keep `value=None` and the text stays as written.
* Months may be written as words: "ngày 1 tháng năm 1860", "tháng Bảy", "tháng Chạp". "một, hai, ba,
  bốn, năm" after "tháng" are a month only when capitalised, after a day or before a year ("mỗi tháng
  một lần" is no January).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ingest.published_date import find_dates, make_date
from ingest.vietnamese_text import fold_accents

DatePrecision = Literal["day", "month", "year"]

# Years an event date may name when the year is written out ("ngày 21 tháng 9 năm 1792", "năm 1796"):
# history is news too (anniversaries, Wikipedia-like background). Slash dates keep the publication
# range of `published_date` (MIN_YEAR): "1/2/1500" is more likely a code than a date.
EVENT_MIN_YEAR = 1000

# A year-less day or month this far after publication belongs to the year before.
FUTURE_TOLERANCE_DAYS = 62

_PART = r"(?P<part>sang|chieu|trua|toi|dem)"
_DIGITS_DM = r"(?<![\d/.\-,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])"
# "Sáng nay (7/7)", "hôm qua", "chiều ngày hôm qua", "ngày mai", "tối nay, 7/7": days named from the writer's.
_RELATIVE_DAY = re.compile(
    rf"\b(?:{_PART}\s+(?P<hom1>(?:ngay\s+)?(?:hom\s+)?)|(?P<hom2>(?:ngay\s+)?hom\s+)|(?P<ngay>ngay\s+))"
    r"(?P<rel>nay|qua|mai)\b"
    r"(?:\s*(?P<open>[(,\-–])?\s*(?:ngay\s+)?(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:[/.\-](?P<y>\d{4}))?(?![\d/]))?",
    re.IGNORECASE,
)
_PREFIX = re.compile(rf"(?:\b{_PART}\s+)?(?:\b(?P<ngay>ngay)\s+)?$", re.IGNORECASE)
_WORDY_FULL = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\s*(?:nam|,)\s*(?P<y>\d{4})(?!\d)", re.IGNORECASE
)
_WORDY_DM = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?![\d/])", re.IGNORECASE)
_SLASH_DM = re.compile(_DIGITS_DM)
_DASH_DM = re.compile(r"\bngay\s+(?P<d>\d{1,2})[.\-](?P<m>\d{1,2})(?![\d/.\-])", re.IGNORECASE)
_RANGE_END_YEAR = re.compile(
    r"\s*(?:-|–|den|toi)\s*(?:ngay\s+)?\d{1,2}(?:[/.\-]\d{1,2})?[/.\-](?P<y>\d{4})(?!\d)", re.IGNORECASE
)
_RELATIVE_YEAR_TAIL = re.compile(r"\s+nam\s+(?P<ry>nay|ngoai|truoc)\b(?!\s+(?:do|nua)\b)", re.IGNORECASE)
_MONTH_YEAR = re.compile(
    r"\bthang\s+(?P<m>\d{1,2})\s*(?:/|-|\s+nam\s+|,\s*)(?P<y>\d{4})(?![\d/])", re.IGNORECASE
)
_MONTH = re.compile(r"\bthang\s+(?P<m>\d{1,2})(?![\d/.\-])", re.IGNORECASE)
_RELATIVE_PERIOD = re.compile(
    r"\b(?P<unit>tuan|thang|nam)\s+(?P<rel>truoc|nay|ngoai|toi|sau)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\bnam\s+(?P<y>\d{4})(?![\d/])", re.IGNORECASE)

_PERIOD_OFFSETS = {
    ("tuan", "truoc"): -1, ("tuan", "nay"): 0, ("tuan", "toi"): 1, ("tuan", "sau"): 1,
    ("thang", "truoc"): -1, ("thang", "nay"): 0, ("thang", "toi"): 1, ("thang", "sau"): 1,
    ("nam", "ngoai"): -1, ("nam", "truoc"): -1, ("nam", "nay"): 0, ("nam", "toi"): 1, ("nam", "sau"): 1,
}  # fmt: skip
_DAY_OFFSETS = {"nay": 0, "qua": -1, "mai": 1}
_YEAR_OFFSETS = {"nay": 0, "ngoai": -1, "truoc": -1}
# Accented spellings a folded keyword must have in accented text ("tối" in "tối nay", "tới" in "năm tới").
_DAY_WORDS = {
    "sang": {"sáng"}, "chieu": {"chiều"}, "trua": {"trưa"}, "toi": {"tối"}, "dem": {"đêm"},
    "ngay": {"ngày"}, "hom": {"hôm"}, "nay": {"nay"}, "qua": {"qua"}, "mai": {"mai"},
}  # fmt: skip
_PERIOD_WORDS = {
    "tuan": {"tuần"}, "thang": {"tháng"}, "nam": {"năm"}, "truoc": {"trước"}, "nay": {"nay", "này"},
    "ngoai": {"ngoái"}, "toi": {"tới"}, "sau": {"sau"}, "ngay": {"ngày"},
}  # fmt: skip
_COUNT_WORDS = {
    "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "vài", "mấy", "nhiều", "những",
    "các", "mỗi", "hàng", "bao", "nhiêu",
}  # fmt: skip
_NOT_A_DATE_BEFORE = {"số", "so", "tỷ số", "tỉ số", "tỷ lệ", "tỉ lệ"}  # "Quyết định số 12/6"
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_MARKED_LETTER = re.compile(r"[^\W\d_a-zA-Z]")


@dataclass(frozen=True)
class DateMention:
    """A date the text gives, with its span in the text and its resolved value.

    `value` is the first day of the month or year for coarser precision, and None when the mention is
    relative and the article is undated. `relative` is True when the year (or the whole date) came from
    the publication date. `part_of_day` keeps "Sáng" of "Sáng nay (7/7)" for display; `week` marks the
    Monday standing for a whole week; `display` is the mention rewritten with its resolved date.
    """

    start: int
    end: int
    text: str
    value: date | None
    precision: DatePrecision
    relative: bool
    part_of_day: str | None = None
    week: bool = False
    display: str = ""


def format_date(value: date, precision: DatePrecision) -> str:
    """Vietnamese day/month/year without zero padding: "7/7/2022", "7/2022", "2022"."""
    if precision == "day":
        return f"{value.day}/{value.month}/{value.year}"
    if precision == "month":
        return f"{value.month}/{value.year}"
    return str(value.year)


def find_date_mentions(text: str, published: date | None) -> list[DateMention]:
    """Every date mention of `text` in order, spans not overlapping, resolved against `published`."""
    return _Finder(text, published).run()


def resolve_in_sentence(sentence: str, published: date | None) -> str:
    """`sentence` with each relative mention replaced by its resolved form ("Sáng nay (7/7)" ->
    "Sáng 7/7/2022", "năm ngoái" -> "năm 2021"); unchanged when the article is undated."""
    result = sentence
    for mention in reversed(find_date_mentions(sentence, published)):
        if mention.relative and mention.value is not None:
            result = result[: mention.start] + mention.display + result[mention.end :]
    return result


def year_for_day_month(day: int, month: int, published: date | None) -> date | None:
    """The date a year-less day/month stands for (see the module rules); None when undated or invalid."""
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        value = make_date(year, month, day)
        if value is not None and (value - published).days <= FUTURE_TOLERANCE_DAYS:
            return value
    return None


def _valid_day_month(day: int, month: int) -> bool:
    return make_date(2000, month, day) is not None  # 2000 is a leap year: 29/2 is a date


def _capitalised_like(word: str, original: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


# Months written as words ("ngày 1 tháng năm 1860", "tháng Bảy", "tháng Chạp"), accented as written.
MONTH_WORDS = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}  # fmt: skip
# These also count things after "tháng" ("mỗi tháng một lần", "những tháng năm gian khổ"): a month only
# when capitalised, after a day ("ngày 1 tháng năm") or before a year ("tháng năm 1860").
_AMBIGUOUS_MONTH_WORDS = frozenset({"một", "hai", "ba", "bốn", "năm"})
_MONTH_WORD = re.compile(
    r"(?<![^\W_])tháng\s+(?P<w>mười\s+một|mười\s+hai|giêng|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|chạp)"
    r"(?![^\W_])",
    re.IGNORECASE,
)


def _months_as_digits(folded: str, text: str) -> tuple[str, list[tuple[int, int]]]:
    """`folded` with each month word after "tháng" rewritten as its number, padded to the word's length
    (spans keep their offsets; a comma after the number when a year follows, as "tháng 5, 1860"), and
    the rewritten words' spans."""
    words: list[tuple[int, int]] = []
    for match in _MONTH_WORD.finditer(text):
        word = match.group("w")
        key = " ".join(word.lower().split())
        if key in _AMBIGUOUS_MONTH_WORDS and not word[:1].isupper():
            day_before = re.search(r"\d\s+$", text[max(0, match.start() - 4) : match.start()])
            year_after = re.match(r"\s+(?:năm\s+)?\d{4}(?!\d)", text[match.end() :])
            if day_before is None and year_after is None:
                continue
        digits = str(MONTH_WORDS[key])
        if re.match(r"\s+\d{4}(?!\d)", text[match.end() :]):
            digits += ","
        start, end = match.start("w"), match.end("w")
        folded = folded[:start] + digits.ljust(end - start) + folded[end:]
        words.append((start, end))
    return folded, words


class _Finder:
    """One pass over one text: patterns in priority order, the first claim on a span wins."""

    def __init__(self, text: str, published: date | None) -> None:
        self.text = text
        self.folded, self.month_words = _months_as_digits(fold_accents(text), text)
        self.published = published
        # Accented Vietnamese has a marked letter in most syllables (about one letter in five); text
        # typed without accents has none. A few stray marks do not make it accented.
        sample = text[:2000]
        letters = len(_LETTER.findall(sample))
        self.accented = letters > 0 and len(_MARKED_LETTER.findall(sample)) / letters > 0.05
        self.found: list[DateMention] = []

    def run(self) -> list[DateMention]:
        self._relative_days()
        self._full_dates()
        self._day_months()
        self._months()
        self._relative_periods()
        self._years()
        return sorted(self.found, key=lambda mention: mention.start)

    # --- helpers -----------------------------------------------------------------------------------
    def _free(self, start: int, end: int) -> bool:
        return all(end <= m.start or m.end <= start for m in self.found)

    def _agrees(self, start: int, end: int, vocabulary: dict[str, set[str]]) -> bool:
        """In accented text, every keyword of the span is spelled with its own accents."""
        if not self.accented:
            return True
        for word in _WORD.findall(self.text[start:end]):
            allowed = vocabulary.get(fold_accents(word).lower())
            if allowed is not None and word.lower() not in allowed:
                return False
        return True

    def _word_before(self, start: int, count: int = 1) -> str:
        """The `count` words right before `start`, separated from it by spaces only ("" otherwise)."""
        match = re.search(rf"(\w+(?:\s+\w+){{{count - 1}}})\s+$", self.text[max(0, start - 40) : start])
        return match.group(1).lower() if match else ""

    def _add(self, start: int, end: int, value: date | None, precision: DatePrecision, relative: bool,
             display: str | None = None, part: str | None = None, week: bool = False) -> None:  # fmt: skip
        # A month word rewritten as digits ends where the word ends, not after its digits.
        end = next((e for s, e in self.month_words if s < end < e), end)
        if not self._free(start, end):
            return
        written = self.text[start:end]
        shown = display if display is not None and value is not None else written
        self.found.append(DateMention(start, end, written, value, precision, relative, part, week, shown))

    def _prefix(self, start: int) -> tuple[int, str | None]:
        """Start of a "sáng ngày" / "ngày" written before the digits at `start`, and the part of day."""
        match = _PREFIX.search(self.folded, max(0, start - 20), start)
        if match is None or match.start() == match.end():
            return start, None
        if match.group("part") and self._agrees(match.start("part"), match.end("part"), _DAY_WORDS):
            return match.start(), self.text[match.start("part") : match.end("part")]
        if match.group("ngay") and self._agrees(match.start("ngay"), match.end("ngay"), _DAY_WORDS):
            return match.start("ngay"), None
        return start, None

    # --- families, in priority order -----------------------------------------------------------------
    def _relative_days(self) -> None:
        for match in _RELATIVE_DAY.finditer(self.folded):
            rel, part = match.group("rel").lower(), match.group("part")
            has_hom = "hom" in (match.group("hom1") or match.group("hom2") or "").lower()
            if (not part and not has_hom and rel != "mai") or (has_hom and rel == "mai"):
                continue  # "ngày nay" is "nowadays"; "hôm mai" is not Vietnamese
            if not self._agrees(match.start(), match.end("rel"), _DAY_WORDS):
                continue
            part_text = self.text[match.start("part") : match.end("part")] if part else None
            explicit = match.group("d") is not None and self._explicit_belongs(match, rel)
            value = self._relative_day_value(match, rel, explicit)
            end = match.end() if explicit else match.end("rel")
            if explicit and match.group("open") == "(" and self.folded[end : end + 1] == ")":
                end += 1
            label = part_text or _capitalised_like("ngày", self.text[match.start() :])
            shown = f"{label} {format_date(value, 'day')}" if value else None
            relative = not (explicit and match.group("y"))
            self._add(match.start(), end, value, "day", relative, shown, part_text)

    def _explicit_belongs(self, match: re.Match[str], rel: str) -> bool:
        """Whether the day/month after "hôm qua" names that day: always in "(7/7)" or "- 7/7"; after a
        comma only when it is the publication day shifted (else it is the next item of a list)."""
        if not _valid_day_month(int(match["d"]), int(match["m"])):
            return False
        if match.group("open") != ",":
            return True
        expected = self._relative_day_value(match, rel, explicit=False)
        return expected is not None and (expected.day, expected.month) == (int(match["d"]), int(match["m"]))

    def _relative_day_value(self, match: re.Match[str], rel: str, explicit: bool) -> date | None:
        if explicit:
            day, month = int(match["d"]), int(match["m"])
            if match.group("y"):
                return make_date(int(match["y"]), month, day)
            return year_for_day_month(day, month, self.published)
        if self.published is None:
            return None
        return self.published + timedelta(days=_DAY_OFFSETS[rel])

    def _full_dates(self) -> None:
        for match in _WORDY_FULL.finditer(self.folded):
            if self._agrees(match.start(), match.end(), _PERIOD_WORDS):
                value = make_date(int(match["y"]), int(match["m"]), int(match["d"]), EVENT_MIN_YEAR)
                start, part = self._prefix(match.start())
                if value is not None:
                    self._add(start, match.end(), value, "day", False, part=part)
        for found in find_dates(self.folded):
            start, part = self._prefix(found.start)
            self._add(start, found.end, found.value, "day", False, part=part)

    def _day_months(self) -> None:
        candidates = [*_WORDY_DM.finditer(self.folded), *_DASH_DM.finditer(self.folded)]
        candidates += _SLASH_DM.finditer(self.folded)
        for match in candidates:
            day, month = int(match["d"]), int(match["m"])
            if not _valid_day_month(day, month) or not self._agrees(
                match.start(), match.end(), _PERIOD_WORDS
            ):
                continue
            digits_start = match.start("d")
            start, part = self._prefix(digits_start) if match.re is not _DASH_DM else (match.start(), None)
            if start == digits_start and self._word_before(start) in _NOT_A_DATE_BEFORE:
                continue
            if start == digits_start and self._word_before(start, 2) in _NOT_A_DATE_BEFORE:
                continue
            end, value, relative = self._year_of_day_month(match.end(), day, month)
            written_head = self.text[start:digits_start]
            shown = f"{written_head}{format_date(value, 'day')}" if value else None
            self._add(start, end, value, "day", relative, shown, part)

    def _year_of_day_month(self, end: int, day: int, month: int) -> tuple[int, date | None, bool]:
        """(end of the mention, value, relative) for a year-less day/month ending at `end`."""
        range_end = _RANGE_END_YEAR.match(self.folded, end)
        if range_end is not None:
            return end, make_date(int(range_end["y"]), month, day), False
        tail = _RELATIVE_YEAR_TAIL.match(self.folded, end)
        if tail is not None and self._agrees(end, tail.end(), _PERIOD_WORDS):
            if self.published is None:
                return tail.end(), None, True
            year = self.published.year + _YEAR_OFFSETS[tail["ry"].lower()]
            return tail.end(), make_date(year, month, day), True
        return end, year_for_day_month(day, month, self.published), True

    def _months(self) -> None:
        for match in _MONTH_YEAR.finditer(self.folded):
            if self._agrees(match.start(), match.end(), _PERIOD_WORDS):
                value = make_date(int(match["y"]), int(match["m"]), 1, EVENT_MIN_YEAR)
                if value is not None:
                    self._add(match.start(), match.end(), value, "month", False)
        for match in _MONTH.finditer(self.folded):
            month = int(match["m"])
            if not 1 <= month <= 12 or not self._agrees(match.start(), match.end(), _PERIOD_WORDS):
                continue
            end, value = match.end(), None
            tail = _RELATIVE_YEAR_TAIL.match(self.folded, end)
            if tail is not None and self._agrees(end, tail.end(), _PERIOD_WORDS):
                end = tail.end()
                if self.published is not None:
                    value = date(self.published.year + _YEAR_OFFSETS[tail["ry"].lower()], month, 1)
            elif self.published is not None:
                value = year_for_day_month(1, month, self.published.replace(day=1))
            word = self.text[match.start() : match.start() + 5]
            shown = f"{word} {format_date(value, 'month')}" if value else None
            self._add(match.start(), end, value, "month", True, shown)

    def _relative_periods(self) -> None:
        for match in _RELATIVE_PERIOD.finditer(self.folded):
            unit, rel = match["unit"].lower(), match["rel"].lower()
            offset = _PERIOD_OFFSETS.get((unit, rel))
            if offset is None or not self._agrees(match.start(), match.end(), _PERIOD_WORDS):
                continue
            before = self._word_before(match.start())
            if (
                before.isdigit()
                or before in _COUNT_WORDS
                or (not self.accented and before in {fold_accents(w) for w in _COUNT_WORDS})
            ):
                continue  # "hai năm trước", "những năm trước", "nhiều năm nay"
            after = (
                _WORD.match(self.text, match.end() + 1)
                if self.text[match.end() : match.end() + 1] == " "
                else None
            )
            if rel != "nay" and after and fold_accents(after.group(0)).lower() in {"do", "nua"}:
                continue  # "năm trước đó", "tuần trước nữa": anchored elsewhere
            value, precision, shown = self._period_value(unit, offset, self.text[match.start() : match.end()])
            self._add(match.start(), match.end(), value, precision, True, shown, week=unit == "tuan")

    def _period_value(
        self, unit: str, offset: int, written: str
    ) -> tuple[date | None, DatePrecision, str | None]:
        if self.published is None:
            return None, "day" if unit == "tuan" else ("month" if unit == "thang" else "year"), None
        published = self.published
        if unit == "nam":
            value = date(published.year + offset, 1, 1)
            return value, "year", f"{written[:3]} {value.year}"
        if unit == "thang":
            months = published.year * 12 + published.month - 1 + offset
            value = date(months // 12, months % 12 + 1, 1)
            return value, "month", f"{written[:5]} {format_date(value, 'month')}"
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        sunday = monday + timedelta(days=6)
        head = f"{monday.day}/{monday.month}" + (f"/{monday.year}" if monday.year != sunday.year else "")
        return monday, "day", f"{written} ({head}–{format_date(sunday, 'day')})"

    def _years(self) -> None:
        for match in _YEAR.finditer(self.folded):
            value = make_date(int(match["y"]), 1, 1, EVENT_MIN_YEAR)
            if value is not None and self._agrees(match.start(), match.end(), _PERIOD_WORDS):
                self._add(match.start(), match.end(), value, "year", False)
