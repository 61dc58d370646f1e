"""Who a "who" question asks for: the person holding the title it names, a list of people, who acts in
a passive or nominal clause, the acting organisation.

Split from `fact_finder`, which picks the sentence: these decide which people in it answer. A who
question names its person by a title ("Ai là Đại sứ …"), a verb ("Ai quy hoạch …", answered by "quy
hoạch của nam tước Haussmann"), or the names around the act; one name of a list is a wrong answer.
"""

from __future__ import annotations

import re

from assistant.answering.answer_spans import AnswerSpan, agent_spans, organisation_spans, person_spans
from assistant.answering.organisation_names import organisation_names
from assistant.question.analysis import ASKED_TITLE
from ingest.vietnamese_text import fold_accents, folded_words

TITLE_WINDOW = 60  # characters before a name searched for the asked title


def asked_title(question: str) -> str | None:
    """The title a "who" question names the person by, folded ("đại sứ", "phó chủ tịch"); None when
    it names none."""
    match = ASKED_TITLE.search(fold_accents(question).lower())
    return match.group(1) if match else None


# What joins the people of one list: "Georges Braque và Pablo Picasso", "Paul Dukas, Camille Saint-Saëns
# hay Georges Bizet".
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:và\s+|hay\s+|hoặc\s+)?|và\s+|hay\s+|hoặc\s+)", re.IGNORECASE)


def with_listed_names(span: AnswerSpan, spans: list[AnswerSpan], text: str) -> AnswerSpan:
    """The whole list when the person (or, for "những thành phố nào", the place) stands in one: the
    question may have several answers, and one name of three is a wrong answer. Names only, shown as the
    sentence writes them."""
    ordered = sorted(spans, key=lambda s: s.start)
    index = next((i for i, s in enumerate(ordered) if s == span), None)
    if index is None:
        return span
    first = last = index
    while first > 0 and _joined(text, ordered[first - 1], ordered[first]):
        first -= 1
    while last + 1 < len(ordered) and _joined(text, ordered[last], ordered[last + 1]):
        last += 1
    joins = [text[ordered[i].end : ordered[i + 1].start] for i in range(first, last)]
    if first == last or not any(re.search(r"\b(?:và|hay|hoặc)\b", j) for j in joins):
        return span  # commas alone join clauses ("… những người La Mã, Clovis I …"), not a list
    start, end = ordered[first].start, ordered[last].end
    return AnswerSpan(start, end, text[start:end][:1].upper() + text[start:end][1:])


def _joined(text: str, left: AnswerSpan, right: AnswerSpan) -> bool:
    """Whether only a list's comma or "và/hay" stands between two names (a name with its role after a
    comma is no list member: its display is longer than its text)."""
    if left.display.lower() != text[left.start : left.end].lower():
        return False
    return _LIST_JOIN.fullmatch(text[left.end : right.start]) is not None


def without_asked_role(display: str, title: str) -> str:
    """ "Tiến sĩ Trương Thị Ngọc Lan" for "Ai là Phó Viện trưởng …?": the role after the name only
    repeats what the question said."""
    name, _, role = display.partition(", ")
    return name if role and holds_title(role, title) else display


def titled_context(text: str, span: AnswerSpan) -> str:
    """A person's display with the words right before the name, where the title often stands ("Phó Viện
    trưởng … TS Trương Thị Ngọc Lan")."""
    return f"{text[max(0, span.start - TITLE_WINDOW) : span.start]} {span.display}"


# Titles as articles abbreviate them, folded: "Ông Nguyễn Huy Quang – PCT Liên hiệp …".
_TITLE_ABBREVIATIONS = {
    "pct": "pho chu tich",
    "pgd": "pho giam doc",
    "tgd": "tong giam doc",
    "gd": "giam doc",
    "ttk": "tong thu ky",
    "pvt": "pho vu truong",
}


def holds_title(display: str, title: str) -> bool:
    """Whether a person's display ("Đại sứ Bùi Thế Giang, …") gives them `title`; "Phó Chủ tịch" is not
    "Chủ tịch" unless the question says "phó" too."""
    folded = f" {folded_words(display).strip()} "
    for short, title_words in _TITLE_ABBREVIATIONS.items():
        folded = folded.replace(f" {short} ", f" {title_words} ")
    return any(
        not folded[: m.start() + 1].endswith((" pho ", " tong ")) or title.startswith(("pho", "tong"))
        for m in re.finditer(rf" {re.escape(title)} ", folded)
    )


def owners_of_asked_act(text: str, phrases: list[str]) -> list[AnswerSpan]:
    """Who the asked act belongs to, in the article's nominal wording: "Ai quy hoạch …?" against "…
    quy hoạch của nam tước Haussmann" (the verb is there, so the sentence is about the asked act)."""
    plain = {(a.start, a.end) for a in agent_spans(text)}
    return [a for a in agent_spans(text, phrases) if (a.start, a.end) not in plain]


def agents_of_named(text: str, folded_text: str, names: list[str]) -> list[AnswerSpan]:
    """Who acts in a passive clause of a sentence holding every name the question gives: "Ai đã thành
    lập La Taverne Anglaise?" against "La Taverne Anglaise, được khai trương … bởi Antoine
    Beauvilliers". The name anchors the sentence when the question words the verb its own way."""
    if not names or not all(folded_words(name) in folded_text for name in names):
        return []
    return agent_spans(text)


# A relative as the sentence's subject: "Mẹ của Eli Gregg là người phát hiện …" names the mother, not Eli.
_KIN_SUBJECT = re.compile(
    r"(?:mẹ|bố|cha|vợ|chồng|con trai|con gái|anh trai|chị gái|em trai|em gái|ông nội|bà nội|ông ngoại|"
    r"bà ngoại|người thân|người nhà)(?:\s+của)?\s+(?:(?:ông|bà|anh|chị|cháu|bé|em)\s+)?",
    re.IGNORECASE,
)


def named_people(text: str) -> list[AnswerSpan]:
    """People the sentence names, and who acts in its passive clause ("bởi kiến trúc sư …", "do
    Haussmann …"); a relative of a named person when the relative is the subject ("Mẹ của Eli Gregg")."""
    found = person_spans(text)
    kin = _KIN_SUBJECT.match(text)
    if kin is not None:
        found = [
            AnswerSpan(0, p.end, text[: p.end][:1].upper() + text[1 : p.end]) if p.start == kin.end() else p
            for p in found
        ]
    agents = [a for a in agent_spans(text) if not any(p.start <= a.end and a.start <= p.end for p in found)]
    return sorted(found + agents, key=lambda s: s.start)


def people(text: str) -> list[AnswerSpan]:
    """`named_people`; failing them, the acting organisation."""
    return named_people(text) or acting_organisations(text)


def acting_organisations(text: str) -> list[AnswerSpan]:
    """Acting organisations, each cut to its name when the clause runs on into the verb's words ("Bộ Y
    tế vừa cho phép bệnh viện …" -> "Bộ Y tế"); a clause naming partners ("… phối hợp Tỉnh uỷ – UBND
    tỉnh Cao Bằng") is kept whole."""
    trimmed = []
    for span in organisation_spans(text):
        names = organisation_names(span.display)
        if not names or names[0].start != 0:
            continue  # "Hội nghị được (tổ chức)": a clause before the verb, no organisation's name
        rest = span.display[names[0].end :]
        if rest and not any(word[:1].isupper() for word in rest.split()):
            span = AnswerSpan(span.start, span.start + names[0].end, names[0].display)
        trimmed.append(span)
    return trimmed
