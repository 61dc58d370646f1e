"""Sentence-aware chunks of an article, bounded in the embedding model's own tokens.

A chunk is what retrieval returns and what the model embeds, so it must (1) fit the model's input limit
or the model silently truncates it, (2) be about `target_tokens` long so chunks are comparable, and (3)
start and end on sentence boundaries so quotes read naturally. Consecutive chunks share
`overlap_sentences` sentences so a fact stated across a chunk boundary is still found whole.

The model embeds the headline with every chunk (`chunk_embedding_text`), so the headline is part of the
budget. Token counts come from the caller's `count_tokens` (the embedder's, prefix and special tokens
included). Counting is costly for real tokenizers, so each sentence is counted once, chunk sizes are
estimated by adding, and each finished chunk is verified with one real count (trimmed if the estimate
was short). Only a sentence longer than the limit is counted repeatedly, to split it at word boundaries.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from ingest.models import Chunk, CleanArticle
from ingest.sentence_splitter import split_sentences

# Headlines longer than this are cut (at a word boundary) before embedding: a page banner mistaken for a
# headline must not eat the token budget of every chunk.
MAX_TITLE_CHARS = 200
_WORD = re.compile(r"\S+")
# Calibration word: count("và và") - count("và") is one word, so 2*count("và") - count("và và") is what
# every text costs before its first word (prefix and special tokens).
_PROBE = "và"


class ChunkingError(ValueError):
    """The token limit cannot hold even the headline and one character of text."""


@dataclass(frozen=True)
class ChunkingConfig:
    """How articles are cut: the hard bound and the target in model tokens, and the sentence overlap."""

    max_tokens: int = 512
    target_tokens: int = 300
    overlap_sentences: int = 1

    def within(self, model_max_tokens: int) -> ChunkingConfig:
        """The same configuration bounded by what the embedding model can read at once."""
        max_tokens = min(self.max_tokens, model_max_tokens)
        return ChunkingConfig(max_tokens, min(self.target_tokens, max_tokens), self.overlap_sentences)


def embedding_title(title: str) -> str:
    """The headline as embedded: stripped and cut at a word boundary to `MAX_TITLE_CHARS`."""
    title = " ".join(title.split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS + 1)
    return title[: cut if cut > 0 else MAX_TITLE_CHARS].rstrip()


def chunk_embedding_text(title: str, chunk: Chunk) -> str:
    """What the model embeds for a chunk: headline, newline, chunk text (the text alone if no headline)."""
    return _with_header(_header(title), chunk.text)


def _header(title: str) -> str:
    shown = embedding_title(title)
    return f"{shown}\n" if shown else ""


def _with_header(header: str, text: str) -> str:
    return header + text


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a piece of a sentence too long for one chunk; `cost` estimates its tokens."""

    start: int
    end: int
    cost: int


