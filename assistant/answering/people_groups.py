"""Groups of people as the answer to "Những ai …?" ("người trẻ", "phụ nữ tiền mãn kinh").

"Những ai dễ mắc bệnh …?" asks for a kind of people, not a name: the article says "… thường khởi phát ở
người trẻ và kéo dài …". Person and organisation spans look for capitalised names and find none, so the
answer would say the article does not state it. A group is a people noun ("người", "phụ nữ", "trẻ em" …)
after a word that introduces who is concerned ("ở", "cho", "với", "là", "gồm"), with up to four words
that describe it, ending before a function word or punctuation.
"""

from __future__ import annotations

import re

from assistant.answering.answer_span import UPPER_LETTERS, AnswerSpan, capitalise_first
from ingest.vietnamese_text import fold_accents, folded_words

_PEOPLE = (
    "người cao tuổi|người già|người trẻ|người bệnh|người dân|người lao động|người|phụ nữ|nam giới|nữ giới|"
    "trẻ em|trẻ nhỏ|trẻ sơ sinh|trẻ|bệnh nhân|thai phụ|sản phụ|bà mẹ|người mẹ|cha mẹ|phụ huynh|học sinh|"
    "sinh viên|công nhân|nông dân|cặp vợ chồng|vợ chồng|gia đình|doanh nghiệp|cô gái|y bác sĩ|bác sĩ|nhân viên"
)
_ENDS = "và|thì|nên|cần|có|được|bị|sẽ|đã|đang|khi|do|vì|từ|trên|dưới|mà|để|với|cho|ở|là|hay|hoặc"
_GROUP = re.compile(
    rf"(?<![^\W_])(?:ở|cho|với|là|gồm|như)\s+(?P<group>(?:những\s+|các\s+|nhiều\s+)?(?:{_PEOPLE})"
    rf"(?:\s+(?!(?:{_ENDS})(?![^\W_]))[^\W\d_]+){{0,4}}?)(?=\s*(?:[,.;:()]|$)|\s+(?:{_ENDS})(?![^\W_]))",
    re.IGNORECASE,
)
# A people, a nation's army or government, a dynasty: "người Anh", "quân Phổ", "chính phủ Kuwait", "nhà
# Thanh". Encyclopedias answer "ai" with these as often as with a person's name.
_NAME = rf"[{UPPER_LETTERS}][^\W\d_]*(?:-[^\W\d_]+)*"
_PEOPLES = re.compile(
    rf"(?<![^\W_])(?P<head>(?i:người|quân|quân đội|(?<!nhân )(?<!công )dân|chính phủ|triều đình|nhà|phe))\s+"
    rf"(?P<name>(?!(?:Cách|Thế|Chiến|Đảng|Hội|Quốc|Nhà)\b){_NAME}(?:\s+{_NAME}){{0,2}})"
)
# Questions that ask for a kind of people rather than a person, folded.
_ASKS_GROUP = re.compile(r"\bnhung ai\b|\bdoi tuong nao\b|\bai (?:nen|de|co nguy co|phu hop|can)\b")
# Questions that may ask for either ("… là cơ hội của ai?" - "doanh nghiệp"; "… là của ai?" - a name).
_MAY_ASK_GROUP = re.compile(r"\bai se\b|\b(?:cua|doi voi|cho) ai\b")


def asks_for_group(question: str) -> bool:
    # "ai để" (who should) asks for a group, "ai đề cử" (who nominated) does not: typed with accents,
    # "đề" is hidden before the folded pattern runs.
    lowered = re.sub(r"(?<![^\W_])đề(?![^\W_])", "_", question.lower())
    return _ASKS_GROUP.search(fold_accents(lowered)) is not None


def may_ask_for_group(question: str) -> bool:
    """A group or a person may answer: a group the sentence names first, else a person."""
    return _MAY_ASK_GROUP.search(fold_accents(question).lower()) is not None


def group_spans(sentence: str) -> list[AnswerSpan]:
    """The groups of people the sentence says are concerned, in order."""
    spans = []
    for match in _GROUP.finditer(sentence):
        group = match.group("group")
        spans.append(AnswerSpan(match.start("group"), match.end("group"), group[:1].upper() + group[1:]))
    return spans


def peoples_spans(sentence: str, asked_words: str) -> list[AnswerSpan]:
    """Peoples, armies, governments and dynasties the sentence names ("quân Phổ"), except those the
    question names itself (`asked_words`, see `folded_words`): "Ở Hy Lạp cổ đại ai …?" is not answered
    by "người Hy Lạp"."""
    return [
        AnswerSpan(m.start(), m.end(), capitalise_first(m.group()))
        for m in _PEOPLES.finditer(sentence)
        if folded_words(m.group("name")) not in asked_words
    ]
