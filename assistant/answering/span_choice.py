"""Which span of a qualifying sentence is the answer: never one the question already says
(`not_in_question`), the one nearest the question's words (`nearest_span`), and for "khi nào" a date the
reader can use at the precision asked ("năm nào?" -> "Năm 1594"; `asked_dates`, `asked_precision`), a
period as one answer ("Từ năm 1937 tới năm 1939"), a life's years ("(1924-2005)"), or, for advice and
habits, a condition ("Nếu có biểu hiện …"; `asks_condition`). Used by `fact_finder`, which decides which
sentences qualify."""

from __future__ import annotations

import itertools
import re
from datetime import date

from assistant.answering.answer_span import AnswerSpan, capitalise_first
from assistant.answering.answer_spans import agent_spans, date_spans
from assistant.answering.count_answers import repeats_question
from ingest.vietnamese_text import fold_accents, folded_words

# Kinds whose answer is never something the question already names ("Cung điện Tuileries nằm ở đâu?"
# is not answered "Cung điện Tuileries"; "Ai thiết kế La Villette?" not "La Villette").
_ECHO_KINDS = frozenset({"who", "where", "when", "how_many"})  # nor "800 g" for "… nặng 800 g … bao nhiêu?"


def not_in_question(
    spans: list[AnswerSpan], asked_words: str, text: str, kind: str, passive: bool
) -> list[AnswerSpan]:
    """Spans that tell the reader something new: an echo of the question (`asked_words`, see
    `folded_words`) is no answer. For "… bởi ai?", the agent of the passive clause when the sentence
    has one."""
    if kind not in _ECHO_KINDS:
        return spans
    kept = [
        s
        for s in spans
        if not echoes(text[s.start : s.end], asked_words, kind)
        and not (kind in ("who", "where") and _alias(text, s, asked_words))
    ]
    if passive and kind == "who":
        agents = {(a.start, a.end) for a in agent_spans(text)}
        kept = [s for s in kept if (s.start, s.end) in agents] or kept
    return kept


def _alias(text: str, span: AnswerSpan, asked_words: str) -> bool:
    """A name in brackets right after words the question says is their other name: «Tấn trò đời (La
    Comédie Humaine)» does not answer «Ai là tác giả của Tấn trò đời?»."""
    if not text[span.start : span.start + 1].isupper():
        return False  # "thường trú nhân gốc Ý (công dân Ý …)": a lower-case gloss says who they are
    before = re.search(r"([^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s*\(\s*$", text[: span.start])
    return before is not None and folded_words(before.group(1)) in asked_words


def echoes(span: str, asked_words: str, kind: str) -> bool:
    """Whether the span only repeats the question (for counts see `repeats_question`)."""
    if kind == "how_many":
        return repeats_question(span, asked_words)
    # "Henry A. Wallace" is the question's "Henry A.Wallace": initials may be written without a space.
    return folded_words(span) in asked_words or _undotted(folded_words(span)) in _undotted(asked_words)


def _undotted(words: str) -> str:
    return re.sub(r"\s*\.\s*", " ", words)


def asked_precision(question: str) -> str | None:
    """ "year" for "năm nào?", "month" for "tháng mấy?", else None."""
    folded = fold_accents(question).lower()
    if re.search(r"(?<!\bthang )\bnam (?:nao|may|bao nhieu)\b", folded):  # "ngày tháng năm nào": a date
        return "year"
    return "month" if re.search(r"\bthang (?:nao|may)\b", folded) else None


def at_asked_precision(spans: list[AnswerSpan], precision: str) -> list[AnswerSpan]:
    """ "Năm nào?" is answered with the year ("Năm 1594", not "15/7/1594"); "tháng mấy?" only by a date
    that has a month (a bare year does not say it)."""
    if precision == "year":
        shown = []
        for span in spans:
            year = re.search(r"\b\d{4}\b", span.display)
            if span.display.lower().startswith("từ "):
                shown.append(span)  # a period keeps both its years ("Từ năm 1937 tới năm 1939")
            elif year is not None:
                shown.append(AnswerSpan(span.start, span.end, f"Năm {year.group()}"))
        return shown
    return [s for s in spans if re.search(r"\d/\d|tháng", s.display, re.IGNORECASE)]


def stated_dates(text: str, published: date | None) -> list[AnswerSpan]:
    """Dates with a day, month or year the reader can use: "tháng này" in an undated article stays
    unresolved and is no answer to "khi nào"."""
    return [s for s in date_spans(text, published) if any(c.isdigit() for c in s.display)]


def asked_dates(text: str, published: date | None, precision: str | None) -> list[AnswerSpan]:
    """The dates that may answer a when-question: a period the sentence states from one date to another
    as one answer ("Từ năm 1937 tới năm 1939"), and the other dates at their best precision, except for
    "năm nào?", where every date has the year asked (the nearest then wins, not the most precise)."""
    stated = stated_dates(text, published)
    periods = date_periods(text, stated)
    periods += [
        AnswerSpan(m.start(), m.end(), capitalise_first(m.group()))
        for m in _YEARS_PERIOD.finditer(text)
        if not any(p.start <= m.start() < p.end for p in periods)
    ]
    inside = [s for s in stated if any(p.start <= s.start and s.end <= p.end for p in periods)]
    single = [s for s in stated if s not in inside]
    return periods + (single if precision == "year" else best_precision(single))