def chunk_article(
    article: CleanArticle,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    target_tokens: int,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """Chunks of `article.text`; `count_tokens(chunk_embedding_text(title, chunk)) <= max_tokens`."""
    if max_tokens < 1 or target_tokens < 1 or overlap_sentences < 0:
        raise ValueError("max_tokens and target_tokens must be positive, overlap_sentences not negative")
    planner = _ChunkPlanner(article, count_tokens, max_tokens, min(target_tokens, max_tokens))
    return planner.plan(overlap_sentences)


class _ChunkPlanner:
    """Packs units greedily by estimated cost and verifies each chunk once with a real count."""

    def __init__(
        self, article: CleanArticle, count_tokens: Callable[[str], int], max_tokens: int, target: int
    ) -> None:
        self.article = article
        self.text = article.text
        self.count = count_tokens
        self.max_tokens = max_tokens
        self.target = target
        self.header = _header(article.title)
        self.overhead = max(0, 2 * count_tokens(_PROBE) - count_tokens(f"{_PROBE} {_PROBE}"))
        self.header_cost = count_tokens(self.header) if self.header else self.overhead
        if self.header_cost >= max_tokens:
            raise ChunkingError(
                f"Tiêu đề bài «{self.header.strip()[:80]}» đã chiếm hết giới hạn {max_tokens} token của "
                "mô hình nhúng; hãy tăng ARCHIVE_CHUNK_MAX_TOKENS."
            )
        self.units: list[_Unit] = []
        for start, end in split_sentences(self.text):
            cost = max(1, count_tokens(self.text[start:end]) - self.overhead)
            if self.header_cost + cost > max_tokens:
                self.units.extend(self._split_unit(start, end))
            else:
                self.units.append(_Unit(start, end, cost))
        self._reindex()

    def _reindex(self) -> None:
        self.prefix = [0, *accumulate(unit.cost for unit in self.units)]

    def _estimate(self, first: int, stop: int) -> int:
        return self.header_cost + self.prefix[stop] - self.prefix[first]

    def _real(self, first: int, stop: int) -> int:
        return self.count(
            _with_header(self.header, self.text[self.units[first].start : self.units[stop - 1].end])
        )

    def plan(self, overlap_sentences: int) -> list[Chunk]:
        chunks: list[Chunk] = []
        covered = 0  # units [0, covered) are in some chunk
        previous_first = -1
        while covered < len(self.units):
            overlap_first = max(covered - overlap_sentences, previous_first + 1)
            built = self._build(overlap_first, covered) if overlap_first < covered else None
            if built is None:
                built = self._build(covered, covered)
            assert built is not None  # a chunk starting at `covered` always fits after splitting
            first, stop, tokens = built
            start, end = self.units[first].start, self.units[stop - 1].end
            chunks.append(
                Chunk(
                    article_id=self.article.article_id,
                    position=len(chunks),
                    text=self.text[start:end],
                    start=start,
                    end=end,
                    token_count=tokens,
                )
            )
            previous_first, covered = first, stop
        return chunks

    def _build(self, first: int, covered: int) -> tuple[int, int, int] | None:
        """(first, stop, real tokens) of the chunk starting at unit `first` and adding at least one new
        unit; None when the overlap (units before `covered`) leaves no room for a new unit."""
        stop = first + 1
        while stop < len(self.units) and self._estimate(first, stop + 1) <= self.target:
            stop += 1
        if stop <= covered:
            if first < covered:
                return None
            stop = covered + 1
        real = self._real(first, stop)
        while real > self.target and stop > covered + 1:
            stop -= 1
            real = self._real(first, stop)
        if first < covered and real > self.target:
            return None
        if real > self.max_tokens:
            # A single new unit whose estimate was short: split it with real counts and retry.
            unit = self.units[first]
            self.units[first : first + 1] = self._split_unit(unit.start, unit.end)
            self._reindex()
            return self._build(first, covered)
        return first, stop, real

    def _fits(self, start: int, end: int, budget: int) -> bool:
        return self.count(_with_header(self.header, self.text[start:end])) <= budget

    def _split_unit(self, start: int, end: int) -> list[_Unit]:
        """Pieces of text[start:end], cut at word boundaries (inside a word only if one word is too long),
        each fitting `target` tokens with the headline (or `max_tokens` when the headline leaves no room)."""
        budget = self.target if self.header_cost < self.target else self.max_tokens
        word_ends = [start + m.end() for m in _WORD.finditer(self.text[start:end])]
        pieces: list[_Unit] = []
        position = start
        while position < end:
            first_candidate = bisect.bisect_right(word_ends, position)
            candidates = word_ends[first_candidate:]
            low, high = 0, len(candidates)  # candidates[:low] fit; candidates[high:] do not
            while low < high:
                middle = (low + high) // 2
                if self._fits(position, candidates[middle], budget):
                    low = middle + 1
                else:
                    high = middle
            if low > 0:
                piece_end = candidates[low - 1]
            else:
                piece_end = self._longest_prefix(position, candidates[0], budget)
            cost = max(
                1, self.count(_with_header(self.header, self.text[position:piece_end])) - self.header_cost
            )
            pieces.append(_Unit(position, piece_end, cost))
            position = piece_end
            while position < end and self.text[position].isspace():
                position += 1
        return pieces

    def _longest_prefix(self, start: int, word_end: int, budget: int) -> int:
        """The end of the longest fitting prefix of one over-long word (at least one character)."""
        low, high = start + 1, word_end  # text[start:low] is tried first; answer in [start+1, word_end]
        if not self._fits(start, low, budget):
            raise ChunkingError(
                f"Giới hạn {budget} token của mô hình nhúng không đủ cho tiêu đề bài và một ký tự nội dung; "
                "hãy tăng ARCHIVE_CHUNK_MAX_TOKENS."
            )
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(start, middle, budget):
                low = middle
            else:
                high = middle - 1
        return low
