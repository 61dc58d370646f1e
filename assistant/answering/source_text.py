"""A cited article prepared once for checking many claims against it (`claim_support`): its folded
words with their offsets, which of them are names, numbers in words, resolved dates and sentences."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from assistant.answering.claim_facts import TOKEN, fold_word
from assistant.answering.spoken_numbers import spoken_numbers
from ingest.event_dates import DateMention, find_date_mentions
from ingest.sentence_splitter import split_sentences

_OPENERS = frozenset(':;.!?“"«(—–-*_>#•\n')


@dataclass(frozen=True)
class SourceText:
    """A cited article (or passage) prepared once for checking many claims against it."""

    text: str
    published: date | None
    words: tuple[str, ...] = field(repr=False)  # folded tokens of title and text, in order
    starts: tuple[int, ...] = field(repr=False)  # their offsets in `text` (-1 for the title's)
    dates: tuple[DateMention, ...] = field(repr=False)
    sentences: tuple[tuple[int, int], ...] = field(repr=False)
    sentence_words: tuple[frozenset[str], ...] = field(repr=False)
    # Per word: capitalised where its capital is not owed to its place (a name); False in the title.
    named: tuple[bool, ...] = field(repr=False, default=())
    # Per word that opens a number in words or with a scale word («hai trăm», «30 triệu»): its digits.
    spoken: Mapping[int, str] = field(repr=False, default_factory=dict)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.words)


def prepare_source(text: str, published: date | None, title: str = "") -> SourceText:
    """`text` (with its `title`'s words first, at offset -1) ready for `check_claim`."""
    spans = tuple(split_sentences(text)) or ((0, len(text)),)
    title_words = [fold_word(m.group(0)) for m in TOKEN.finditer(title)]
    text_tokens = list(TOKEN.finditer(text))
    return SourceText(
        text=text,
        published=published,
        words=tuple(title_words + [fold_word(m.group(0)) for m in text_tokens]),
        starts=tuple([-1] * len(title_words) + [m.start() for m in text_tokens]),
        dates=tuple(m for m in find_date_mentions(text, published) if m.value is not None),
        sentences=spans,
        sentence_words=tuple(frozenset(fold_word(w) for w in TOKEN.findall(text[s:e])) for s, e in spans),
        named=tuple([False] * len(title_words) + [_named(text, m) for m in text_tokens]),
        spoken={
            first + len(title_words): value
            for first, (_, value) in spoken_numbers([m.group(0) for m in text_tokens]).items()
        },
    )


def _named(text: str, token: re.Match[str]) -> bool:
    """The token is capitalised and not by its place (the start of a sentence, a quote or a bracket)."""
    before = text[: token.start()].rstrip()
    return token.group(0)[:1].isupper() and bool(before) and before[-1] not in _OPENERS


def word_positions(source: SourceText, start: int, end: int) -> range:
    """Indices of the source words inside text[start:end]."""
    return range(
        next((i for i, s in enumerate(source.starts) if s >= start), len(source.words)),
        next((i for i, s in enumerate(source.starts) if s >= end), len(source.words)),
    )
