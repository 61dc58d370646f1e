"""Dates as Vietnamese pages write them: `24/06/2020`, `Thứ Tư, 28/02/2024 08:59`, `ngày 2 tháng 12 năm
2022`, ISO timestamps from meta tags, and partial day/month mentions such as `Sáng nay (7/7)`.

Scraped pages mix the publication date, the day the page was rendered, event dates and deadlines: the
helpers below find and parse date expressions, and `choose_publication_date` decides which one dates
the article (see its docstring for the rule).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

# A page date this many days after the date the article's lead reports on is a render date, not a
# publication date (see `choose_publication_date`).
RENDER_DATE_GAP_DAYS = 180
_LEAD_PARAGRAPHS = 3  # the lead: first paragraphs after the headline
# Plausible publication years: wider would turn numbers like "1/2/3000" into dates.
MIN_YEAR = 1900
MAX_YEAR = 2100

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_YMD_SLASH = re.compile(r"(?<![\d/])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])")
_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\d/])")
_WORDY = re.compile(
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm|,)\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(r"(?<![\d/.\-])(\d{1,2})/(\d{1,2})(?![\d/])")
_DAY_MONTH_WORDY = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?!\s*(?:năm|,)\s*\d{4})(?!\d)", re.I)
# "Sáng nay (7/7)", "hôm nay, 7/7", "Chiều nay ngày 26/6": the page speaks of the day it was written.
_RELATIVE_DAY = re.compile(
    r"\b(?:sáng|chiều|trưa|tối|đêm|hôm)\s+nay\s*(?:\(|,|-|–)?\s*(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?![\d/])",
    re.IGNORECASE,
)
# A sentence opening with a date: "Ngày 23/6/2020, tại ...", "Sáng 7/7, ...", "Chiều ngày 26/6 tại ...".
_EVENT_DATE = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:sáng|chiều|trưa|tối|đêm)\s+)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?=[,\s])",
    re.IGNORECASE | re.MULTILINE,
)
_YEAR_MENTION = re.compile(
    r"(?:\bnăm\s+|(?<!\d)\d{1,2}/(?:\d{1,2}/)?)((?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:AM|PM|SA|CH))?(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A full date found in text, with its character span (to remove it from a header line)."""

    start: int
    end: int
    value: date


def make_date(year: int, month: int, day: int, min_year: int = MIN_YEAR) -> date | None:
    """A `date`, or None for impossible or implausible values (31/02, year 3000). `min_year` is lower
    for event dates whose year is written out (`ingest.event_dates`)."""
    if not min_year <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every full (day, month, year) date in `text`, in order of appearance, spans not overlapping."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None) -> None:
        if value is None or any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(DateMention(start, end, value))

    for match in _ISO.finditer(text):
        add(match.start(), match.end(), make_date(*(int(g) for g in match.groups())))
    for match in _YMD_SLASH.finditer(text):
        add(match.start(), match.end(), make_date(*(int(g) for g in match.groups())))
    for match in _DMY.finditer(text):
        day, _, month, year = match.groups()
        add(match.start(), match.end(), make_date(int(year), int(month), int(day)))
    for match in _WORDY.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        add(match.start(), match.end(), make_date(year, month, day))
    return sorted(found, key=lambda mention: mention.start)


def find_times(text: str) -> list[tuple[int, int]]:
    """Spans of clock times (`08:59`, `14h08`), which header lines carry beside the date."""
    return [match.span() for match in _TIME.finditer(text)]


def find_day_months(text: str) -> list[tuple[int, int]]:
    """(day, month) pairs written without a year: `ngày 26/6`, `(7/7)`, `2 tháng 12`."""
    pairs = [(int(d), int(m)) for d, m in _DAY_MONTH.findall(text)]
    pairs += [(int(d), int(m)) for d, m in _DAY_MONTH_WORDY.findall(text)]
    return [(day, month) for day, month in pairs if 1 <= day <= 31 and 1 <= month <= 12]


def find_relative_day(text: str) -> tuple[int, int] | None:
    """The (day, month) of a "today" mention such as `Sáng nay (7/7)`: the day the article was written."""
    match = _RELATIVE_DAY.search(text)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    return (day, month) if 1 <= day <= 31 and 1 <= month <= 12 else None


