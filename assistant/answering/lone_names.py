"""People named by one word: "Chirac xử lý hầu hết các chính sách …", "… nhờ Piatzook đã yểm trợ …".

`person_spans` wants two capitalised words or a title before one, because a lone capitalised word is as
often a place or a people ("Paris", "Iraq"). Two things make a lone word a person's name:
- the article names the person in full elsewhere ("François Mitterrand" in its title, "Jacques Chirac" in
  another sentence): the lone word is that name's last word (`known_surnames`, `lone_names`);
- it is spelled as no Vietnamese syllable is and stands where the one who acts stands, opening the clause
  before a lower-case verb, or after "nhờ" (`acting_lone_names`). This is weaker evidence: `find_fact`
  tries it only when no sentence names a person, a people or an army.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.answering.answer_span import (
    NAME_PARTICLES,
    UPPER_LETTERS,
    AnswerSpan,
    is_capitalised,
    sentence_words,
)
from assistant.answering.answer_spans import ONE_WORD_COUNTRIES, foreign_spelling, person_spans
from ingest.vietnamese_text import PLACES_LIKE_NAMES, fold_accents

# Words before a lone name that make it a place ("tại Paris", "đến Iraq").
_PLACE_BEFORE = re.compile(r"(?:tại|ở|tỉnh|thành phố|về|đến|tới|từ|sang|nước|xứ|vùng)\s+$", re.IGNORECASE)
# Words before a lone name that make it the one who acts: "nhờ Piatzook", "bởi Colbert".
_AGENT_BEFORE = re.compile(r"(?:^|[,;:]\s*|\b(?:nhờ|bởi|do|và)\s+)$", re.IGNORECASE)
_AFTER_PLACE_WORD = re.compile(
    rf"\b(?:tại|ở|đến|tới|từ|sang|về|thành phố|thủ đô|tỉnh|bang)\s+"
    rf"([{UPPER_LETTERS}][^\W\d_]+(?:\s+[{UPPER_LETTERS}][^\W\d_]+){{0,2}})"
)


def known_surnames(texts: Iterable[str]) -> frozenset[str]:
    """Last words of the full names of people in `texts` (folded): "mitterrand" for "François
    Mitterrand". Only names of two words or more, so no lone word vouches for itself."""
    found = set()
    for text in texts:
        for span in person_spans(text):
            words = [w.group() for w in sentence_words(text[span.start : span.end])]
            if len(words) >= 2 and len(words[-1]) > 2:
                found.add(fold_accents(words[-1]).lower())
    return frozenset(found)


def lone_names(sentence: str, known: frozenset[str]) -> list[AnswerSpan]:
    """Lone capitalised words of `sentence` that are the last word of a person the article names."""
    return [span for span, _ in _lone_words(sentence) if fold_accents(span.display).lower() in known]


def known_places(texts: Iterable[str]) -> frozenset[str]:
    """Names `texts` write as places ("tại Paris", "đến New York"), folded: none is a person's name."""
    return frozenset(
        fold_accents(m.group(1)).lower() for text in texts for m in _AFTER_PLACE_WORD.finditer(text)
    )


def acting_lone_names(sentence: str, places: frozenset[str]) -> list[AnswerSpan]:
    """Lone words spelled as no Vietnamese word is, where the one who acts stands: opening a clause
    before a lower-case word ("Chirac xử lý …"), or after "nhờ/bởi/do" ("nhờ Piatzook đã …"). Not a
    word the article writes as a place (`known_places`)."""
    return [
        span
        for span, acting in _lone_words(sentence)
        if acting and foreign_spelling(span.display) and fold_accents(span.display).lower() not in places
    ]


def _lone_words(sentence: str) -> list[tuple[AnswerSpan, bool]]:
    """Capitalised words with no capitalised neighbour, not a place, each with whether it stands where
    the one who acts does (then a lower-case word follows)."""
    words = sentence_words(sentence)
    found = []
    for i, word in enumerate(words):
        text = word.group()
        if not is_capitalised(text) or len(text) <= 2 or text in ONE_WORD_COUNTRIES:
            continue
        neighbours = [words[k].group() for k in (i - 1, i + 1) if 0 <= k < len(words)]
        if any(
            is_capitalised(words[k].group())
            and not sentence[words[min(k, i)].end() : words[max(k, i)].start()].strip()
            for k in (i - 1, i + 1)
            if 0 <= k < len(words)
        ):
            continue  # part of a longer name
        before = sentence[: word.start()]
        if i > 0 and words[i - 1].group() in NAME_PARTICLES:
            continue  # "de Gaulle": the end of a longer name
        if _PLACE_BEFORE.search(before[-12:]) or any(
            f"{text} {n}" in PLACES_LIKE_NAMES or f"{n} {text}" in PLACES_LIKE_NAMES for n in neighbours
        ):
            continue
        follows = i + 1 < len(words) and words[i + 1].group()[:1].islower()
        acting = follows and _AGENT_BEFORE.search(before[-8:]) is not None
        found.append((AnswerSpan(word.start(), word.end(), text), acting))
    return found
