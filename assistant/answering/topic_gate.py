"""Is the best article about what the question asks? Decided before any sentence is shown.

Sharing common words is not enough: "Giá vé máy bay từ Hà Nội đi Đà Nẵng là bao nhiêu?" shares "Hà Nội"
and "bao nhiêu" with many political articles. The article must hold (1) most of the question's topical
syllables weighted by their rarity in the archive (a rare word missing weighs more than a common one),
(2) most of its two-syllable phrases ("giá vé", "máy bay": a word's syllables scattered over an article
are not the word), and (3) every name the question spells with capitals ("Đà Nẵng"). Comparison is on
accent-folded forms so unaccented questions whose diacritics were restored imperfectly still match, and
on spelling keys (`name_matching.spelling_key`) so "kí sinh" matches "ký sinh" and "thuỷ" "thủy".
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.name_matching import missing_names, spelling_key
from assistant.question.analysis import is_stopword, without_asked_type
from ingest.vietnamese_text import fold_accents, has_diacritics, word_tokens

# Tuned on the first 400 ViNewsQA dev questions against the 36 off-topic questions of
# bench/data/offtopic_questions.jsonl (/tmp study, figures in the commit message): the strictest pair
# whose false refusals stay near 0.03.
MIN_WEIGHTED_COVERAGE = 0.5
MIN_PHRASE_COVERAGE = 0.25
# A question whose rare words are nearly all in the article is on its topic even when it words the
# phrases its own way ("Vincent được điều trị ở đâu?" against "Bệnh viện Sébastopol"): no off-topic
# question of the study set reaches it without also passing the phrase test.
COVERAGE_WITHOUT_PHRASES = 0.8
# A passage the embedding model finds as close as a paraphrase (`ArchiveEmbeddings.paraphrase_similarity`)
# is on topic when it also holds this share of the question's rare words and every name: a question
# worded in its own terms ("Kito giáo", "quay lại Paris") against an encyclopedia paragraph that says
# "Kitô giáo", "trở về". Same study as the similarity (ViQuAD 1.0 / ViNewsQA / off-topic set).
PARAPHRASE_COVERAGE = 0.45


@dataclass(frozen=True)
class TopicCheck:
    on_topic: bool
    coverage: float  # rarity-weighted share of topical syllables in the article
    phrase_coverage: float
    missing_names: list[str]


def check_topic(
    question: str,
    content_terms: list[str],
    article_text: str,
    frequencies: dict[str, int],
    n_articles: int,
    typed_question: str | None = None,
    similarity: tuple[float | None, float | None] = (None, None),
) -> TopicCheck:
    """Whether `article_text` (title + text) is on the question's topic; `frequencies` are the
    archive's article frequencies of the (accented, lower-cased) terms. Names are read from
    `typed_question` (the question as the user typed it) when given: diacritic restoration can change
    a name ("Hoa Kỳ" -> "Hóa Kỳ"). `similarity` is the passage's dense similarity to the question and
    the embedding model's paraphrase threshold (either None: words alone decide)."""
    # Accented questions compare with their accents ("vé" is not "về"); a question typed without them
    # was restored, perhaps imperfectly, so it compares folded.
    typed = typed_question if typed_question is not None else question
    accented = has_diacritics(typed)
    fold = (lambda s: s.lower()) if accented else (lambda s: fold_accents(s).lower())
    article_tokens = [spelling_key(token) for token in word_tokens(fold(article_text))]
    words = set(article_tokens)
    weights = {
        term: math.log(1 + n_articles / (1 + frequencies.get(term, 0)))
        for term in dict.fromkeys(content_terms)
    }
    total = sum(weights.values())
    coverage = sum(w for t, w in weights.items() if spelling_key(fold(t)) in words) / total if total else 0.0
    phrases = [" ".join(map(spelling_key, p.split())) for p in topical_phrases(question, folded=not accented)]
    joined = f" {' '.join(article_tokens)} "
    phrase_coverage = sum(f" {phrase} " in joined for phrase in phrases) / len(phrases) if phrases else 1.0
    names = question_names(typed_question if typed_question is not None else question)
    missing = missing_names(names, article_text)
    by_words = coverage >= MIN_WEIGHTED_COVERAGE and (
        not phrases or phrase_coverage >= MIN_PHRASE_COVERAGE or coverage >= COVERAGE_WITHOUT_PHRASES
    )
    dense, paraphrase = similarity
    by_meaning = dense is not None and paraphrase is not None and dense >= paraphrase
    on_topic = not missing and (by_words or (by_meaning and coverage >= PARAPHRASE_COVERAGE))
    return TopicCheck(on_topic, coverage, phrase_coverage, missing)