def find_event_date(text: str, year: int | None) -> date | None:
    """The date a lead sentence opens with (`Ngày 23/6/2020, tại ...`, `Sáng 7/7, ...`): the day of the
    event reported. Dates inside sentences are skipped: they are usually those of cited documents."""
    match = _EVENT_DATE.search(text)
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    event_year = int(match.group(3)) if match.group(3) else year
    return make_date(event_year, month, day) if event_year is not None else None


def resolve_day_month(day: int, month: int, year: int | None) -> date | None:
    """A partial `d/m` mention made complete with the year it belongs to (None when unknown)."""
    return make_date(year, month, day) if year is not None else None


def year_mentions(texts: Iterable[str]) -> Counter[int]:
    """How often each year is mentioned (`năm 2022`, `7/2022`, `23/6/2020`)."""
    counts: Counter[int] = Counter()
    for text in texts:
        counts.update(int(year) for year in _YEAR_MENTION.findall(text))
    return counts


def dominant_year(texts: Iterable[str], not_after: int | None = None) -> int | None:
    """The year an article talks about: the most often mentioned one (`năm 2022`, `7/2022`,
    `23/6/2020`), ignoring years after `not_after`; ties go to the later year.

    Frequency beats recency because articles also mention targets ("đến năm 2030") and anniversaries
    ("1950"), but they keep coming back to the year they were written in.
    """
    counts = year_mentions(texts)
    candidates = [(n, year) for year, n in counts.items() if not_after is None or year <= not_after]
    return max(candidates)[1] if candidates else None


def parse_published_date(
    value: str | date | datetime | None, *, default_year: int | None = None
) -> date | None:
    """Parse a date hint (JSON `date`, HTML meta, a page's date line) into a `date`.

    Accepts every format in this module's docstring plus RFC 2822 (`Wed, 24 Jun 2020 10:00:00
    +0700`). A day/month without year is resolved against `default_year` when given. Returns the first
    date found, or None: a hint that cannot be read must not stop the article from being ingested.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    mentions = find_dates(text)
    if mentions:
        return mentions[0].value
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    relative = find_relative_day(text)
    pairs = [relative] if relative else find_day_months(text)
    if pairs:
        return resolve_day_month(pairs[0][0], pairs[0][1], default_year)
    return None


def choose_publication_date(
    hint: str | None, header_date: date | None, paragraphs: Sequence[str]
) -> tuple[date | None, date | None]:
    """(published_date, page_date) of an article: its date hint, the page's header date, and its
    headline followed by its body paragraphs.

    A date hint from structured input is the publication date. Otherwise the page's date line is,
    except when it is the day the page was *rendered* rather than written. Portals print the current
    date in the header, so an old article saved later carries a header date far after the events it
    reports. The rule, general for any page:

    * the lead says "today" with a day/month (`Sáng nay (7/7)`, `hôm nay, 26/6`) that differs from the
      header's day/month, and the year the article talks about (most-mentioned year in headline and
      body, not after the header's year) is before the header's year: the article was written on that
      day of that year. Seed 004: header 28/02/2024, "Sáng nay (7/7)", text about 2022 -> 2022-07-07;
    * no "today" mention, but a lead sentence opens with the event's date (`Ngày 23/6/2020, ...`,
      `Sáng 7/7, ...`; a year-less one takes the article's year) more than
      `RENDER_DATE_GAP_DAYS` before the header date while the article never mentions the header's
      year: the lead's date is the better publication date.

    In both cases the header date is kept as `page_date`. Without any header date, a "today" mention
    resolved against the article's year is used.
    """
    hinted = parse_published_date(hint)
    if hinted is not None:
        return hinted, None
    lead = "\n".join(paragraphs[: _LEAD_PARAGRAPHS + 1])
    relative = find_relative_day(lead)
    if header_date is None:
        if relative:
            return resolve_day_month(*relative, dominant_year(paragraphs)), None
        return None, None
    year = dominant_year(paragraphs, not_after=header_date.year)
    if relative and relative != (header_date.day, header_date.month):
        if year is not None and year < header_date.year:
            resolved = resolve_day_month(*relative, year)
            if resolved is not None:
                logger.debug("header date %s is a render date; published %s", header_date, resolved)
                return resolved, header_date
        return header_date, None
    if not relative and year is not None and header_date.year not in year_mentions(paragraphs):
        reported = find_event_date(lead, year)
        if reported is not None and (header_date - reported).days > RENDER_DATE_GAP_DAYS:
            return reported, header_date
    return header_date, None
