"""Resolving follow-up questions into standalone ones.

With an LLM, the condense prompt rewrites the question. Without one we carry the previous question's
topic and dates over: "Còn năm 2019 thì sao?" after a question about the 2022 conference becomes that
question with 2019 in place of 2022; "Ai chủ trì hội nghị đó?" gets the previous topic appended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.question.analysis import analyse_question
from ingest.vietnamese_text import fold_accents


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, as needed to understand the next question."""

    question: str
    standalone: str
    answer: str = ""
    date_from: date | None = None
    date_to: date | None = None


_REFERENCE = re.compile(r"\b(do|nay|ay|tren|thi sao|the con|vay con|con)\b")
_FOLLOW_UP_START = re.compile(r"^\s*(con|vay|the|thế|còn|vậy)\b", re.IGNORECASE)
_YEAR_PHRASE = re.compile(r"\b(năm|nam)\s+\d{4}\b", re.IGNORECASE)
_TRAILING_REFERENCE = re.compile(r"\s*\b(đó|này|ấy|trên|do|nay|ay)\b", re.IGNORECASE)


def is_follow_up(question: str, history: list[Turn]) -> bool:
    """A question that leans on the conversation: it starts with "còn/vậy", points back ("hội nghị
    đó"), or names no topic of its own (few topical words, no name, no number)."""
    if not history:
        return False
    folded = _TIME_POINTERS.sub(" ", fold_accents(question).lower())
    terms = analyse_question(question).content_terms
    names_nothing = len(terms) <= 4 and not re.search(r"\d", question) and not _has_name(question)
    return (
        bool(_FOLLOW_UP_START.match(folded))
        or bool(_REFERENCE.search(folded))
        or len(terms) < 2
        or names_nothing
    )


def condense_without_llm(question: str, date_phrase: str | None, history: list[Turn]) -> str:
    """A standalone question built from the last turn's topic (no model needed), in plain Vietnamese:
    "Ai chủ trì hội nghị đó?" -> "Ai chủ trì Hội nghị toàn quốc … năm 2022?"."""
    if not is_follow_up(question, history):
        return question
    previous = history[-1].standalone
    own_terms = analyse_question(_YEAR_PHRASE.sub(" ", question)).content_terms
    folded_own = set(own_terms) - {"thi", "sao", "con", "vay"}
    if date_phrase and len(folded_own) <= 1:
        # "Còn năm 2019 thì sao?": the previous question, with the new time in place of the old.
        phrase = date_phrase if re.match(r"(năm|nam)\b", date_phrase, re.IGNORECASE) else f"năm {date_phrase}"
        if _YEAR_PHRASE.search(previous):
            return _YEAR_PHRASE.sub(phrase, previous, count=1)
        topic = topic_phrase(previous)
        return (
            previous.replace(topic, f"{topic} {phrase}", 1)
            if topic in previous
            else f"{previous.rstrip('?.! ')} {phrase}?"
        )
    topic = topic_phrase(previous)
    anaphor = next((m for m in _ANAPHOR.finditer(question) if not _is_time_word(question, m)), None)
    head = " ".join(topic.split()[:2])
    if anaphor:
        # "Ai chủ trì hội nghị đó?" -> "Ai chủ trì Hội nghị toàn quốc … năm 2022?"
        rewritten = f"{question[: anaphor.start()]}{topic}{question[anaphor.end() :]}"
    elif head and re.search(rf"(?<![^\W_]){re.escape(head)}(?![^\W_])", question, re.IGNORECASE):
        # "Hội nghị diễn ra ở đâu?" -> "Hội nghị toàn quốc … năm 2022 diễn ra ở đâu?"
        rewritten = re.sub(
            rf"(?<![^\W_]){re.escape(head)}(?![^\W_])", topic, question, count=1, flags=re.IGNORECASE
        )
    elif _ASKS_FIRST.match(question):
        # "Có bao nhiêu đại biểu tham dự?" -> "Có bao nhiêu đại biểu tham dự Hội nghị …?"
        rewritten = f"{question.strip().rstrip('?.! ')} {topic}"
    else:
        # "Diễn ra ở đâu?" -> "Hội nghị … diễn ra ở đâu?"
        body = question.strip()
        rewritten = f"{topic} {body[:1].lower()}{body[1:]}"
    rewritten = re.sub(r"\s{2,}", " ", rewritten).strip().rstrip("?.! ")
    return f"{rewritten}?"


