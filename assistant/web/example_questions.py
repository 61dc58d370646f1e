"""Example questions built from the archive's own headlines, so they always have an answer in it.

Headlines of a dated event ("Khai mạc Hội nghị … năm 2022") become "Hội nghị … năm 2022 diễn ra ở đâu?"
(the year identifies the event); other headlines become "Tóm tắt …". One example is repeated without diacritics, to show that typing without
accents works too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from assistant.archive_catalog import Headline
from ingest.vietnamese_text import fold_accents

# Words that open an event headline; what follows them is the event itself.
_EVENT_OPENERS = re.compile(
    r"^(khai mạc|bế mạc|tổ chức|khai giảng|bế giảng|tổng kết|diễn ra|long trọng tổ chức)\s+", re.IGNORECASE
)
_EVENT_WORDS = re.compile(
    r"^(hội nghị|hội thảo|diễn đàn|lớp|lễ|tập huấn|liên hoan|triển lãm|đại hội|chương trình)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\bnăm \d{4}\b", re.IGNORECASE)
_PLACE_PREFIX = re.compile(r"^[^:]{2,40}:\s+")  # "Vĩnh Phúc: Hội nghị …"
MIN_TITLE_CHARS, MAX_TITLE_CHARS = 20, 110
EVENT_QUESTION_END = " diễn ra ở đâu?"


def example_questions(headlines: Iterable[Headline], limit: int = 4) -> list[str]:
    """Up to `limit` questions from the newest headlines: "… diễn ra ở đâu?" for dated events, one
    "Tóm tắt: …", and the first event question again without diacritics."""
    newest_first = sorted(
        headlines,
        key=lambda headline: (headline.published_date or date.min, headline.article_id),
        reverse=True,
    )
    events: list[str] = []
    summaries: list[str] = []
    for headline in newest_first:
        question = question_from_headline(headline.title)
        if question is None or question in events or question in summaries:
            continue
        (events if question.endswith(EVENT_QUESTION_END) else summaries).append(question)
    chosen = events[: max(1, limit - 2)]
    chosen += summaries[: limit - len(chosen) - (1 if events else 0)]
    if events:
        chosen.append(fold_accents(events[0]).lower().rstrip("?"))
    return chosen[:limit]


def question_from_headline(title: str) -> str | None:
    """A natural question about the article a headline names, or None for an unusable headline."""
    title = " ".join(title.split()).strip(" .")
    if not MIN_TITLE_CHARS <= len(title) <= MAX_TITLE_CHARS:
        return None
    if title.isupper():  # "KHAI MẠC LỚP BỒI DƯỠNG …" reads better in sentence case
        title = title[:1] + title[1:].lower()
    title = _PLACE_PREFIX.sub("", title)
    event = _EVENT_OPENERS.sub("", title)
    event = event[:1].upper() + event[1:]
    if _EVENT_WORDS.match(event) and _YEAR.search(event):
        return f"{event}{EVENT_QUESTION_END}"
    return f"Tóm tắt: {title}"
