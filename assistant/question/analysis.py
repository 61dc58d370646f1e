"""What kind of answer a Vietnamese question wants, and which of its words carry the topic.

The extractive answerer has no language model, so it leans on the question's form: "Ai ..." wants a
person, "Ở đâu ..." a place, "Ngày nào ..." a date, "Bao nhiêu ..." a number, "Tóm tắt ..." or
"Những ... nào" a list. Matching is on the accent-folded form so unaccented questions behave the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.vietnamese_text import SURNAMES, fold_accents, has_diacritics, word_tokens

QuestionKind = Literal[
    "author",
    "source",
    "published",
    "url",
    "list",
    "role",
    "document",
    "who",
    "where",
    "when",
    "how_many",
    "general",
]
# Kinds answered by a span of a sentence (the fact first); the first four by the article's metadata.
FACT_KINDS = frozenset({"role", "document", "who", "where", "when", "how_many"})
METADATA_KINDS = frozenset({"author", "source", "published", "url"})

# Folded function words and question words: they say nothing about the topic.
STOPWORDS = frozenset(
    (
        "ai gi nao dau o bao nhieu khi luc may sao vi tai the nhu la cua va co duoc nhung cac trong cho "
        "voi thi con hay biet tom tat khong ve den tu mot nay do ay kia da dang se bi boi vao ra len xuong "
        "theo nam thang ngay toi nhat cung neu hon rat lam"
    ).split()
)

# The same words with their diacritics: folded, "vé" (ticket) is "về", "máy" is "mấy", "Đảng" is "đang",
# "khí" is "khi", "báo" is "bao". An accented token is a stopword only if it is one of these.
ACCENTED_STOPWORDS = frozenset(
    (
        "ai gì nào đâu ở bao nhiêu khi lúc mấy sao vì tại thế như là của và có được những các trong cho "
        "với thì còn hay biết tóm tắt không về đến từ một này đó ấy kia đã đang sẽ bị bởi vào ra lên xuống "
        "theo năm tháng ngày tới nhất cũng nếu hơn rất làm hãy xin nhỉ vậy thế"
    ).split()
)


def is_stopword(token: str) -> bool:
    """A function or question word (accented tokens are compared with their accents)."""
    lowered = token.lower()
    if has_diacritics(lowered):
        return lowered in ACCENTED_STOPWORDS
    return lowered in STOPWORDS and (lowered in ACCENTED_STOPWORDS or fold_accents(lowered) in STOPWORDS)


# Titles a "who" question names the person by, folded: "Ai là Đại sứ …", "Thứ trưởng nào …".
ASKED_TITLE = re.compile(
    r"\b((?:pho |tong )?(?:dai su|chu tich|giam doc|bi thu|thu truong|bo truong|tong thong|thu tuong|"
    r"vu truong|cuc truong|vien truong|hieu truong|truong ban|truong phong|tong lanh su|lanh su|"
    r"chu nhiem|tong bien tap|tong thu ky|thu ky|dai bieu|giao su|tien si|kien truc su))\b"
)
_PATTERNS: list[tuple[QuestionKind, re.Pattern[str]]] = [
    ("author", re.compile(r"\b(tac gia|ai viet|nguoi viet|phong vien nao|but danh|ai la nguoi viet)\b")),
    (
        "source",
        re.compile(
            r"\b(nguon (bai|tin|cua bai)|nguon nao|bao nao dang|dang tren (bao|trang) nao|lay tu (bao|trang|nguon) nao|"
            r"co quan bao chi nao|trang (bao|web) nao)\b"
        ),
    ),
    (
        "published",
        re.compile(
            r"\b((duoc )?dang (vao )?(ngay|luc|khi|thoi gian) nao|ngay dang|dang khi nao|dang bao gio)\b"
        ),
    ),
    ("url", re.compile(r"\b(duong dan|link|url|dia chi (trang|web|bai))\b")),
    ("list", re.compile(r"\b(tom tat|liet ke|nhung .+ nao|cac .+ nao|diem lai|tong hop|ke ten)\b")),
    ("role", re.compile(r"\b(chuc vu|giu chuc|cuong vi|chuc danh)\b")),
    (
        "document",
        re.compile(
            r"\b((chi thi|ke hoach|nghi quyet|quyet dinh|van ban|thong tu|nghi dinh|ket luan|de an) (nao|so may|gi)|"
            r"so hieu)\b"
        ),
    ),
    (
        "who",
        re.compile(
            r"(^|\b)(ai(?! cap\b| len\b)|nguoi nao|vi nao|dong chi nao|ong nao|ba nao|co quan nao|don vi nao|"
            r"to chuc nao)\b"
            rf"|{ASKED_TITLE.pattern} nao\b"
        ),
    ),
    ("where", re.compile(r"\b(o dau|tai dau|noi nao|dia diem nao|khach san nao|tinh nao|thanh pho nao)\b")),
    (
        "when",
        re.compile(
            r"\b(khi nao|bao gio|ngay nao|thoi gian nao|luc nao|nam nao|thang nao|hom nao|"
            r"(?:ngay|thang|nam|the ky|the ki) (?:thu )?may|(?<!moi )(?<!hang )(?<!mot )nam bao nhieu(?! tuoi))\b"
        ),
    ),
    ("how_many", re.compile(r"\b(bao nhieu|may)\b")),
]


@dataclass(frozen=True)
class QuestionAnalysis:
    kind: QuestionKind
    content_terms: list[str]  # lower-cased topical syllables, with diacritics as typed (or restored)


# Accented words whose folded form is a question word: "quyền lực nào" is not "lúc nào", "máy bay" is not
# "mấy". Typed with diacritics, they are hidden before the folded patterns run.
_PLAIN_MAY = re.compile(r"(?<!\w)may(?!\w)")
# "đang vào ngày 7 tháng 12" (was, in progress) is not "đăng vào ngày nào" (published); "người Việt" is not
# "người viết" (the author).
_ACCENTED_LOOKALIKES = re.compile(r"(?<!\w)(?:lực|máy|mây|mày|đậu|dấu|đầu|khí|khỉ|thắng|đang|việt)(?!\w)")
# The stored author answers only a question about an article: "Ai là người viết tác phẩm «Đi tìm thời gian
# đã mất»?" asks who wrote a book, which the article says (a who question).
_ABOUT_AN_ARTICLE = re.compile(r"\b(?:bai|phong vien|but danh)\b")


def analyse_question(question: str) -> QuestionAnalysis:
    """Kind of answer wanted and topical words. Pass the diacritic-restored question: matching on
    accented syllables keeps "giá" (price) apart from "gia" (as in "quốc gia")."""
    lowered = question.lower()
    if has_diacritics(question):
        lowered = _PLAIN_MAY.sub(" _ ", lowered)  # typed with accents, "may" is luck, not "mấy"
    folded = fold_accents(_ACCENTED_LOOKALIKES.sub(" _ ", lowered)).lower()
    kind: QuestionKind = "role" if _asks_who_someone_is(question, folded) else "general"
    for candidate, pattern in _PATTERNS:
        if kind == "general" and pattern.search(folded):
            kind = candidate
            break
    if kind == "author" and not _ABOUT_AN_ARTICLE.search(folded):
        kind = "who"
    content = [
        t for t in word_tokens(without_asked_type(question.lower())) if not is_stopword(t) and len(t) > 1
    ]
    return QuestionAnalysis(kind, content)


# "Ông Phan Anh Sơn là ai?": who a named person is, i.e. the role the article gives them. "Chủ tịch Liên
# hiệp là ai?" asks for the person who holds a title: a "who" question.
_WHO_SOMEONE_IS = re.compile(r"^(?P<subject>.+?)\s+la ai\s*[?.!]*\s*$")
_PERSON_WORD = re.compile(r"^(?:ong|ba|anh|chi|ngai|dong chi)\s+")


def _asks_who_someone_is(question: str, folded: str) -> bool:
    """Whether the question is "<a person's name> là ai?", with or without a title before the name."""
    match = _WHO_SOMEONE_IS.match(folded.strip())
    if match is None or len(folded) != len(question):
        return False
    words = re.findall(r"[^\W\d_]+", question.strip()[match.start("subject") : match.end("subject")])
    folded_subject = match.group("subject")
    person_word = _PERSON_WORD.match(folded_subject)
    untitled = folded_subject[person_word.end() :] if person_word else folded_subject
    title = ASKED_TITLE.match(untitled)
    if title is not None:
        # "Đại sứ Bùi Thế Giang là ai?" names a person after the title; "Chủ tịch Liên hiệp là ai?" not.
        skipped = len(folded_subject.split()) - len(untitled.split()) + len(title.group(1).split())
        name = words[skipped:]
        return len(name) >= 2 and name[0] in SURNAMES and all(w[:1].isupper() for w in name)
    named = [w for w in words if w[:1].isupper()]
    return len(words) <= 6 and len(named) >= 2 and len(named) >= len(words) - 1


def without_asked_type(question: str) -> str:
    """`question` without the type it asks for ("Sự kiện nào", "Cơ quan nào"): no topical words."""
    return " ".join(_ASKED_TYPE.sub(" ", question).split())


# The type of what is asked, right before "nào" ("Sự kiện nào diễn ra …", "Cơ quan nào cấp phép …"): a
# question word, like "ai", that the answer's sentence need not repeat.
_ASKED_TYPE = re.compile(
    r"(?<!\w)(?:sự kiện|điều|việc|nơi|địa điểm|thời điểm|cơ quan|đơn vị)\s+nào(?!\w)", re.IGNORECASE
)


_DATE_CUE = re.compile(r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\bngay \d{1,2}\b|\bthang \d{1,2}\b|\bnam \d{4}\b")
_PLACE_CUE = re.compile(r"\b(tai|o) [A-ZĐ]|\b(khach san|nha khach|trung tam|hoi truong|tinh|thanh pho) ")
_PERSON_CUE = re.compile(
    r"\b(ong|ba|dong chi|dai su|tien sy|tien si|ts\.|pgs|gs|chu tich|giam doc|bi thu) [A-ZĐ]", re.IGNORECASE
)
_NUMBER_CUE = re.compile(r"\d")


def answer_cue_bonus(kind: QuestionKind, sentence: str) -> float:
    """0..1: does the sentence contain the kind of thing the question asks for?"""
    folded = fold_accents(sentence)
    cue = {
        "when": _DATE_CUE,
        "where": _PLACE_CUE,
        "who": _PERSON_CUE,
        "how_many": _NUMBER_CUE,
    }.get(kind)
    if cue is None:
        return 0.0
    return 1.0 if cue.search(folded if kind != "when" else folded.lower()) else 0.0
