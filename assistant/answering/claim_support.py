"""Whether one cited claim stands in its source: the facts it states, near the words it shares with it.

Sharing a quarter of its words with the article let "…tổ chức tại Paris… [1]" pass (issue 14 §4). A claim
is now supported by a source only when
- its **facts** appear in the source near where the claim's other words do: every number, every date
  (compared as resolved dates: "7/7/2022" matches "Sáng nay (7/7)" in an article of 7/7/2022, through
  `ingest.event_dates`) and every capitalised name. "Near" is a window of three sentences around the
  source sentences that share most of the claim's other words; the facts are left out when choosing the
  window, so a name swapped in from elsewhere in the article does not pull the window to itself;
- and its **content words** (function words, numbers and names left out) overlap the source strongly:
  most of them in the article and half of them in the window (all of them for a claim of one to three
  such words).

Quotes are checked on their own: a quoted phrase must match a stretch of the source (difflib ratio ≥ 0.9
over the best window), otherwise the caller removes it. Everything here is about one claim and one source;
`citation_checker` splits the answer into claims and decides what to keep.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from datetime import date

from assistant.question.analysis import is_stopword
from ingest.event_dates import DateMention, find_date_mentions
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents

# Shares of a claim's content words that must be found in the article and in the window (see the module).
ARTICLE_OVERLAP = 0.7
WINDOW_OVERLAP = 0.5
QUOTE_RATIO = 0.9
MIN_QUOTE_CHARS = 8

_TOKEN = re.compile(r"\w+(?:[./\-]\w+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_SEPARATORS = re.compile(r"[ \t]+")
# A capitalised word right after one of these opens a sentence or a quote: its capital says nothing.
_OPENING = frozenset(':;.!?“"«(—–-*_>#•')
# Words that open a sentence with a capital without being names ("Theo bài [1], …", "Ngoài ra, …").
_OPENERS = frozenset(
    "theo tai vao ngoai nhin tom nhu trong sau truoc ngay sang chieu toi trua dem hien day do nam thang "
    "bai cac nhung hoi ong ba anh chi viec khi neu mac tuy do vi de voi cung ben cung hon co khong dong "
    "thoi dieu mot hai ba luc tra cau chinh rieng dac biet va nhung nguon".split()
)


@dataclass(frozen=True)
class SourceText:
    """A cited article (or passage) prepared once for checking many claims against it."""

    text: str
    published: date | None
    folded: str  # accent-folded, lower case, single spaces: for names
    tokens: frozenset[str]
    numbers: frozenset[str]
    dates: tuple[DateMention, ...]
    sentences: tuple[tuple[int, int], ...]
    sentence_tokens: tuple[frozenset[str], ...] = field(repr=False)


@dataclass(frozen=True)
class ClaimFacts:
    numbers: tuple[str, ...]
    dates: tuple[DateMention, ...]
    names: tuple[tuple[str, bool], ...]  # (name, opens the claim)
    content: tuple[str, ...]  # folded content words, facts left out


@dataclass(frozen=True)
class Support:
    supported: bool
    reason: str = ""  # why not, for logs and tests
    span: tuple[int, int] | None = None  # the source sentence that supports the claim best


def prepare_source(text: str, published: date | None, title: str = "") -> SourceText:
    spans = tuple(split_sentences(text)) or ((0, len(text)),)
    folded_text = fold_accents(text).lower()
    return SourceText(
        text=text,
        published=published,
        folded=" " + _SEPARATORS.sub(" ", fold_accents(f"{title}\n{text}").lower().replace("\n", " ")) + " ",
        tokens=frozenset(_folded_tokens(f"{title}\n{text}")),
        numbers=frozenset(_numbers_in(text)),
        dates=tuple(m for m in find_date_mentions(text, published) if m.value is not None),
        sentences=spans,
        sentence_tokens=tuple(frozenset(_TOKEN.findall(folded_text[s:e])) for s, e in spans),
    )


def claim_facts(claim: str, published: date | None) -> ClaimFacts:
    """The numbers, dates (resolved against `published`), names and content words of `claim`."""
    dates = tuple(find_date_mentions(claim, published))
    in_date = [False] * (len(claim) + 1)
    for mention in dates:
        in_date[mention.start : mention.end] = [True] * (mention.end - mention.start)
    tokens = [m for m in _TOKEN.finditer(claim) if not in_date[m.start()]]
    numbers: list[str] = []
    content: list[str] = []
    names: list[tuple[str, bool]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].group(0)
        if _is_capitalised(token):
            j = i
            while (
                j + 1 < len(tokens)
                and _is_capitalised(tokens[j + 1].group(0))
                and not claim[tokens[j].end() : tokens[j + 1].start()].strip()
            ):
                j += 1
            before = claim[: tokens[i].start()].rstrip()
            opens = not before or before[-1] in _OPENING
            names.append((" ".join(t.group(0) for t in tokens[i : j + 1]), opens))
            if opens and not is_stopword(token):  # "Lớp học …": capitalised by position, also a word
                content.append(fold_accents(token).lower())
            i = j + 1
            continue
        if any(c.isdigit() for c in token):
            numbers.append(_canonical_number(token))
        elif len(token) > 1 and not is_stopword(token):
            content.append(fold_accents(token).lower())
        i += 1
    return ClaimFacts(tuple(numbers), dates, tuple(names), tuple(content))


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() and not any(c.isdigit() for c in token)


def check_claim(claim: str, source: SourceText) -> Support:
    """Whether `source` supports `claim` (see the module for the rules)."""
    facts = claim_facts(claim, source.published)
    missing = _missing_names(facts, source)
    if missing:
        return Support(False, f"tên «{missing}» không có trong bài")
    content = set(facts.content)
    if content:
        found = len(content & source.tokens)
        if len(content) - found > _allowed_missing(len(content), ARTICLE_OVERLAP):
            return Support(False, f"chỉ {found}/{len(content)} từ có trong bài")
    reason = "không có đoạn nào của bài nêu đủ các số, ngày và tên này"
    for window, best in _windows(content, facts, source):
        window_tokens = frozenset().union(*(source.sentence_tokens[i] for i in window))
        shared = len(content & window_tokens)
        if content and len(content) - shared > _allowed_missing(len(content), WINDOW_OVERLAP):
            reason = f"không đoạn nào của bài có đủ từ của ý này ({shared}/{len(content)})"
            continue
        start, end = source.sentences[window[0]][0], source.sentences[window[-1]][1]
        problem = _facts_missing_in(facts, source, start, end)
        if problem is None:
            return Support(True, span=source.sentences[best])
        reason = problem
    return Support(False, reason)


def quote_match(quote: str, source: SourceText) -> tuple[float, tuple[int, int] | None]:
    """The best difflib ratio of `quote` against a stretch of the source of its length, and that stretch."""
    wanted = " ".join(quote.lower().split())
    text = source.text.lower()
    exact = text.find(wanted)
    if exact >= 0:
        return 1.0, (exact, exact + len(wanted))
    words = [m for m in re.finditer(r"\w+", wanted)]
    if not words:
        return 0.0, None
    anchors: set[int] = set()
    for word in words[:4] + words[-4:]:
        for hit in re.finditer(rf"(?<!\w){re.escape(word.group(0))}(?!\w)", text):
            anchors.add(max(hit.start() - word.start(), 0))
            if len(anchors) > 400:
                break
    best, best_span = 0.0, None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for start in sorted(anchors):
        for shift in (0, -len(wanted) // 10, len(wanted) // 10):
            begin = max(start + shift, 0)
            window = " ".join(text[begin : begin + len(wanted)].split())
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, best_span = ratio, (begin, begin + len(wanted))
    return best, best_span


def _folded_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold_accents(text).lower())


def _canonical_number(token: str) -> str:
    return _THOUSANDS.sub("", fold_accents(token).lower())


def _numbers_in(text: str) -> set[str]:
    """Every number token of `text` and every number inside a code ("25" of "25-CT/TW"), canonical."""
    found = {_canonical_number(t) for t in _TOKEN.findall(text) if any(c.isdigit() for c in t)}
    found |= {_canonical_number(n) for n in _NUMBER.findall(text)}
    return found


def _allowed_missing(count: int, share: float) -> int:
    """Content words a claim of `count` may miss; none for one to three."""
    return 0 if count <= 3 else math.floor(count * (1 - share))


def _contains_name(folded: str, name: str) -> bool:
    return f" {name} " in folded or re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded) is not None


def _missing_names(facts: ClaimFacts, source: SourceText) -> str | None:
    """A name of the claim that the article does not contain at all (case and accents aside)."""
    for name, opens in facts.names:
        folded = fold_accents(name).lower()
        words = folded.split()
        if _contains_name(source.folded, folded):
            continue
        if opens and len(words) > 1 and _contains_name(source.folded, " ".join(words[1:])):
            continue  # "Ông Vũ Duy Thành" where the article says "đồng chí Vũ Duy Thành"
        if opens and len(words) == 1 and (words[0] in _OPENERS or is_stopword(name)):
            continue
        return name
    return None


def _windows(content: set[str], facts: ClaimFacts, source: SourceText) -> list[tuple[list[int], int]]:
    """Sentence windows (indices, best sentence) around the sentences sharing most content words. A claim
    without content words ("Hơn 200 đại biểu", "Sáng 7/7/2022, tại Cao Bằng") is decided by its facts:
    the windows around the sentences holding most of them, then the whole article."""
    count = len(source.sentences)
    if content:
        scores = [len(content & tokens) for tokens in source.sentence_tokens]
    else:
        wanted = set(facts.numbers) | {
            word for name, _ in facts.names for word in fold_accents(name).lower().split()
        }
        scores = [len(wanted & tokens) for tokens in source.sentence_tokens]
    top = max(scores)
    best = [i for i, score in enumerate(scores) if score == top][:5]
    windows = [(list(range(max(i - 1, 0), min(i + 2, count))), i) for i in best]
    if not content:
        windows.append((list(range(count)), best[0]))
    return windows


def _facts_missing_in(facts: ClaimFacts, source: SourceText, start: int, end: int) -> str | None:
    window = source.text[start:end]
    numbers = _numbers_in(window)
    for number in facts.numbers:
        if number not in numbers:
            return f"số «{number}» không có ở đoạn tương ứng của bài"
    local_dates = [m for m in source.dates if start <= m.start < end]
    for mention in facts.dates:
        if not _date_supported(mention, local_dates, numbers, source.published, window):
            return f"ngày «{mention.text}» không có ở đoạn tương ứng của bài"
    folded_window = " " + " ".join(fold_accents(window).lower().split()) + " "
    for name, opens in facts.names:
        words = fold_accents(name).lower().split()
        if opens and len(words) == 1:
            continue
        if not (_contains_name(folded_window, " ".join(words)) or _contains_name(folded_window, words[-1])):
            return f"tên «{name}» không có ở đoạn tương ứng của bài"
    return None


def _date_supported(
    mention: DateMention, local: list[DateMention], numbers: set[str], published: date | None, window: str
) -> bool:
    value = mention.value
    if value is None:  # relative and undated: the words themselves must be there
        digits = re.findall(r"\d+", mention.text)
        return bool(digits) and all(d in numbers for d in digits)
    if mention.precision == "day" and published == value:
        return True
    for other in local:
        assert other.value is not None
        if mention.precision == "day" and other.precision == "day" and other.value == value:
            return True
        if mention.precision == "month" and (other.value.year, other.value.month) == (
            value.year,
            value.month,
        ):
            return True
        if mention.precision == "year" and other.value.year == value.year:
            return True
    return mention.precision == "year" and str(value.year) in numbers
