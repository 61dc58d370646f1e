"""Example questions built from the archive's newest headlines, so they always have an answer in it.

Headlines of a dated event ("Khai mạc Hội nghị … năm 2022") become "Hội nghị … năm 2022 diễn ra ở
đâu?" or "… diễn ra khi nào?" (the year identifies the event; the two alternate so the examples show
different kinds of question); one other headline becomes "Tóm tắt: …". Every example is written in full
with its diacritics: a question cut with "…" or typed without accents reads like a typo. They are shown
as links that ask the question on a click (`examples_html`, handled by page_assets.PAGE_LINKS_JS).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date

from assistant.archive_catalog import Headline

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
EVENT_QUESTION_ENDS = (" diễn ra ở đâu?", " diễn ra khi nào?")
SUMMARY_PREFIX = "Tóm tắt: "
EXAMPLES_LABEL = "Câu hỏi mẫu"


def example_questions(headlines: Iterable[Headline], limit: int = 4) -> list[str]:
    """Up to `limit` questions from the newest headlines: event questions (newest first) and one
    "Tóm tắt: …" (more of either when the other kind runs short)."""
    newest_first = sorted(
        headlines,
        key=lambda headline: (headline.published_date or date.min, headline.article_id),
        reverse=True,
    )
    events: list[tuple[int, str]] = []
    summaries: list[tuple[int, str]] = []
    for position, headline in enumerate(newest_first):
        event = event_of_headline(headline.title)
        if event is not None:
            if all(event != other for _, other in events):
                events.append((position, event))
        elif (summary := summary_question(headline.title)) is not None:
            summaries.append((position, summary))
    chosen = events[: max(1, limit - 1)] + summaries[:1]
    taken = {position for position, _ in chosen}
    spare = [item for item in events + summaries if item[0] not in taken]
    chosen += spare[: max(0, limit - len(chosen))]
    # Event questions first (newest first), alternating where/when; then the summaries.
    chosen_events = sorted(item for item in chosen if item in events)
    questions = [f"{event}{EVENT_QUESTION_ENDS[index % 2]}" for index, (_, event) in enumerate(chosen_events)]
    questions += [text for position, text in sorted(chosen) if (position, text) in summaries]
    return questions[:limit]


def _clean_title(title: str) -> str | None:
    title = " ".join(title.split()).strip(" .")
    if not MIN_TITLE_CHARS <= len(title) <= MAX_TITLE_CHARS:
        return None
    if title.isupper():  # "KHAI MẠC LỚP BỒI DƯỠNG …" reads better in sentence case
        title = title[:1] + title[1:].lower()
    return _PLACE_PREFIX.sub("", title)


def event_of_headline(title: str) -> str | None:
    """The dated event a headline announces ("Khai mạc Hội nghị … năm 2022" -> "Hội nghị … năm
    2022"), or None."""
    cleaned = _clean_title(title)
    if cleaned is None:
        return None
    event = _EVENT_OPENERS.sub("", cleaned)
    event = event[:1].upper() + event[1:]
    return event if _EVENT_WORDS.match(event) and _YEAR.search(event) else None


def summary_question(title: str) -> str | None:
    """ "Tóm tắt: <headline>", or None for an unusable headline."""
    cleaned = _clean_title(title)
    return f"{SUMMARY_PREFIX}{cleaned}" if cleaned else None


def question_from_headline(title: str) -> str | None:
    """A natural question about the article a headline names, or None for an unusable headline."""
    event = event_of_headline(title)
    return f"{event}{EVENT_QUESTION_ENDS[0]}" if event else summary_question(title)


def examples_html(questions: list[str]) -> str:
    """The examples (for a gr.HTML, which renders no Markdown) as links that ask on a click; headline
    text is HTML-escaped: it is data, never markup."""
    if not questions:
        return ""
    links = "".join(
        f'<li><a href="#cau-hoi" class="hoi-tiep cau-hoi-mau" title="Hỏi câu này">'
        f"{html.escape(question)}</a></li>"
        for question in questions
    )
    return f"<div class='cau-hoi-mau-khung'><div class='cau-hoi-mau-nhan'>{EXAMPLES_LABEL}</div><ul>{links}</ul></div>"
