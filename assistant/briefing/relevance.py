"""Which retrieved articles are about a briefing's topic, and how central the topic is in each.

Retrieval ranks by similarity, so it also returns articles that merely share a word with the topic (a
world-news story saying "nhân dân" once). A briefing must list only articles *about* the topic, so the
topic has to be central in the article, not mentioned once:

* the whole topic ("đối ngoại nhân dân") is in the title or the lead (first two sentences), or occurs
  at least twice; or
* it occurs once and each of its words ("hoạt động", "đối ngoại") is itself central: in the title or
  the lead, or repeated;
* when no candidate holds the topic as written (a loose list of words such as "hợp tác Việt Nam Lào"),
  every word must be central.

Words are pyvi's segmentation of the topic without function words; matching is on accent-folded text
(so unaccented topics work), whole syllables only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, word_tokens

LEAD_SENTENCES = 2
# Function words that are not part of a topic ("về", "các", "những" ...), folded.
_FUNCTION_WORDS = frozenset("ve cac nhung cua va voi tai o trong cho tu den la".split())


@dataclass(frozen=True)
class TopicMatch:
    """How the topic appears in one article; `weight` ranks articles by how central it is there."""

    article_id: str
    in_title: bool
    in_lead: bool
    mentions: int  # occurrences of the whole topic in the text
    words_central: bool

    @property
    def weight(self) -> float:
        return 3.0 * self.in_title + 2.0 * self.in_lead + min(self.mentions, 5) + 1.0 * self.words_central


@dataclass(frozen=True)
class TopicTerms:
    """The topic as a whole phrase and as separate words, both as folded-text patterns."""

    phrase: re.Pattern[str] | None
    words: tuple[re.Pattern[str], ...]


def topic_terms(topic: str) -> TopicTerms:
    words = [w for w in _segmented(topic) if fold_accents(w).lower() not in _FUNCTION_WORDS]
    if not words:
        return TopicTerms(None, ())
    patterns = tuple(_syllables_pattern(word.split("_")) for word in words)
    phrase = _syllables_pattern([s for word in words for s in word.split("_")])
    return TopicTerms(phrase, patterns)


def topic_matches(topic: str, articles: dict[str, tuple[str, str]]) -> list[TopicMatch]:
    """The articles (id -> (title, text)) about `topic`, most central first (ties keep input order)."""
    terms = topic_terms(topic)
    if terms.phrase is None:
        return []
    measured = [_measure(article_id, title, text, terms) for article_id, (title, text) in articles.items()]
    anyone_has_phrase = any(m.in_title or m.in_lead or m.mentions for m in measured)
    relevant = [m for m in measured if _on_topic(m, anyone_has_phrase)]
    return sorted(relevant, key=lambda m: -m.weight)


def _on_topic(match: TopicMatch, anyone_has_phrase: bool) -> bool:
    if match.in_title or match.in_lead or match.mentions >= 2:
        return True
    if match.mentions == 1:
        return match.words_central
    return not anyone_has_phrase and match.words_central


def _measure(article_id: str, title: str, text: str, terms: TopicTerms) -> TopicMatch:
    assert terms.phrase is not None
    spans = split_sentences(text)
    lead_end = spans[min(LEAD_SENTENCES, len(spans)) - 1][1] if spans else 0
    folded_title, folded_text = _folded(title), _folded(text)
    folded_lead = folded_text[:lead_end]

    def central(pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(folded_title) or pattern.search(folded_lead)) or (
            len(pattern.findall(folded_text)) >= 2
        )

    return TopicMatch(
        article_id=article_id,
        in_title=bool(terms.phrase.search(folded_title)),
        in_lead=bool(terms.phrase.search(folded_lead)),
        mentions=len(terms.phrase.findall(folded_text)),
        words_central=all(central(word) for word in terms.words),
    )


def _folded(text: str) -> str:
    return fold_accents(text).lower()


def _syllables_pattern(syllables: list[str]) -> re.Pattern[str]:
    folded = [re.escape(fold_accents(s).lower()) for s in syllables]
    return re.compile(r"(?<!\w)" + r"[\s\-–—]+".join(folded) + r"(?!\w)")  # "Việt Nam – Lào" too


@cache
def _segmented(topic: str) -> tuple[str, ...]:
    """The topic's words ("đối_ngoại", "nhân_dân"), pyvi's segmentation of its syllables."""
    from pyvi import ViTokenizer

    syllables = " ".join(word_tokens(topic))
    return tuple(ViTokenizer.tokenize(syllables).split()) if syllables else ()
