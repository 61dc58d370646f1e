"""What a typed question asks, read once: its relation words and phrases, the act after "Ai", the
precision of a date, what a count counts, the people and places the articles name (`FactQuestion`).

Split from `fact_finder`, which picks the article and the sentence, and `sentence_facts`, which cuts the
span: this module only reads the question (and, for names, the sentences that may answer it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from assistant.answering.answer_models import SourcePassage
from assistant.answering.count_answers import CountQuestion, read_count_question
from assistant.answering.lone_names import known_places, known_surnames
from assistant.answering.missing_facts import asked_phrase
from assistant.answering.people_groups import asks_for_group, may_ask_for_group
from assistant.answering.span_choice import asked_precision, asks_condition
from assistant.answering.who_answers import asked_title
from assistant.question.analysis import QuestionAnalysis
from ingest.event_dates import find_date_mentions
from ingest.vietnamese_text import fold_accents, folded_words, word_tokens

# Event verbs every event sentence has: they do not say which fact is asked.
# And the words of the question phrase itself ("hôm nào", "thời gian nào", "địa điểm nào", "số lượng").
GENERIC_WORDS = frozenset(
    (
        "tổ chức diễn ra khai mạc được bắt đầu tiến hành bài viết báo ban hành ký thông qua "
        "hôm thời gian lúc dịp địa điểm nơi người số lượng vị trí"
    ).split()
)
# Acts a sentence can name instead of the asked one, folded: its people did the opposite act.
_OPPOSITE_ACTS = {
    "be mac": "khai mac",
    "khai mac": "be mac",
    "be giang": "khai giang",
    "khai giang": "be giang",
    "ket thuc": "bat dau",
    "bat dau": "ket thuc",
}
# Words a pair of the question's words may not hold: the asking words and the commonest function words.
_NOT_IN_PAIRS = frozenset(
    "ai nao dau bao nhieu may khi gi la cua o va co nhung cac duoc da trong tai".split()
)


class ScoredSentence(Protocol):
    passage: SourcePassage
    text: str
    start: int
    end: int
    score: float


def relation_terms(analysis: QuestionAnalysis, headline: str) -> list[str]:
    """The question's words that say which fact is asked: not in the headline, not generic."""
    title = {fold_accents(t).lower() for t in word_tokens(headline)}
    return [
        t
        for t in analysis.content_terms
        if fold_accents(t).lower() not in title
        and t.lower() not in GENERIC_WORDS
        and not any(c.isdigit() for c in t)
    ]


def relation_phrases(question: str, relation: list[str]) -> list[str]:
    """Runs of adjacent relation words as the question has them, folded: "chủ trì" must stand together
    in a sentence ("Phó Chủ tịch" does not say who chaired)."""
    wanted = {fold_accents(t).lower() for t in relation}
    phrases: list[str] = []
    run: list[str] = []
    for token in [*word_tokens(question), ""]:
        folded = fold_accents(token).lower()
        if folded and folded in wanted:
            run.append(folded)
            continue
        # Long runs in two-word pieces: "đại biểu tham dự" is said "tham dự của hơn 200 đại biểu".
        phrases += [" ".join(run[i : i + 2]) for i in range(0, len(run), 2)]
        run = []
    return list(dict.fromkeys(phrases))


@dataclass(frozen=True)
class FactQuestion:
    """What a typed question asks, read once per question (`read_fact_question`)."""

    kind: str
    question: str
    relation: list[str]  # the relation words, or the topical words when there are none
    phrases: list[str]
    names: list[str]
    asks_organisation: bool
    asks_group: bool
    may_ask_group: bool  # "… cơ hội của ai?": a group first, else a person
    passive: bool
    title: str | None
    asked_words: str
    # The act right after "Ai" ("phát biểu"), folded: the sentence that answers must hold it.
    act: str | None
    # The asked act and its opposite ("be mac", "khai mac"): a sentence naming only the opposite is out.
    opposed_act: tuple[str, str] | None
    precision: str | None  # "year" for "năm nào?", "month" for "tháng mấy?"
    condition: bool  # "… nên … khi nào?": a condition or a stage answers, not a date (`asks_condition`)
    capitalised: frozenset[str]  # the question's capitalised words but its first, folded
    count: CountQuestion | None  # what a how-many question counts
    pairs: tuple[str, ...] = ()  # `question_pairs`: a sentence holding more of them wins
    # The days ("26 thang 1 nam 1952", folded) and years ("1642") the question gives: a who or where
    # question asked by its date is answered by the sentence of that date, in whatever words.
    dates: tuple[str, ...] = ()
    # Last words of the people the articles name in full, and lone words they write as places: "Chirac"
    # alone is a person where "Jacques Chirac" stands elsewhere, "Paris" never is (`lone_names`).
    known_people: frozenset[str] = frozenset()
    known_places: frozenset[str] = frozenset()


