"""How many: the count a question asks for, cut from a sentence (see `fact_finder` for the sentence).

A count answers only what the question counts: the noun after "bao nhiêu"/"mấy" or "số lượng" ("bao nhiêu
đại biểu", "số lượng máy bay"), a rank for "đứng thứ mấy", or, when the question names no noun, any count
of the kind it asks ("phần trăm", "học phí": `count_kinds`). Articles word their counts their own way
("hơn 100 đồng chí" for delegates), so the question's noun is tried first and the kind after.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.answer_span import AnswerSpan, capitalise_first
from assistant.answering.count_kinds import (
    asked_kind,
    asked_rank,
    rank_spans,
    same_kind,
    unit_kind,
    unit_words,
)
from assistant.answering.number_spans import PEOPLE_NOUNS, number_spans
from assistant.question.analysis import ACCENTED_STOPWORDS, is_stopword
from ingest.vietnamese_text import fold_accents, folded_words, has_diacritics


@dataclass(frozen=True)
class CountQuestion:
    """What a how-many question counts, read once per question (`read_count_question`)."""

    counted: str | None  # the question's noun ("đại biểu"), None when it names none
    # A count of the asked noun somewhere among the sentences that may answer: then only such counts do.
    strict: bool
    # The question counts people: the article's own noun for them ("đồng chí" for "đại biểu") answers
    # too, even where another article has the question's noun.
    counts_people: bool
    quantity: str | None  # the kind asked ("time", "money", …: `count_kinds`)
    # "nghị quyết số bao nhiêu", "áo số mấy": the noun whose number is asked, folded; then "Nghị quyết 661"
    # answers, not a count.
    designated: str | None
    rank: str | None  # what a rank question ranks ("tuan" for "tuần thứ mấy", "" for "đứng thứ mấy")
    asked_words: str  # the question's folded words (`folded_words`)


def read_count_question(question: str, sentences: Sequence[str]) -> CountQuestion:
    """The count `question` asks for; `sentences` are the texts that may answer it."""
    rank = asked_rank(question)
    designated = designated_noun(question) if rank is None else None
    counted = counted_noun(question) if rank is None and designated is None else None
    return CountQuestion(
        counted=counted,
        strict=counted is not None and any(number_spans(text, counted) for text in sentences),
        counts_people=counted is not None and bool(PEOPLE_NOUNS & _unit_words(counted)),
        quantity=asked_kind(question, counted),
        designated=designated,
        rank=rank,
        asked_words=folded_words(question),
    )


def repeats_question(count: str, asked_words: str) -> bool:
    """Whether a count only repeats the question («800 g» for «… nặng 800 g …»); a bare number («7%» for
    «… Quận 7 …») never does."""
    return bool(unit_words(count)) and folded_words(count) in asked_words


def counted_noun(question: str) -> str | None:
    """ "bao nhiêu đại biểu" -> "đại biểu" (one or two syllables after the question word, three for
    "báo cáo viên"). Matched on the folded question: a restored "bảo nhiêu" is still "bao nhiêu"."""
    folded = fold_accents(question).lower()
    match = next(
        (
            m
            for m in re.finditer(
                r"(?:bao nhieu|may)\s+([^\W\d_]+(?:\s+[^\W\d_]+)?(?:\s+(?:vien|si)\b)?)", folded
            )
            # "máy bay", "mây": accented look-alikes of "mấy" ask nothing.
            if _asks_how_many(question[m.start() : m.start() + 3].lower(), question)
        ),
        None,
    )
    if match is None:
        # "Số lượng máy bay … là bao nhiêu?": the noun after "số lượng" is counted (not a name after it:
        # "số lượng người Kanak" counts people).
        match = re.search(r"\bso luong\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)", folded)
        if match is not None and len(folded) == len(question):
            noun = question[match.start(1) : match.end(1)].split()
            noun = noun[:1] if noun[-1][:1].isupper() else noun
            return None if noun == ["người"] else " ".join(noun)
    if not match or len(folded) != len(question):
        return None
    # A third syllable only where it ends a noun of people: "báo cáo viên", "tình nguyện viên".
    # Typed with accents, a plain syllable is itself: "tu viện" holds no "từ".
    accented = has_diacritics(question)
    words = [
        w
        for w in question[match.start(1) : match.end(1)].split()
        if not (w.lower() in ACCENTED_STOPWORDS if accented else is_stopword(w))
    ]
    first = question[match.start(1) : match.end(1)].split()[0]
    if unit_kind(first) == "time":
        words = [first]  # "mấy ngày" (a stopword elsewhere), "mấy giờ đồng hồ": a unit of time
    if len(words) == 2 and words[1].lower() in {"tham", "dự", "được", "người", "đã"}:
        words = words[:1]
    if (
        len(words) == 2
        and words[0].lower() == "người"
        and folded_words(" ".join(words)).strip() not in PEOPLE_NOUNS
    ):
        words = words[:1]  # "bao nhiêu người mổ": people who operated, not a noun "người mổ"
    if [w.lower() for w in words] == ["lâu"]:
        return None  # "bao nhiêu lâu" asks how long (`count_kinds.asked_kind`)
    return " ".join(words) or None


# "<noun> số bao nhiêu/mấy?", folded; "tổng số bao nhiêu", "con số bao nhiêu" ask a count.
_DESIGNATION_QUESTION = re.compile(r"(?:([^\W\d_]+)\s+)?([^\W\d_]+)\s+so\s+(?:bao nhieu|may)\b")
_NOT_DESIGNATED = frozenset("tong con voi la co cac nhung mot bang o tai qua vao".split())


def designated_noun(question: str) -> str | None:
    """ "Qua nghị quyết số bao nhiêu?" -> "nghi quyet": the noun whose number the question asks, folded
    (its last two words at most); None when it asks no such number."""
    match = _DESIGNATION_QUESTION.search(folded_words(question))
    if match is None or match.group(2) in _NOT_DESIGNATED:
        return None
    first = match.group(1)
    return " ".join(w for w in (first, match.group(2)) if w and w not in _NOT_DESIGNATED)


def designation_spans(text: str, noun: str) -> list[AnswerSpan]:
    """ "Nghị quyết 661", "Lệnh Hành pháp số 9250": the noun (its last word will do) with its number, as
    the sentence writes them."""
    words = noun.split()
    folded = fold_accents(text)
    for size in range(len(words), 0, -1):
        pattern = r"\s+".join(re.escape(w) for w in words[-size:])
        found = [
            AnswerSpan(m.start(), m.end(), capitalise_first(text[m.start() : m.end()]))
            for m in re.finditer(rf"(?<![^\W_]){pattern}\s+(?:so\s+)?\d+[\w./-]*(?<![.])", folded, re.I)
        ]
        if found:
            return found
    return []


def count_spans(ask: CountQuestion, text: str) -> list[AnswerSpan]:
    """The counted noun first ("bao nhiêu đại biểu"); failing that any count of the asked kind in the
    sentence, since articles say "12%" for "bao nhiêu phần trăm" and "3.888 yen" for "giá bao nhiêu"."""
    if ask.rank is not None:
        return rank_spans(text, ask.rank)
    if ask.designated is not None:
        return designation_spans(text, ask.designated)
    own = number_spans(text, ask.counted) if ask.counted else []
    if own or (ask.strict and not ask.counts_people) or (ask.quantity == "time" and ask.counted):
        return own  # "mấy ngày" is not answered by "6 tháng"
    loose = [
        c
        for c in _loose_counts(text, ask.counts_people)
        if same_kind(ask.quantity, c.display)
        and not repeats_question(c.display, ask.asked_words)
        and not _counts_other_thing(ask, c.display)
    ]
    # A unit the question names ("Hàm lượng calo … bao nhiêu?"): "hơn 350 calo", not "100 g".
    named_unit = [c for c in loose if any(f" {w} " in ask.asked_words for w in unit_words(c.display)[:1])]
    return named_unit or loose


def _counts_other_thing(ask: CountQuestion, count: str) -> bool:
    """ "Khoảng 2.000 binh sĩ" does not say how many helicopters ("số lượng máy bay"): when the question
    counts a noun of no known kind, a count of people, time, money, weight or length is of something else.
    A share may still answer ("60%" of them)."""
    if ask.counted is None or ask.counts_people or ask.quantity is not None:
        return False
    return unit_kind(count) not in (None, "share") or bool(PEOPLE_NOUNS & _unit_words(count))


def _loose_counts(text: str, counts_people: bool) -> list[AnswerSpan]:
    """Any count in the sentence, except that a question counting people ("bao nhiêu đại biểu") is
    only answered by a count of people, under whatever noun the article uses."""
    counts = number_spans(text, None)
    return [c for c in counts if PEOPLE_NOUNS & _unit_words(c.display)] if counts_people else counts


def _unit_words(count: str) -> set[str]:
    """The noun after a count's digits, folded, as single words and as a two-word noun."""
    words = [w for w in folded_words(count).split() if not any(c.isdigit() for c in w)][-2:]
    return set(words) | {" ".join(words)}