def topical_phrases(question: str, folded: bool = True) -> list[str]:
    """Pairs of adjacent topical syllables, lower-cased ("giá vé", "máy bay"), folded by default. A pair
    that straddles two of pyvi's words ("cơ thể | phụ nữ" gives no "thể phụ") is no phrase: such pairs
    are in no article and would make an on-topic question look off-topic."""
    question = without_asked_type(question)
    tokens = word_tokens(question)
    words = pyvi_word_numbers(question, tokens)
    pairs = []
    for index, (first, second) in enumerate(itertools.pairwise(tokens)):
        if is_stopword(first) or is_stopword(second) or not first.isalpha() or not second.isalpha():
            continue
        if words is not None and _straddles(words, index):
            continue
        pair = f"{first} {second}".lower()
        pairs.append(fold_accents(pair).lower() if folded else pair)
    return list(dict.fromkeys(pairs))


@lru_cache(maxsize=1024)
def _segmented(question: str) -> tuple[tuple[str, ...], ...]:
    from pyvi import ViTokenizer

    words = ViTokenizer.tokenize(question).split()
    return tuple(tuple(word.lower().split("_")) for word in words if any(c.isalnum() for c in word))


def pyvi_word_numbers(question: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """For each token, (its pyvi word's number, that word's syllable count); None when pyvi's syllables
    do not line up with `tokens` (then every pair counts, as before segmentation)."""
    labelled = [(n, len(word)) for n, word in enumerate(_segmented(question)) for _ in word]
    syllables = [syllable for word in _segmented(question) for syllable in word]
    if syllables != [token.lower() for token in tokens]:
        return None
    return labelled


def _straddles(words: list[tuple[int, int]], index: int) -> bool:
    (first_word, first_size), (second_word, second_size) = words[index], words[index + 1]
    return first_word != second_word and (first_size > 1 or second_size > 1)


_WORD = re.compile(r"[^\W\d_]+")


def question_names(question: str) -> list[str]:
    """Names spelled with capitals in the question (runs of 2+ capitalised words, not counting the
    question's first word: "Ai", "Hội nghị" are capitalised because they start it)."""
    words = list(_WORD.finditer(question))[1:]
    names: list[str] = []
    run: list[re.Match[str]] = []
    for word in [*words, None]:
        joined = word is not None and bool(run) and not question[run[-1].end() : word.start()].strip()
        if word is not None and word.group()[:1].isupper() and (not run or joined):
            run.append(word)
            continue
        if len(run) >= 2:
            name = question[run[0].start() : run[-1].end()]
            if not _is_title_case_phrase(name) and not _ROLE_START.match(fold_accents(name).lower()):
                names.append(name)
        run = [word] if word is not None and word.group()[:1].isupper() else []
    return names


# "Phó Viện trưởng", "Chủ tịch": capitalised titles, not names.
_ROLE_START = re.compile(
    r"^(pho|chu tich|tong|bo truong|thu truong|giam doc|truong|vien truong|dai su|ong|ba)\b"
)
_EVENT_HEADS = re.compile(r"^(hoi|le|lop|chi thi|ke hoach|nghi quyet|dai hoi|dien dan|chuong trinh)\b")


def _is_title_case_phrase(name: str) -> bool:
    return bool(_EVENT_HEADS.match(fold_accents(name).lower()))
