"""Terms of the lexical index: syllables plus word-segmented compounds, exact and accent-folded.

Vietnamese words are written as space-separated syllables, so syllables alone lose "hội nghị" as a unit
while a segmenter alone loses recall when it segments a query differently from the article. We index
both: every syllable (identifiers such as "12-ct/tw" and dates kept whole) and every multi-syllable word
found by pyvi ("hội_nghị"). The folded field is the same terms with tones removed, which is what makes
questions typed without diacritics find their articles.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Any

from ingest.vietnamese_text import fold_accents, word_tokens

_ALPHA_WORD = re.compile(r"^[^\W\d_]+(?:_[^\W\d_]+)+$", re.UNICODE)


@lru_cache(maxsize=1)
def _segmenter() -> Any:  # pyvi has no type information
    from pyvi import ViTokenizer

    return ViTokenizer


def compound_words(text: str) -> list[str]:
    """Multi-syllable words found by the segmenter, lower-cased, syllables joined by '_'."""
    if not text.strip():
        return []
    segmented = _segmenter().tokenize(text)
    return [word.lower() for word in segmented.split() if "_" in word and _ALPHA_WORD.match(word)]


def exact_terms(text: str) -> list[str]:
    """Index terms with diacritics: syllables followed by compounds."""
    return word_tokens(text) + compound_words(text)


def folded_terms(terms: list[str]) -> list[str]:
    """The accent-folded twin of `exact_terms` output."""
    return fold_accents(" ".join(terms)).split(" ") if terms else []


def syllable_bigrams(terms: list[str]) -> list[str]:
    """Adjacent syllable pairs ("doi~ngoai") of `exact_terms`/`folded_terms` output (compounds skipped).

    Pairs keep word order, which single syllables lose, without trusting the segmenter: on ViNewsQA dev
    an article-level BM25 over folded bigrams added 1.5 points of Recall@5 to the fusion (bench/fusion_study.py)."""
    syllables = [t for t in terms if "_" not in t]
    return [f"{a}~{b}" for a, b in itertools.pairwise(syllables)]
