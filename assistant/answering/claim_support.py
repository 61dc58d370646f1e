"""Whether one cited claim stands in its source: the facts it states, where the source states them.

Sharing a quarter of its words with the article let "…tổ chức tại Paris… [1]" pass (issue 14 §4). A claim
is now supported by a source only when
- every **name** it gives (a run of capitalised words) is in the article;
- its **content words** (function words, numbers, dates and names left out) overlap the source strongly:
  `ARTICLE_OVERLAP` of them in the article, `WINDOW_OVERLAP` in the window below (all of them for a claim
  of one to three such words);
- its **facts** are in a window of three sentences around a source sentence that shares (nearly) the most
  content words with it: every number and name, each next to one of the words it stands beside in the
  claim ("200 đại biểu", not a 200 of another sentence), and every date, compared as resolved dates
  ("7/7/2022" matches "Sáng nay (7/7)" in an article of 7/7/2022, through `ingest.event_dates`). Facts do
  not choose the window, so a name swapped in from elsewhere in the article cannot pull it to itself.
  Numbers compare by value ("hai trăm" = 200, "30 triệu" = 30.000.000: `spoken_numbers`);
- no name follows a word in the claim ("tỉnh <name>", "Đại học <name>") where the window follows that
  word only with another name ("tỉnh Bình Dương") and never states the name near it.

The question an answer replies to is the user's premise, not the answer's claim (an LLM repeats it): a
name the question gives need only be in the article (the source may say «ông» where it states the
fact), unless the window puts another name after the word it follows in the claim; content words the
question gives do not count in the overlap, when the answer adds words or facts of its own (requiring
half of them in the article as well caught one citation of the wrong article in 600 answers and
flagged 2-4 % more faithful rewordings: «người sáng lập» where the source says «cha đẻ»).

The claim is taken apart by `claim_facts`. Measured with bench/citation_checker.py (planted errors in
answers built from the dev QA sets; `--baseline-ref` compares with an older commit on the same answers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from assistant.answering.claim_facts import (
    ClaimFacts,
    Fact,
    claim_facts,
    fold_phrase,
    number_forms,
)
from assistant.answering.date_support import date_supported
from assistant.answering.source_text import SourceText, prepare_source, word_positions

__all__ = ["SourceText", "Support", "check_claim", "prepare_source"]  # SourceText: source_text.py

ARTICLE_OVERLAP = 0.6
WINDOW_OVERLAP = 0.5
MAX_WINDOWS = 6
NEAR_BEST = 0.75  # windows around sentences sharing this share of the best sentence's content words
# Words either side of a fact in the source where one of its claim neighbours must stand (the nearest
# content word before and after it in the claim); names move more than numbers when a sentence is reworded.
NEIGHBOURHOOD = {"number": 5, "name": 8}


@dataclass(frozen=True)
class Support:
    supported: bool
    reason: str = ""  # why not, in Vietnamese, for logs and the bench
    span: tuple[int, int] | None = None  # the source sentence that supports the claim best
    window: tuple[int, int] | None = None  # the stretch of the source its facts were found in


def check_claim(
    claim: str, source: SourceText, within: list[tuple[int, int]] | None = None, question: str = ""
) -> Support:
    """Whether `source` supports `claim` (see the module for the rules). `within` limits where its facts
    may stand to these spans of the source (the short answer's: where the answer's claims stand). Names
    the `question` gives need only be in the article."""
    facts = claim_facts(claim, source.published)
    vocabulary = source.vocabulary
    for fact in facts.facts:
        if fact.kind == "name" and not _name_in(fact, vocabulary, source.words):
            return Support(False, f"tên «{fact.text}» không có trong bài")
    claim_names = frozenset(w for f in facts.facts if f.kind == "name" for form in f.forms for w in form)
    given: tuple[Fact, ...] = ()
    if question:
        asked = f" {' '.join(fold_phrase(question))} "
        given = tuple(f for f in facts.facts if f.kind == "name" and _given(f, asked))
        facts = ClaimFacts(tuple(f for f in facts.facts if f not in given), facts.dates, facts.content)
    others = _OtherNames(given, claim_names)
    content = set(facts.content)
    counted = _answer_words(content, facts, question)
    found = len(counted & vocabulary)
    if len(counted) - found > _allowed_missing(len(counted), ARTICLE_OVERLAP):
        return Support(False, f"chỉ {found}/{len(counted)} từ của ý này có trong bài")
    reason = "không đoạn nào của bài nêu đủ các số, ngày và tên này"
    if within is not None:
        for span in within:
            problem = _missing_in(facts, source, span, None, others)
            if problem is None:
                return Support(True, span=span, window=span)
            reason = problem
        return Support(False, reason)
    for window, best, top in _windows(content, facts, source):
        shared = len(counted & frozenset().union(*(source.sentence_words[i] for i in window)))
        if len(counted) - shared > _allowed_missing(len(counted), WINDOW_OVERLAP):
            reason = f"không đoạn nào của bài có đủ từ của ý này ({shared}/{len(counted)})"
            continue
        span = (source.sentences[window[0]][0], source.sentences[window[-1]][1])
        problem = _missing_in(facts, source, span, source.sentences[best] if top else None, others)
        if problem is None:
            return Support(True, span=source.sentences[best], window=span)
        reason = problem
    return Support(False, reason)


def _answer_words(content: set[str], facts: ClaimFacts, question: str) -> set[str]:
    """The content words whose overlap decides: those the answer adds to the question's, when it adds
    any word or fact (the question's own words are the user's: «người sáng lập» where the source says
    «cha đẻ»); all of them when the claim only repeats the question ("Hội nghị có thành công")."""
    if not question:
        return content
    own = content - set(fold_phrase(question))
    return own if own or facts.facts or facts.dates else content


def _allowed_missing(count: int, share: float) -> int:
    """Content words a claim of `count` may miss; none for one to three."""
    return 0 if count <= 3 else math.floor(count * (1 - share) + 1e-9)


def _occurrences(
    fact: Fact, words: tuple[str, ...], positions: range, spoken: Mapping[int, str] | None = None
) -> list[tuple[int, int]]:
    """(first word, words) of each place in `positions` where the source states the fact (a name in any
    of its forms; a number also in words, `spoken`: «hai trăm» for 200)."""
    if fact.kind == "number":
        spoken = spoken or {}
        return [
            (i, 1)
            for i in positions
            if fact.words[0] in number_forms(words[i]) or spoken.get(i) == fact.words[0]
        ]
    return [(i, len(form)) for form in fact.forms for i in positions if words[i : i + len(form)] == form]


def _without_first_word(fact: Fact) -> Fact:
    """A name that opens the claim, less its first word (which may be "Ông", "Bà", "Nhà" …)."""
    return replace(fact, words=fact.words[1:])


def _name_in(fact: Fact, vocabulary: frozenset[str], words: tuple[str, ...]) -> bool:
    """The name is in the article (in any of its forms); one that opens the claim also without its
    first word ("Ông …")."""
    candidates = [fact]
    if fact.opens and len(fact.words) > 1:
        candidates.append(_without_first_word(fact))
    everywhere = range(len(words))
    return any(
        any(set(form) <= vocabulary for form in candidate.forms)
        and _occurrences(candidate, words, everywhere)
        for candidate in candidates
    )


def _given(fact: Fact, question: str) -> bool:
    """The question gives this name (the user's premise, not the answer's claim)."""
    forms = list(fact.forms)
    if fact.opens and len(fact.words) > 1:
        forms.append(fact.words[1:])
    return any(f" {' '.join(form)} " in question for form in forms)


def _windows(content: set[str], facts: ClaimFacts, source: SourceText) -> list[tuple[list[int], int, bool]]:
    """Sentence windows (indices, centre sentence, whether it shares the most content words) around the
    sentences sharing (nearly) the most content words. A claim without content words ("Hơn 200 đại biểu", "Sáng 7/7/2022, tại Cao Bằng") is decided
    by its facts: the windows around the sentences holding most of them, then the whole article."""
    count = len(source.sentences)
    fact_words = {w for fact in facts.facts for w in fact.words}
    wanted = content or fact_words
    scores = [len(wanted & words) for words in source.sentence_words]
    top = max(scores)
    floor = max(math.ceil(NEAR_BEST * top), 1) if content else top
    # Ties on content words ("bệnh nhân" in many sentences) are broken by the claim's facts.
    tie_break = [len(fact_words & words) for words in source.sentence_words]
    best = sorted(
        (i for i, score in enumerate(scores) if score >= floor), key=lambda i: (-scores[i], -tie_break[i])
    )[:MAX_WINDOWS]
    windows = [
        (list(range(max(i - 1, 0), min(i + 2, count))), i, bool(content) and scores[i] == top) for i in best
    ]
    if not content:
        windows.append((list(range(count)), best[0] if best else 0, False))
    return windows


@dataclass(frozen=True)
class _OtherNames:
    """The names a claim repeats from the question (checked only against other names), and every word
    of the claim's names (not "another name")."""

    given: tuple[Fact, ...]
    claim_words: frozenset[str]


