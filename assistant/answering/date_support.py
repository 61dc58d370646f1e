"""Whether a source states a claim's date where the claim stands (`claim_support`): resolved dates are
compared ("7/7/2022" is "Sáng nay (7/7)" in an article of 7/7/2022), next to a word the date stands beside
in the claim."""

from __future__ import annotations

from assistant.answering.claim_facts import TOKEN, ClaimDate, fold_word
from assistant.answering.source_text import SourceText
from ingest.event_dates import DateMention

DATE_REACH = 5  # words either side of a date where one of its claim neighbours must stand (as a number's)


def date_supported(claimed: ClaimDate, source: SourceText, positions: range, loose: bool = False) -> bool:
    """The source states the date inside `positions` (resolved dates compared), next to one of the words
    it stands beside in the claim (anywhere in them when `loose`: the best sentence, where a reworded
    sentence may have moved it); or it is the publication date itself."""
    mention, value = claimed.mention, claimed.mention.value
    if value is None:  # relative in an undated article: the same words must be there ("tháng trước")
        wanted = tuple(fold_word(w) for w in TOKEN.findall(mention.text))
        found = [i for i in positions if source.words[i : i + len(wanted)] == wanted]
        return bool(found) and (loose or _anchored(source.words, found, len(wanted), claimed.neighbours))
    if mention.precision == "day" and source.published == value:
        return True
    first, last = positions.start, positions.stop
    start, end = (
        (source.starts[first] if first < len(source.starts) else len(source.text)),
        (source.starts[last] if last < len(source.starts) else len(source.text)),
    )
    stated: list[tuple[int, int]] = []  # (first word, words) of each mention of the same date
    for other in source.dates:
        if start <= other.start < end and _same_date(mention, other):
            inside = [i for i in positions if other.start <= source.starts[i] < other.end]
            if inside:
                stated.append((inside[0], len(inside)))
    if mention.precision == "year":
        stated += [(i, 1) for i in positions if source.words[i] == str(value.year)]
    if loose:
        return bool(stated)
    return any(_anchored(source.words, [i], size, claimed.neighbours) for i, size in stated)


def _same_date(mention: DateMention, other: DateMention) -> bool:
    value, resolved = mention.value, other.value
    if value is None or resolved is None:
        return False
    if mention.precision == "day":
        return other.precision == "day" and resolved == value
    if mention.precision == "month":
        return (resolved.year, resolved.month) == (value.year, value.month)
    return resolved.year == value.year


def _anchored(words: tuple[str, ...], found: list[int], size: int, neighbours: tuple[str, ...]) -> bool:
    """Some occurrence (of `size` words) has one of `neighbours` within reach (any, when none given)."""
    if not neighbours:
        return bool(found)
    reach = DATE_REACH
    return any(
        any(w in neighbours for w in words[max(i - reach, 0) : i] + words[i + size : i + size + reach])
        for i in found
    )
