"""What kind of answer a Vietnamese question wants, and which of its words carry the topic.

The extractive answerer has no language model, so it leans on the question's form: "Ai ..." wants a
person, "Ở đâu ..." a place, "Ngày nào ..." a date, "Bao nhiêu ..." a number, "Tóm tắt ..." or
"Những ... nào" a list. Matching is on the accent-folded form so unaccented questions behave the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.vietnamese_text import fold_accents, word_tokens

QuestionKind = Literal["who", "where", "when", "how_many", "list", "general"]

# Folded function words and question words: they say nothing about the topic.
STOPWORDS = frozenset(
    (
        "ai gi nao dau o bao nhieu khi luc may sao vi tai the nhu la cua va co duoc nhung cac trong cho "
        "voi thi con hay biet tom tat khong ve den tu mot nay do ay kia da dang se bi boi vao ra len xuong "
        "theo nam thang ngay toi nhat cung neu hon rat lam"
    ).split()
)

_PATTERNS: list[tuple[QuestionKind, re.Pattern[str]]] = [
    ("list", re.compile(r"\b(tom tat|liet ke|nhung .+ nao|cac .+ nao|diem lai|tong hop|ke ten)\b")),
    ("who", re.compile(r"(^|\b)(ai|nguoi nao|vi nao|dong chi nao|ong nao|ba nao)\b")),
    ("where", re.compile(r"\b(o dau|tai dau|noi nao|dia diem nao|khach san nao|tinh nao|thanh pho nao)\b")),
    ("when", re.compile(r"\b(khi nao|bao gio|ngay nao|thoi gian nao|luc nao|nam nao|thang nao|hom nao)\b")),
    ("how_many", re.compile(r"\b(bao nhieu|may)\b")),
]


@dataclass(frozen=True)
class QuestionAnalysis:
    kind: QuestionKind
    content_terms: list[str]  # lower-cased topical syllables, with diacritics as typed (or restored)


def analyse_question(question: str) -> QuestionAnalysis:
    """Kind of answer wanted and topical words. Pass the diacritic-restored question: matching on
    accented syllables keeps "giá" (price) apart from "gia" (as in "quốc gia")."""
    folded = fold_accents(question).lower()
    kind: QuestionKind = "general"
    for candidate, pattern in _PATTERNS:
        if pattern.search(folded):
            kind = candidate
            break
    content = [t for t in word_tokens(question) if fold_accents(t) not in STOPWORDS and len(t) > 1]
    return QuestionAnalysis(kind, content)


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
