"""One candidate answer span and the word helpers every span finder shares (`answer_spans`, `place_answers`,
`place_names`): capitalised words, Western name particles, the capital letters as a regex class body."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerSpan:
    """A candidate answer inside one sentence: `start`/`end` in the sentence, `display` for the reader."""

    start: int
    end: int
    display: str


_WORD = re.compile(r"[^\W_]+(?:[-./][^\W_]+)*")
# Particles inside Western names: "Charles de Gaulle", "Île de la Cité".
NAME_PARTICLES = frozenset("de la du le des d van von".split())
# Capital letters of Vietnamese and the Latin names news cites, as a regex class body ("À-Ỹ" would
# also take the lower-case letters between them, "đ" of "thời điểm").
UPPER_LETTERS = "A-Z" + "".join(sorted({c for c in map(chr, range(0xC0, 0x1EFA)) if c.isupper()}))


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def sentence_words(sentence: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(sentence))


def capitalise_first(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text
