"""SQuAD-style exact match and token F1 of a short answer against gold answers, for Vietnamese.

The short answer is a cited line («Sáng 7/7/2022, tại Cao Bằng [1].»), the golds are spans copied from
the article, so both go through one normalisation before they are compared: NFC, citation markers `[n]`
and a trailing period dropped, lower case, punctuation and symbols deleted (as SQuAD's evaluation script
does, so "7/7/2022" stays one token), whitespace collapsed. Accents are kept: "Đà Nẵng" and "Da Nang"
are different answers to a reader. Tokens are the space-separated syllables.

Dates are compared as dates: the short answer writes them day/month/year (issue 13 §1) while the golds
copy the article's words, so both sides are first rewritten to one form. "ngày 21 tháng 9 năm 1792" and
"21/9/1792" become "21/9/1792", "tháng 5 năm 1860" "5/1860", "năm 1796" "1796" (the word "ngày" or "năm"
before a date is dropped as SQuAD drops "the"). Nothing else changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

# "[1]", "[1, 2]", "[1-3]", "[1][2]" (each bracket pair is matched on its own).
_CITATION_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;\-–]\s*\d+)*\s*\]")
_DAY = r"(?:ngày\s+)?(\d{1,2})"
# Months in words ("ngày 1 tháng năm 1860"). Written out here rather than imported from
# `ingest.event_dates`: bench/answers.py copies this package over older checkouts to score every version
# alike, and those versions' `ingest` has no such table.
MONTH_WORDS = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}  # fmt: skip
# A month in digits or in words.
_MONTH = rf"(\d{{1,2}}|{'|'.join(sorted(MONTH_WORDS, key=len, reverse=True))})"
_DATE_FORMS = (
    (re.compile(rf"{_DAY}\s+tháng\s+{_MONTH}(?:\s+năm\s+|\s*,\s*|\s+(?=\d{{4}}))(\d{{4}})\b"), r"\1/\2/\3"),
    (re.compile(rf"{_DAY}\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}})\b"), r"\1/\2/\3"),
    (re.compile(rf"tháng\s+{_MONTH}(?:\s+năm\s+|\s*/\s*|\s+(?=\d{{4}}))(\d{{4}})\b"), r"\1/\2"),
    (re.compile(r"năm\s+(\d{4})\b"), r"\1"),
)


def _canonical_dates(text: str) -> str:
    """Dates in one written form (see the module docstring); `text` is lower case."""
    for pattern, form in _DATE_FORMS:
        text = pattern.sub(_as_date(form), text)
    return re.sub(r"\b0(\d)(?=/)", r"\1", text)  # "08/8/2018" is "8/8/2018"


def _as_date(form: str) -> Callable[[re.Match[str]], str]:
    return lambda match: _month_number(match.expand(form))


def _month_number(date_text: str) -> str:
    """ "1/năm/1860" -> "1/5/1860": a month word of a rewritten date as its number."""
    parts = date_text.split("/")
    return "/".join(str(MONTH_WORDS.get(" ".join(p.split()), p)) for p in parts)


def normalise_answer(text: str) -> str:
    """The comparable form of an answer (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    text = _CITATION_MARKER.sub(" ", text).strip()
    text = _canonical_dates(text.removesuffix(".").lower())
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PS")
    return " ".join(text.split())


def exact_match(prediction: str | None, gold: str) -> float:
    """1.0 when the normalised forms are equal; a missing (None) prediction scores 0."""
    if prediction is None:
        return 0.0
    return float(normalise_answer(prediction) == normalise_answer(gold))


def token_f1(prediction: str | None, gold: str) -> float:
    """Harmonic mean of token precision and recall (tokens counted with multiplicity)."""
    if prediction is None:
        return 0.0
    predicted = normalise_answer(prediction).split()
    expected = normalise_answer(gold).split()
    if not predicted or not expected:
        return float(predicted == expected)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision = common / len(predicted)
    recall = common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best_scores(prediction: str | None, golds: Iterable[str]) -> tuple[float, float]:
    """(exact match, F1), each the maximum over the gold answers; (0, 0) without golds."""
    golds = list(golds)
    if prediction is None or not golds:
        return 0.0, 0.0
    return max(exact_match(prediction, g) for g in golds), max(token_f1(prediction, g) for g in golds)