# "từ 1975 đến 1985": two bare years make a period, though a bare year alone may be any number.
_YEARS_PERIOD = re.compile(
    r"(?<![^\W_])từ\s+(?:năm\s+)?[12]\d{3}\s*(?:tới|đến|cho đến|-|–)\s*(?:năm\s+)?[12]\d{3}(?!\d|[.,]\d)",
    re.IGNORECASE,
)
# Between the two ends of a period, and before its start.
_PERIOD_LINK = re.compile(r"\s*(tới|đến|cho đến|-|–)\s*", re.IGNORECASE)
_PERIOD_START = re.compile(r"(?<![^\W_])(?:từ|trong giai đoạn|giai đoạn)\s+$", re.IGNORECASE)


def date_periods(text: str, dates: list[AnswerSpan]) -> list[AnswerSpan]:
    """ "từ năm 1982 tới năm 1986": two dates joined by "tới/đến/-" after "từ", shown as one answer."""
    periods = []
    for first, second in itertools.pairwise(dates):
        link = _PERIOD_LINK.fullmatch(text[first.end : second.start])
        lead = _PERIOD_START.search(text[: first.start])
        if link is None or lead is None:
            continue
        word = "đến" if link.group(1) in "-–" else link.group(1).lower()
        years = all(re.fullmatch(r"\d{4}", s.display) for s in (first, second))
        ends = [
            f"năm {s.display}" if years else s.display[:1].lower() + s.display[1:] for s in (first, second)
        ]
        periods.append(
            AnswerSpan(lead.start(), second.end, capitalise_first(f"từ {ends[0]} {word} {ends[1]}"))
        )
    return periods


# "Alain Bombard (1924-2005)": a life's years after a name.
_LIFESPAN = re.compile(r"\((?:khoảng\s+)?(\d{3,4})\s*[-–]\s*(\d{3,4})\)")
_DEATH = re.compile(r"\b(?:mat|qua doi|chet|tu tran|ta the|bang ha|hy sinh)\b")
_BIRTH = re.compile(r"\b(?:sinh|ra doi|chao doi)\b")


def lifespan_years(text: str, asked_words: str, named: frozenset[str]) -> list[AnswerSpan]:
    """ "… mất năm nào?" of someone written "Alain Bombard (1924-2005)": the year of death (of birth for
    "sinh năm nào"), when a word of the name before the brackets is one the question names (`named`,
    folded)."""
    death, birth = _DEATH.search(asked_words), _BIRTH.search(asked_words)
    if death is None and birth is None:
        return []
    spans = []
    for match in _LIFESPAN.finditer(text):
        before = folded_words(text[max(0, match.start() - 40) : match.start()]).split()[-3:]
        if not named & set(before):
            continue
        group = 2 if death is not None else 1
        spans.append(AnswerSpan(match.start(group), match.end(group), f"Năm {match.group(group)}"))
    return spans


def best_precision(spans: list[AnswerSpan]) -> list[AnswerSpan]:
    """A day beats a month beats a bare year ("năm 2022" in an event's name is rarely the answer)."""
    full = [s for s in spans if s.display.count("/") == 2]
    return full or spans


def nearest_span(spans: list[AnswerSpan], text: str, terms: list[str], asked_words: str = "") -> AnswerSpan:
    """The span closest to the question's words in the sentence; closest to a pair of them the sentence
    repeats when there is one ("quận 7, chỉ có 7%; 8% trong quận 6" for "… ở Quận 7"), a single word
    being found all over the sentence."""
    folded = fold_accents(text).lower()
    words = asked_words.split()
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words) if any(c.isdigit() for c in a + b)]
    positions = [
        m.start() for p in pairs for m in re.finditer(rf"(?<![\w.,]){re.escape(p)}(?![\w%])", folded)
    ]
    if not positions:
        positions = [
            m.start()
            for t in terms
            for m in re.finditer(rf"\b{re.escape(fold_accents(t).lower())}\b", folded)
        ]
    if not positions:
        return spans[0]
    return min(spans, key=lambda s: min(min(abs(p - s.start), abs(p - s.end)) for p in positions))


# "Cha mẹ nên đưa trẻ đi khám khi nào?", "Thai ngoài tử cung thường vỡ khi nào?": advice and habits are
# timed by a condition or an age, never by the calendar date of one case the article reports. Matched
# with accents: "nền" is no "nên".
_MODAL = re.compile(r"(?<![^\W_])(?:nên|cần|thường|hay|phải)(?![^\W_])")
_WHEN = re.compile(r"(?<![^\W_])(?:khi nào|lúc nào|bao giờ)(?![^\W_])")
# "trước/sau khi …" belong to the answer ("Trước khi đánh răng"); "trong khi" (whereas) is no condition.
_CONDITION = re.compile(
    r"(?<![^\W_])(?<!trong )(?P<lead>(?:trước |sau )?(?:khi|nếu|lúc))\s+"
    r"(?P<clause>(?:\d[.,]\d|(?!\s+thì(?![^\W_]))[^,;:.()])+)",  # "Khi X thì Y": the condition is X
    re.IGNORECASE,
)


def asks_condition(question: str) -> bool:
    """Whether a when-question asks under what condition or at what stage something is done or happens."""
    lowered = question.lower()
    past = re.search(r"(?<![^\W_])đã(?![^\W_])", lowered)
    return bool(_MODAL.search(lowered) and _WHEN.search(lowered)) and past is None


def condition_spans(text: str) -> list[AnswerSpan]:
    """ "Nếu có biểu hiện chân đau nhói …", "Khi tế bào ung thư phát triển …", "Lúc 1,5 đến 2,5 tháng": the
    clause after "khi/nếu/lúc", to the next punctuation."""
    spans: list[AnswerSpan] = []
    for match in _CONDITION.finditer(text):
        if len(match.group("clause").split()) < 2 or (spans and match.start() < spans[-1].end):
            continue
        spans.append(AnswerSpan(match.start(), match.end(), capitalise_first(match.group().strip())))
    return spans
