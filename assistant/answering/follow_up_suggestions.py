"""Up to three questions to ask next, shown under an answer (as Perplexity does) and asked on a click.

Built without a model from what the answer is about and what was asked: the topic (the event or document
the question names, else the cited article's headline) and the question's kind. After "… tổ chức ở đâu?"
the natural next questions are when, who chaired it and how many attended; people and documents the
answer's sentences name become questions of their own ("Chỉ thị số 25-CT/TW về vấn đề gì?"). Every
suggestion is a complete Vietnamese question with diacritics; none repeats the question just asked, and
a topic typed without diacritics is replaced by the headline's (a suggestion must not look like a typo).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.answering.answer_models import Answer
from assistant.answering.answer_spans import (
    date_spans,
    document_spans,
    organisation_spans,
    person_spans,
)
from assistant.answering.number_spans import number_spans
from assistant.answering.place_answers import place_spans
from assistant.question.analysis import analyse_question
from assistant.question.follow_up import topic_phrase
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, has_diacritics, word_tokens

MAX_SUGGESTIONS = 3
MAX_TOPIC_CHARS = 90

_EVENT_HEAD = re.compile(
    r"^(?:hội nghị|hội thảo|diễn đàn|lớp|lễ|tập huấn|liên hoan|triển lãm|đại hội|chương trình|cuộc họp|"
    r"buổi|chuyến thăm|sự kiện|hội thi|cuộc thi|giải thưởng|giải đấu)(?![^\W_])",
    re.IGNORECASE,
)
_DOCUMENT_HEAD = re.compile(
    r"^(?:chỉ thị|kế hoạch|nghị quyết|quyết định|thông tư|nghị định|luật|công văn|kết luận|đề án)(?![^\W_])",
    re.IGNORECASE,
)
# Headline words before the event itself ("Khai mạc Hội nghị …", "Vĩnh Phúc: Hội nghị …").
_HEADLINE_OPENER = re.compile(
    r"^(?:khai mạc|bế mạc|tổ chức|khai giảng|bế giảng|tổng kết|diễn ra|long trọng tổ chức)\s+", re.IGNORECASE
)
_PLACE_PREFIX = re.compile(r"^[^:]{2,40}:\s+")
# What a topic phrase may still carry of its question ("Chỉ thị 25-CT/TW … về vấn đề gì").
_YEAR = re.compile(r"\bnăm \d{4}\b", re.IGNORECASE)
_TIME_TAIL = re.compile(
    r"\s+(?:(?:sáng|chiều|trưa|tối|đêm|hôm)\s+(?:nay\b|ngày\s+\d|\d)|(?:vào\s+)?ngày\s+\d)", re.IGNORECASE
)
_QUESTION_TAIL = re.compile(
    r"\s+(?:về vấn đề gì|về nội dung gì|có nội dung gì|là gì|gì|nào|ra sao|thế nào)\s*$", re.IGNORECASE
)

# Titles that mark a person; the plain ones say nothing of the role.
_PERSON_TITLE = re.compile(
    r"^(ông|bà|đồng chí|ngài|đại sứ|tiến sỹ|tiến sĩ|ts\.?|pgs\.?|gs\.?|ths\.?|giáo sư|phó giáo sư|thạc sĩ|"
    r"bộ trưởng|thứ trưởng|chủ tịch|phó chủ tịch|bí thư|giám đốc|phó giám đốc|tổng thống|thủ tướng|"
    r"đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá)\s+\S",
    re.IGNORECASE,
)
_PLAIN_TITLES = frozenset({"ông", "bà", "đồng chí", "ngài"})
_ASKS_CONTENT = re.compile(r"(?:vấn đề|nội dung|điểm) (?:gì|nào)|là gì", re.IGNORECASE)

Template = Callable[[str], str]
# The next questions about an event, by the kind they ask; the order is the order they are offered in.
_EVENT_QUESTIONS: dict[str, Template] = {
    "when": lambda topic: f"{_upper_first(topic)} diễn ra khi nào?",
    "who": lambda topic: f"Ai chủ trì {topic}?",
    "where": lambda topic: f"{_upper_first(topic)} được tổ chức ở đâu?",
    "how_many": lambda topic: f"Có bao nhiêu đại biểu tham dự {topic}?",
    "list": lambda topic: f"{_upper_first(topic)} có những nội dung chính nào?",
}
_DOCUMENT_QUESTIONS: dict[str, Template] = {
    "when": lambda topic: f"{_upper_first(topic)} được ban hành khi nào?",
    "who": lambda topic: f"Cơ quan nào ban hành {topic}?",
    "list": lambda topic: f"{_upper_first(topic)} có những nội dung chính nào?",
}
# After a question of kind K, the kinds to offer next (the asked kind never comes back).
_NEXT_KINDS: dict[str, tuple[str, ...]] = {
    "when": ("who", "where", "how_many", "list"),
    "where": ("when", "who", "how_many", "list"),
    "who": ("when", "where", "how_many", "list"),
    "how_many": ("when", "where", "who", "list"),
    "list": ("when", "where", "who", "how_many"),
}
_DEFAULT_NEXT = ("list", "when", "where", "who", "how_many")


def follow_up_suggestions(
    answer: Answer, limit: int = MAX_SUGGESTIONS, article_texts: Mapping[str, str] | None = None
) -> list[str]:
    """Questions to ask after `answer`, best first; none for a refusal or an answer about nothing
    namable (then a generic suggestion would only be noise). With `article_texts` (article id -> text),
    a question about the event is offered only when the first cited article states that fact: a click
    on «Ai chủ trì …?» must not lead to «Bài [1] không nêu người chủ trì»."""
    if not answer.found or not answer.citations:
        return []
    asked = answer.standalone_question or answer.question
    kind: str = analyse_question(asked).kind
    if kind == "general" and _ASKS_CONTENT.search(asked):
        kind = "list"  # "… về vấn đề gì?" already asks what "… có những nội dung chính nào?" would
    topic, templates = _topic(asked, answer)
    first = answer.citations[0]
    text = (article_texts or {}).get(first.article_id)
    by_topic = [
        templates[k](topic)
        for k in _NEXT_KINDS.get(kind, _DEFAULT_NEXT)
        if k in templates and k != kind and (text is None or _states(k, templates, text))
    ]
    by_entity = _entity_questions(answer, asked, kind)
    # An entity question second, so the three are not all about the same event.
    ordered = by_topic[:1] + by_entity[:1] + by_topic[1:] + by_entity[1:]
    seen = {_key(answer.question), _key(asked)}
    chosen: list[str] = []
    for question in ordered:
        if _key(question) not in seen and _complete(question):
            seen.add(_key(question))
            chosen.append(question)
    return chosen[:limit]


def _topic(asked: str, answer: Answer) -> tuple[str, dict[str, Template]]:
    """The event or document the question is about, with the questions that fit it; ("", {}) when
    neither the question nor the cited headline names one."""
    for candidate, typed in (
        (_question_topic(asked), True),
        (_headline_topic(answer.citations[0].title), False),
    ):
        if not candidate:
            continue
        if _DOCUMENT_HEAD.match(candidate) and re.search(r"\d", candidate):  # "Chỉ thị 25-CT/TW"
            return _document_name(candidate), _DOCUMENT_QUESTIONS
        if _names_an_event(candidate, typed):
            return candidate, _EVENT_QUESTIONS
    return "", {}


def _states(kind: str, templates: dict[str, Template], text: str) -> bool:
    """Whether a sentence of `text` holds the fact a suggestion of `kind` asks for."""
    sentences = [text[start:end] for start, end in split_sentences(text)]
    if kind == "when":
        return any(date_spans(sentence, None) for sentence in sentences)
    if kind == "where":
        return any(place_spans(sentence) for sentence in sentences)
    if kind == "how_many":
        return any(number_spans(sentence, "đại biểu") for sentence in sentences)
    if kind == "who":
        verb = "ban hanh" if templates is _DOCUMENT_QUESTIONS else "chu tri"
        return any(
            verb in fold_accents(sentence).lower()
            and (person_spans(sentence) or organisation_spans(sentence))
            for sentence in sentences
        )
    return True


def _names_an_event(topic: str, typed: bool) -> bool:
    """An event's name, not a common noun that happens to start like one ("nghỉ lễ 30/4", "trường lớp
    sau lũ", "lớp học"): its year, or a capitalised or quoted name after the event word; a topic the
    user typed must also start with a capital or give the year."""
    head = _EVENT_HEAD.match(topic)
    if head is None:
        return False
    year = _YEAR.search(topic) is not None
    if typed and not (topic[:1].isupper() or year):
        return False
    rest = topic[head.end() :]
    return year or any(word[:1].isupper() or word[:1] in '“"«' for word in rest.split())


def _question_topic(asked: str) -> str:
    topic = _without_time(_QUESTION_TAIL.sub("", topic_phrase(asked)))
    return topic if _usable(topic) else ""


def _without_time(topic: str) -> str:
    """ "Giải thưởng … sáng ngày 25/4" -> "Giải thưởng …": the date is what a follow-up may ask."""
    return _TIME_TAIL.split(topic, maxsplit=1)[0].strip(" ,;:")


def _headline_topic(title: str) -> str:
    """The event a headline names: "Vĩnh Phúc: Khai mạc Hội nghị …" -> "Hội nghị …"; an all-capitals
    headline in sentence case; a headline that runs on after its event's name is cut at the comma."""
    title = " ".join(title.split()).strip(" .")
    if title.isupper():
        title = title[:1] + title[1:].lower()
    title = _HEADLINE_OPENER.sub("", _PLACE_PREFIX.sub("", title))
    title = _without_time(title.split(",", 1)[0])
    return _upper_first(title) if _usable(title) else ""