def read_fact_question(
    analysis: QuestionAnalysis,
    question: str,
    headline: str,
    relation: list[str],
    asking: re.Match[str] | None,
    names: list[str],
    eligible_texts: Iterable[str],
    pool_texts: list[str],
) -> FactQuestion:
    """`question` read for `find_fact`: `relation` its relation words (`relation_terms`), `asking` its
    "cơ quan nào" match, `names` its names folded; the sentences that may answer (`eligible_texts`) say
    whether a count of the asked noun exists, those of the two best articles (`pool_texts`) which lone
    words are people or places."""
    asked_words = folded_words(question)
    return FactQuestion(
        kind=analysis.kind,
        question=question,
        relation=relation or analysis.content_terms,
        # Only "who" asks through a verb ("Ai chủ trì"); for the other kinds the type of the span is the
        # relation, and leftover words usually describe the event ("toàn quốc") rather than the fact.
        phrases=relation_phrases(question, relation) if analysis.kind == "who" else [],
        names=names,
        asks_organisation=asking is not None,
        asks_group=asks_for_group(question),
        may_ask_group=may_ask_for_group(question),
        passive=re.search(r"\b(?:boi|do) ai\b", fold_accents(question).lower()) is not None,
        title=asked_title(question) if analysis.kind == "who" else None,
        asked_words=asked_words,
        act=_leading_act(question, relation) if analysis.kind == "who" and asking is None else None,
        opposed_act=next(((a, o) for a, o in _OPPOSITE_ACTS.items() if f" {a} " in asked_words), None),
        precision=asked_precision(question) if analysis.kind == "when" else None,
        condition=analysis.kind == "when" and asks_condition(question),
        count=read_count_question(question, list(eligible_texts)) if analysis.kind == "how_many" else None,
        capitalised=frozenset(
            fold_accents(w).lower() for w in re.findall(r"[^\W\d_]+", question)[1:] if w[:1].isupper()
        ),
        pairs=question_pairs(question),
        dates=_asked_dates(question, headline) if analysis.kind in ("who", "where") else (),
        known_people=known_surnames([headline, *pool_texts]) if analysis.kind == "who" else frozenset(),
        known_places=known_places(pool_texts) if analysis.kind == "who" else frozenset(),
    )


def _asked_dates(question: str, headline: str) -> tuple[str, ...]:
    """The question's days, folded, and years: a year the headline holds names the event ("Hội nghị …
    năm 2022") and anchors no sentence."""
    headline_words = folded_words(headline).split()
    return tuple(
        folded_words(m.text).strip() if m.precision == "day" else str(m.value.year)
        for m in find_date_mentions(question, None)
        if m.value is not None and m.precision in ("day", "year") and str(m.value.year) not in headline_words
    )


def _leading_act(question: str, relation: list[str]) -> str | None:
    """The relation words right after a leading "Ai" ("Ai phát biểu …" -> "phat bieu"), folded."""
    if not re.match(r"ai\b", fold_accents(question).lower()):
        return None
    phrase = asked_phrase("who", question, relation)
    act = folded_words(phrase).strip() if phrase else ""
    return act if len(act.split()) >= 2 else None  # "đứng (ra)": one syllable says too little


def question_pairs(question: str) -> tuple[str, ...]:
    """Adjacent pairs of the question's words, folded, without asking or function words: "giao roma",
    "that nghiep" — a sentence holding more of them says what the question says, not only its topic."""
    words = folded_words(question).split()
    return tuple(
        dict.fromkeys(
            f"{a} {b}"
            for a, b in itertools.pairwise(words)
            if a not in _NOT_IN_PAIRS and b not in _NOT_IN_PAIRS
        )
    )


def pair_share(pairs: tuple[str, ...], folded: str) -> float:
    return sum(f" {p} " in folded for p in pairs) / len(pairs) if pairs else 0.0
