"""What one sentence of an LLM's answer claims, taken apart for checking against its source.

A claim's **facts** are its numbers, its dates (found and resolved against the source's publication date
by `ingest.event_dates`), numbers in words («hai trăm», «30 triệu»: `spoken_numbers`) and its names (runs of capitalised words; a lone capital that opens the sentence
is an ordinary word). Each fact keeps the content words it stands beside in the claim, so the checker can
ask whether the source states it in the same place ("200 đại biểu", not a 200 of another paragraph). The
rest are **content words**: folded, without function words (`is_stopword`), for the overlap test.

Words are compared in one spelling (`fold_word`): accents folded, and a final "y" after a consonant read
as "i" ("Lý"/"Lí", "kỹ"/"kĩ"), as `name_matching.spelling_key` does. A name that is a place or body with
a formal and a common name carries the other names as `variants` ("Hoa Kỳ" -> "Mỹ", "Thành phố Hồ Chí
Minh" -> "TP.HCM"), so a source that uses the other name still states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from assistant.answering.name_matching import NAME_ALIASES, spelling_key
from assistant.answering.spoken_numbers import spoken_numbers
from assistant.question.analysis import is_stopword
from ingest.event_dates import DateMention, find_date_mentions
from ingest.vietnamese_text import fold_accents

TOKEN = re.compile(r"\w+(?:[./\-,]\d+)*(?:[./\-]\w+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
# A capitalised word right after one of these opens a sentence or a quote: its capital says nothing.
_OPENING = frozenset(':;.!?“"«(—–-*_>#•')


@dataclass(frozen=True)
class Fact:
    kind: Literal["number", "name"]
    text: str  # as written in the claim
    words: tuple[str, ...]  # folded, lower case (a number: its canonical form)
    neighbours: tuple[str, ...]  # the content words beside it in the claim
    opens: bool = False  # a name that opens the claim: its first word may be an ordinary word
    variants: tuple[tuple[str, ...], ...] = ()  # other names of the same place or body, folded
    head: str = ""  # the content word right before the name in the claim ("hoc" of "Đại học Harvard")

    @property
    def forms(self) -> tuple[tuple[str, ...], ...]:
        """The folded word sequences any of which states this name."""
        return (self.words, *self.variants)


@dataclass(frozen=True)
class ClaimDate:
    mention: DateMention
    neighbours: tuple[str, ...]  # the content words beside it in the claim


@dataclass(frozen=True)
class ClaimFacts:
    facts: tuple[Fact, ...]
    dates: tuple[ClaimDate, ...]
    content: tuple[str, ...]  # folded content words


def claim_facts(claim: str, published: date | None) -> ClaimFacts:
    """The numbers and names (with their neighbour words), dates (resolved against `published`) and
    content words of `claim`."""
    dates = tuple(find_date_mentions(claim, published))
    in_date = [False] * (len(claim) + 1)
    for mention in dates:
        in_date[mention.start : mention.end] = [True] * (mention.end - mention.start)
    tokens = list(TOKEN.finditer(claim))
    kinds: list[str] = []  # per token: "word", "stop", "number", "spoken", "name" or "date"
    runs: list[tuple[int, int, bool]] = []  # name runs: first and last token, opens the claim
    spoken = spoken_numbers([t.group(0) for t in tokens])
    in_words: list[tuple[int, int, str]] = []  # numbers in words: first and last token, digits
    index = 0
    while index < len(tokens):
        token = tokens[index].group(0)
        if in_date[tokens[index].start()]:
            kinds.append("date")
            index += 1
            continue
        last, value = spoken.get(index, (-1, ""))
        if value and not any(in_date[t.start()] for t in tokens[index : last + 1]):
            in_words.append((index, last, value))
            kinds.extend(["spoken"] * (last - index + 1))
            index = last + 1
            continue
        if _is_capitalised(token):
            last = index
            while (
                last + 1 < len(tokens)
                and _is_capitalised(tokens[last + 1].group(0))
                and not in_date[tokens[last + 1].start()]
                and not claim[tokens[last].end() : tokens[last + 1].start()].strip()
            ):
                last += 1
            before = claim[: tokens[index].start()].rstrip()
            opens = not before or before[-1] in _OPENING
            if opens and last == index:  # "Lớp học …": capitalised by its place only
                kinds.append("stop" if is_stopword(token) else "word")
            else:
                runs.append((index, last, opens))
                kinds.extend(["name"] * (last - index + 1))
            index = last + 1
            continue
        if any(c.isdigit() for c in token):
            kinds.append("number")
        else:
            kinds.append("word" if len(token) > 1 and not is_stopword(token) else "stop")
        index += 1
    words = [fold_word(t.group(0)) for t in tokens]
    content = tuple(w for w, kind in zip(words, kinds, strict=True) if kind == "word")
    facts = [
        Fact(
            "number", tokens[i].group(0), (canonical_number(tokens[i].group(0)),), _beside(words, kinds, i, i)
        )
        for i, kind in enumerate(kinds)
        if kind == "number"
    ]
    for first, last, value in in_words:
        text = claim[tokens[first].start() : tokens[last].end()]
        facts.append(Fact("number", text, (value,), _beside(words, kinds, first, last)))
    for first, last, opens in runs:
        text = claim[tokens[first].start() : tokens[last].end()]
        beside = _beside(words, kinds, first, last)
        variants = _alias_variants(words, first, last)
        head = words[first - 1] if first and kinds[first - 1] == "word" else ""
        facts.append(Fact("name", text, tuple(words[first : last + 1]), beside, opens, variants, head))
    claim_dates = []
    for mention in dates:
        inside = [i for i, t in enumerate(tokens) if mention.start <= t.start() < mention.end]
        beside = _beside(words, kinds, inside[0], inside[-1]) if inside else ()
        claim_dates.append(ClaimDate(mention, beside))
    return ClaimFacts(tuple(facts), tuple(claim_dates), content)


def fold_word(token: str) -> str:
    """Accent-folded, lower case, final y after a consonant as i: how claim and source words compare."""
    return spelling_key(fold_accents(token).lower())


def fold_phrase(text: str) -> tuple[str, ...]:
    """The folded words of `text`."""
    return tuple(fold_word(m.group(0)) for m in TOKEN.finditer(text))


# Each place or body's names (formal and common), folded: any of them states the others.
_ALIAS_GROUPS = tuple(
    frozenset({fold_phrase(formal), *(fold_phrase(a) for a in aliases)})
    for formal, aliases in NAME_ALIASES.items()
)


def _alias_variants(words: list[str], first: int, last: int) -> tuple[tuple[str, ...], ...]:
    """The other names of the place or body whose name in the claim overlaps words first..last
    ("Hồ Chí Minh" in "Thành phố Hồ Chí Minh": "tp.hcm", "sai gon" …)."""
    variants: list[tuple[str, ...]] = []
    for group in _ALIAS_GROUPS:
        for phrase in group:
            size = len(phrase)
            starts = range(max(first - size + 1, 0), min(last, len(words) - size) + 1)
            if any(tuple(words[i : i + size]) == phrase for i in starts):
                variants.extend(sorted(p for p in group if p != tuple(words[first : last + 1])))
                break
    return tuple(dict.fromkeys(variants))


def canonical_number(token: str) -> str:
    """ "1.000" and "1000" alike (thousands separators dropped), "22,5" and "22.5" alike."""
    return _THOUSANDS.sub("", fold_accents(token).lower()).replace(",", ".")


def number_forms(token: str) -> set[str]:
    """A source token as numbers: itself ("25-ct/tw", "35kg") and the numbers in it ("25", "35")."""
    return {canonical_number(token)} | {canonical_number(n) for n in _NUMBER.findall(token)}


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() and not any(c.isdigit() for c in token)


def _beside(words: list[str], kinds: list[str], first: int, last: int) -> tuple[str, ...]:
    """The nearest content word before and after tokens first..last, within three tokens."""
    found = []
    for step, start in ((-1, first - 1), (1, last + 1)):
        index = start
        while 0 <= index < len(words) and abs(index - start) < 3:
            if kinds[index] == "word":
                found.append(words[index])
                break
            index += step
    return tuple(found)