_ASKS_FIRST = re.compile(
    r"^\s*(?:ai|có bao nhiêu|bao nhiêu|mấy|khi nào|bao giờ|vì sao|tại sao|ở đâu|những|các|có|"
    r"co bao nhieu|bao nhieu|khi nao|bao gio|vi sao|tai sao|o dau|nhung|cac|co)\b",
    re.IGNORECASE,
)


# "hôm nay", "năm nay", "hiện nay", "đến nay": time words, not pointers back to the conversation.
_TIME_POINTERS = re.compile(
    r"\b(hom|sang|chieu|toi|nam|thang|tuan|hien|ngay|den|cho|tu|gan day) (nay|qua|truoc)\b"
)


def _is_time_word(question: str, match: re.Match[str]) -> bool:
    folded = fold_accents(question[max(0, match.start() - 12) : match.end()]).lower()
    return bool(_TIME_POINTERS.search(folded)) and " " not in match.group().strip()


def _has_name(question: str) -> bool:
    words = re.findall(r"[^\W\d_]+", question)[1:]
    return any(w[:1].isupper() for w in words)


# "hội nghị đó", "sự kiện này", "bài ấy", "lớp bồi dưỡng trên": a noun of the topic plus a pointer.
_ANAPHOR = re.compile(
    r"(?<![^\W_])((?:hội nghị|hội thảo|sự kiện|chương trình|lớp bồi dưỡng|lớp học|lớp|buổi lễ|lễ|buổi|"
    r"chỉ thị|kế hoạch|bài viết|bài báo|bài|hoạt động|đoàn|chuyến thăm|cuộc họp|diễn đàn)\s+)?"
    r"(?:đó|này|ấy|trên|kia|do|nay|ay)(?![^\W_])",
    re.IGNORECASE,
)
# Where a question's topic ends: the verb or question word that follows the event's name.
# Where a question's topic ends: the verb or question word that follows the event's name. Matched on the
# folded question (same length), so an unaccented question is cut the same way.
_TOPIC_END = re.compile(
    r"\s+(?:duoc|da|se|dien ra|to chuc(?= (?:o|tai|vao|khi|nam|ngay|bao|nhu|luc)\b| ?[?.!]|$)|khai mac|co|la|do|"
    r"o dau|tai dau|o khach san|tai khach san|khi nao|bao gio|vao|ngay nao|luc nao|the nao|nhu the nao|"
    r"gom|nham|voi|ban hanh)(?![^\W_])"
    r"|\s*[?,;.!]",
)
_TOPIC_START = re.compile(
    r"(?<![^\W_])(?:hội nghị|hội thảo|lớp|lễ|chỉ thị|kế hoạch|nghị quyết|sự kiện|chương trình|diễn đàn|"
    r"đại hội|chuyến thăm|cuộc|buổi|hoi nghi|hoi thao|lop|le|chi thi|ke hoach)(?![^\W_])",
    re.IGNORECASE,
)


def points_back(question: str) -> bool:
    """Whether the question names the previous turn's event with a noun and a pointer ("lớp đó", "hội
    nghị này"): the user has said the topic stays, so the new words are what is asked about it ("kéo dài
    mấy ngày", "học phí"), not a new topic, even when the article never uses them."""
    return any(match.group(1) and not _is_time_word(question, match) for match in _ANAPHOR.finditer(question))


def topic_phrase(question: str) -> str:
    """The event a question is about, without its question words: "Hội nghị toàn quốc … năm 2022 được
    tổ chức vào ngày nào?" -> "Hội nghị toàn quốc … năm 2022"."""
    text = question.strip()
    start = _TOPIC_START.search(text)
    if start is None:
        capital = next(
            (m for m in re.finditer(r"[^\W\d_]+", text) if m.start() > 0 and m.group()[:1].isupper()), None
        )
        body = text[capital.start() :] if capital else text
    else:
        body = text[start.start() :]
    folded = fold_accents(body).lower()
    end = _TOPIC_END.search(folded) if len(folded) == len(body) else None
    topic = body[: end.start()] if end and end.start() > 0 else body
    topic = topic.strip().rstrip("?.! ")
    return topic or text.rstrip("?.! ")


def carried_dates(
    own_from: date | None, own_to: date | None, history: list[Turn], follow_up: bool
) -> tuple[date | None, date | None]:
    """A follow-up without its own dates keeps the previous question's date range."""
    if own_from or own_to or not follow_up or not history:
        return own_from, own_to
    return history[-1].date_from, history[-1].date_to
