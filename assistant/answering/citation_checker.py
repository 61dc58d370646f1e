"""Citations an LLM writes, checked against the sources it was given.

Every `[n]` must name a given source: unknown markers are removed. Citations are per article, numbered
in order of first citation, and the markers in the text are rewritten to match. A quoted phrase is
fuzzy-matched to the cited article and its exact span recorded; without a quote, the article sentence
that best supports the claim is used. Sentences with no supported citation are reported.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.answering.answer_models import Citation, SourcePassage, citation_from_passage
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, word_tokens

_MARKER = re.compile(r"\[(\d+(?:\s*[-,–]\s*\d+)*)\]")
_QUOTE = re.compile(r"[“\"«]([^”\"»]{8,400})[”\"»]")
MIN_SUPPORT = 0.25  # share of a sentence's words that must occur in a cited source


@dataclass(frozen=True)
class CheckedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    unsupported_sentences: list[str] = field(default_factory=list)


def _numbers(group: str) -> list[int]:
    found: list[int] = []
    for part in re.split(r"\s*,\s*", group):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            found.extend(range(low, min(high, low + 20) + 1))
        elif part.strip().isdigit():
            found.append(int(part))
    return found


def _words(text: str) -> set[str]:
    return set(word_tokens(fold_accents(text)))


def _best_span(article: str, sentence: str, quote: str | None) -> tuple[str, tuple[int, int]] | None:
    """The article passage matching the quote (or the sentence that best supports the claim), with its span."""
    if quote:
        exact = article.find(quote)
        if exact >= 0:
            return quote, (exact, exact + len(quote))
        position = fold_accents(article).lower().find(fold_accents(quote).lower())
        if position >= 0:  # fold_accents keeps lengths, so the position indexes the article too
            return article[position : position + len(quote)], (position, position + len(quote))
    spans = split_sentences(article)
    if not spans:
        return None
    wanted = fold_accents(quote or sentence).lower()
    wanted_words = _words(quote or sentence)

    def support(span: tuple[int, int]) -> float:
        candidate = article[span[0] : span[1]]
        overlap = len(_words(candidate) & wanted_words) / (len(wanted_words) or 1)
        if not quote:
            return overlap
        return overlap + difflib.SequenceMatcher(None, fold_accents(candidate).lower(), wanted).ratio()

    start, end = max(spans, key=support)
    return article[start:end], (start, end)


def check_citations(
    answer_text: str, sources: list[SourcePassage], article_texts: Mapping[str, str] | None = None
) -> CheckedAnswer:
    by_number = {p.n: p for p in sources}
    article_texts = article_texts or {}
    new_numbers: dict[str, int] = {}
    citations: dict[str, Citation] = {}
    unsupported: list[str] = []

    def renumber(match: re.Match[str]) -> str:
        kept = []
        for n in _numbers(match.group(1)):
            passage = by_number.get(n)
            if passage is None:
                continue
            number = new_numbers.setdefault(passage.article_id, len(new_numbers) + 1)
            if number not in kept:
                kept.append(number)
        return "".join(f"[{n}]" for n in kept)

    sentences = [answer_text[s:e] for s, e in split_sentences(answer_text)] or [answer_text]
    for sentence in sentences:
        cited = [
            by_number[n] for m in _MARKER.finditer(sentence) for n in _numbers(m.group(1)) if n in by_number
        ]
        claim = _MARKER.sub("", sentence).strip()
        if len(claim) < 15 or claim.startswith("#"):
            continue
        quote_match = _QUOTE.search(claim)
        supported = False
        for passage in cited:
            article = article_texts.get(passage.article_id) or passage.text
            overlap = len(_words(claim) & _words(article)) / (len(_words(claim)) or 1)
            supported = supported or overlap >= MIN_SUPPORT
            if passage.article_id not in citations:
                located = _best_span(article, claim, quote_match.group(1) if quote_match else None)
                quote, span = located if located else (passage.text[:300], None)
                if article is passage.text and span is not None:
                    span = (passage.start + span[0], passage.start + span[1])
                citations[passage.article_id] = citation_from_passage(passage, 0, quote, span)
        if not supported:
            unsupported.append(claim)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", _MARKER.sub(renumber, answer_text)).strip()
    ordered = sorted(citations.values(), key=lambda c: new_numbers.get(c.article_id, 10**6))
    final = [
        c.model_copy(update={"n": new_numbers[c.article_id]}) for c in ordered if c.article_id in new_numbers
    ]
    return CheckedAnswer(text, final, unsupported)