def _asks_how_many(word: str, question: str) -> bool:
    """ "bao"/"bảo" (restored) and "mấy" ask; "máy", "mây" do not, nor "may" (luck) in an accented
    question."""
    return word.startswith("b") or word == "mấy" or (word == "may" and not has_diacritics(question))


def with_whole_unit(span: AnswerSpan, text: str) -> AnswerSpan:
    """The count with its unit's last word whole: the question's syllables may cut it («8 cuộc xung» for
    «bao nhiêu cuộc xung đột», «Tới 37 cây» for «37 cây cầu»); pyvi's segmentation says where the word ends."""
    from pyvi import ViTokenizer

    rest = text[span.start : span.end + 30]
    syllables = len(span.display.split())
    taken = 0
    for word in ViTokenizer.tokenize(rest).split():
        size = len(word.split("_"))
        if taken + size > syllables and taken < syllables:
            extra = taken + size - syllables  # syllables of this word after the span's end
            tail = re.match(r"\s+[^\W_]+", text[span.end :])
            # One syllable at most, and never after a whole noun of people («Một người» stays).
            if extra != 1 or tail is None or folded_words(span.display).split()[-1] in PEOPLE_NOUNS:
                return span
            return AnswerSpan(span.start, span.end + tail.end(), span.display + tail.group())
        taken += size
    return span