def _usable(topic: str) -> bool:
    """Short enough to sit inside a question, and written with diacritics."""
    words = word_tokens(topic)
    accented = sum(has_diacritics(word) for word in words)
    return len(words) >= 2 and len(topic) <= MAX_TOPIC_CHARS and accented >= len(words) / 3


def _entity_questions(answer: Answer, asked: str, kind: str) -> list[str]:
    """Questions about the people and documents the answer's sentences name (not those asked about)."""
    folded_asked = fold_accents(asked).lower()
    questions: list[str] = []
    asked_words = set(word_tokens(folded_asked))
    people: set[str] = set()  # one question per person (by the last syllable of the name)
    for sentence in re.split(r"(?<=[.!?])\s+|\n", answer.text):
        for span in document_spans(sentence):
            name = _document_name(span.display)
            if fold_accents(name).lower() not in folded_asked:
                questions.append(f"{name} về vấn đề gì?")
        if kind in ("who", "role"):
            continue  # the answer already says who; asking about the same people again is noise
        for span in person_spans(sentence):
            name, _, role = span.display.partition(",")
            title = _PERSON_TITLE.match(name)
            if title is None:
                # Only a name the article introduces with a title is surely a person ("Hà Nội", "New
                # York Times" and "Anh Rishi Sunak", Britain's, are capitalised runs too).
                continue
            words = name[title.end() - 1 :].split()
            if any(len(w) < 2 or not w[:1].isupper() or w.isupper() for w in words):
                continue  # "Chủ tịch HĐQT Tân Tạo": a role and a company, not a name
            person = fold_accents(words[-1]).lower()
            if person in asked_words or person in people:
                continue
            people.add(person)
            known_role = bool(role) or title.group(1).lower() not in _PLAIN_TITLES
            questions.append(
                f"{name} phát biểu những nội dung gì?" if known_role else f"{name} giữ chức vụ gì?"
            )
    return list(dict.fromkeys(questions))


def _document_name(display: str) -> str:
    """ "Chỉ thị số 25-CT/TW ngày 08/8/2018 của Ban Bí thư" -> "Chỉ thị số 25-CT/TW"."""
    return re.split(r"\s+(?:ngày|của)\s+", display, maxsplit=1)[0].rstrip(" .,;:")


def _complete(question: str) -> bool:
    """A question of a few words that ends with its question mark (a topic never ends in "…")."""
    return question.endswith("?") and "…" not in question and len(word_tokens(question)) >= 4


def _key(question: str) -> str:
    return " ".join(word_tokens(fold_accents(question).lower()))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
