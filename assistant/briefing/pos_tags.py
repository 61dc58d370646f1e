"""pyvi's word segmentation and part-of-speech tags, with each word's span in the original text.

The briefing needs to know where verbs are ("Ông Vũ Duy Thành – Phó Vụ trưởng … tập huấn về …": the
role ends at the verb) and whether a sentence reports an action at all. Vietnamese writes a word as
several syllables ("tập huấn", "dự án"), so a syllable list cannot tell the verb "dự" from the noun
"dự án"; pyvi's segmentation can. Results are cached: the same sentences are tagged by several sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class TaggedWord:
    word: str  # syllables joined by "_", as pyvi writes them
    tag: str  # pyvi's tag: "V" verb, "N" noun, "Np" proper noun, "F" punctuation …
    start: int
    end: int

    @property
    def lower_case(self) -> bool:
        return self.word[:1].islower()


@lru_cache(maxsize=4096)
def tagged_words(text: str) -> tuple[TaggedWord, ...]:
    """The words of `text` with their tags and spans (words pyvi changed beyond recognition are left out)."""
    from pyvi import ViPosTagger, ViTokenizer

    tokens, tags = ViPosTagger.postagging(ViTokenizer.tokenize(text))
    words = []
    position = 0
    for token, tag in zip(tokens, tags, strict=True):
        surface = token.replace("_", " ")
        found = text.find(surface, position)
        if found < 0:
            continue
        words.append(TaggedWord(token, tag, found, found + len(surface)))
        position = found + len(surface)
    return tuple(words)