def _missing_in(
    facts: ClaimFacts,
    source: SourceText,
    window: tuple[int, int],
    best: tuple[int, int] | None,
    others: _OtherNames | None = None,
) -> str | None:
    """What of the claim's facts the source's `window` lacks, or None. A name or date in the `best`
    sentence (the one sharing most words with the claim) needs no neighbour: a reworded sentence moves
    names and dates; numbers keep their unit. No name may follow a word the window follows with another
    name only (`_said_otherwise`); a name the question gave may otherwise be missing ("ông" stands for
    it)."""
    positions = word_positions(source, *window)
    claim_words = others.claim_words if others else frozenset()
    names = [f for f in (*facts.facts, *(others.given if others else ())) if f.kind == "name"]
    for fact in names:
        if _said_otherwise(fact, source, positions, claim_words):
            return f"tên «{fact.text}»: đoạn tương ứng của bài nêu tên khác sau «{fact.head}»"
    in_best = word_positions(source, *best) if best else range(0)
    for fact in facts.facts:
        if fact.kind == "name" and fact.opens and len(fact.words) > 1:
            fact = _without_first_word(fact)  # its first word may be "Ông"
        found = _occurrences(fact, source.words, positions, source.spoken)
        if not found and fact.kind == "name" and len(fact.words) > 1:  # "ông Sơn" for "Phan Anh Sơn"
            found = _occurrences(Fact("name", "", fact.words[-1:], ()), source.words, positions)
        what = "số" if fact.kind == "number" else "tên"
        if not found:
            return f"{what} «{fact.text}» không có ở đoạn tương ứng của bài"
        if fact.kind == "name" and any(i in in_best for i, _ in found):
            continue
        if fact.neighbours and not any(_near(source.words, i, size, fact) for i, size in found):
            return f"{what} «{fact.text}» không đi cùng «{' / '.join(fact.neighbours)}» như trong bài"
    for claimed in facts.dates:
        if not (
            date_supported(claimed, source, in_best, loose=True) or date_supported(claimed, source, positions)
        ):
            return f"ngày «{claimed.mention.text}» không có ở đoạn tương ứng của bài"
    return None


