"""Where each `[n]` of an answer is quoted in article `n`: every span, not only the citation's first.

A `Citation` keeps one quote (the first sentence taken from its article), but an answer often cites the
same article with several sentences ("… [1] … [1]"). An extractive answer's sentences are the article's
own words, so each sentence before a marker is looked up in the article text (whitespace may differ);
an LLM's paraphrase is not found and only the citation's own quote is marked. The spans drive both the
highlighting in the source card and the tooltip of each `[n]` in the bubble.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.answering.answer_models import Answer, Citation
from ingest.vietnamese_text import fold_accents, word_tokens

_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_NUMBER = re.compile(r"\[(\d+)\]")
# What the answer adds before a verbatim sentence: a list bullet, a date "07/07/2022: ", a label.
_LINE_PREFIX = re.compile(r"^\s*(?:[-*•]\s+)?(?:\d{1,2}/\d{1,2}/\d{4}:\s+)?")
_UNVERIFIED_NOTE = re.compile(r"\(chưa kiểm chứng\)\s*$")
# Shorter segments ("Cao Bằng [1].") are facts cut out of a sentence, not quotes of their own.
MIN_QUOTE_CHARS = 25


@dataclass(frozen=True)
class CitedSegment:
    """A piece of answer text and the source numbers of the markers right after it."""

    text: str
    numbers: tuple[int, ...]


def cited_segments(text: str) -> Iterator[CitedSegment]:
    """Each stretch of `text` that ends with a run of `[n]` markers, with those numbers: together they
    hold every marker of `text`, in order."""
    position = 0
    for run in _MARKERS.finditer(text):
        segment = text[position : run.start()]
        position = run.end()
        numbers = tuple(int(n) for n in _NUMBER.findall(run.group()))
        # A sentence starts after the previous marker run, or after the previous line's end.
        segment = segment.rsplit("\n", 1)[-1]
        segment = _UNVERIFIED_NOTE.sub("", _LINE_PREFIX.sub("", segment.lstrip(" .;,"))).strip()
        yield CitedSegment(segment, numbers)  # even empty ("[1][2]" first): one per run of markers


def find_in_article(article_text: str, quote: str) -> tuple[int, int] | None:
    """The first place `quote` occurs in the article, whitespace runs matching any whitespace."""
    words = quote.split()
    if not words or not article_text:
        return None
    found = article_text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, article_text)
    return (match.start(), match.end()) if match else None


def locate_quote(article_text: str, citation: Citation) -> tuple[int, int] | None:
    """The citation's own quote in the article: its span when that really holds the quote, else the
    first place the quote occurs, else None (the article changed since the answer, or a paraphrase)."""
    if not article_text:
        return None
    if citation.span:
        start, end = citation.span
        if 0 <= start < end <= len(article_text) and (
            not citation.quote
            or " ".join(article_text[start:end].split()) == " ".join(citation.quote.split())
        ):
            return start, end
    return find_in_article(article_text, citation.quote.strip())


def segment_span(article_text: str, segment: CitedSegment) -> tuple[int, int] | None:
    """Where a cited sentence of the answer stands verbatim in the article, or None."""
    if len(segment.text) < MIN_QUOTE_CHARS:
        return None
    # The answer may end a sentence with a full stop the article puts after a closing bracket or quote.
    return find_in_article(article_text, segment.text) or find_in_article(
        article_text, segment.text.rstrip(".").strip()
    )


def quoted_spans(article_text: str, answer: Answer, citation: Citation) -> list[tuple[int, int]]:
    """Every span of article `citation.n` the answer quotes, in article order, overlaps merged."""
    spans: list[tuple[int, int]] = []
    own = locate_quote(article_text, citation)
    if own:
        spans.append(own)
    for text in (answer.short_answer or "", answer.text):
        for segment in cited_segments(text):
            if citation.n in segment.numbers and (span := segment_span(article_text, segment)):
                spans.append(span)
    return merge_spans(spans)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or touching spans joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def supporting_span(
    article_text: str, answer: Answer, citation: Citation, segment: CitedSegment
) -> tuple[int, int] | None:
    """The article passage behind one `[n]` of the answer: the sentence itself when it is verbatim, else
    (a fact line "Cao Bằng [1].", a paraphrase) the quoted span sharing most words with it."""
    exact = segment_span(article_text, segment)
    if exact:
        return exact
    spans = quoted_spans(article_text, answer, citation)
    if not spans:
        return None
    words = set(word_tokens(fold_accents(segment.text).lower()))
    return max(
        spans,
        key=lambda span: len(words & set(word_tokens(fold_accents(article_text[span[0] : span[1]]).lower()))),
    )