def _said_otherwise(fact: Fact, source: SourceText, positions: range, claim_words: frozenset[str]) -> bool:
    """The window names something else right after the word the claim puts before the name: the claim
    says "Đại học <name>" where the source says "Đại học Pennsylvania". (A subject the source names
    otherwise, "Friedrich Đại Đế kéo quân" for "Vua Phổ kéo quân", may be the same person: not counted.)"""
    if not fact.head:
        return False
    if fact.opens and len(fact.words) > 1:
        fact = _without_first_word(fact)
    # Stated near that word ("quảng trường lớn nhất là Concorde", "các tỉnh Hà Tĩnh, Quảng Bình"): no.
    head = replace(fact, neighbours=(fact.head,))
    if any(_near(source.words, i, size, head) for i, size in _occurrences(fact, source.words, positions)):
        return False
    return any(
        source.words[i] == fact.head
        and not source.named[i]
        and i + 1 in positions
        and source.named[i + 1]
        and source.words[i + 1] not in claim_words
        for i in positions
    )


def _near(words: tuple[str, ...], index: int, size: int, fact: Fact) -> bool:
    """One of the fact's claim neighbours stands near its occurrence (`size` words at `index`), not
    counting its own words."""
    reach = NEIGHBOURHOOD[fact.kind]
    end = index + size
    around = words[max(index - reach, 0) : index] + words[end : end + reach]
    return any(word in around for word in fact.neighbours)
