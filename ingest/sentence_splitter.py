"""Vietnamese sentence boundaries, as character spans into the original text.

Chunks are built from whole sentences and quotes are highlighted by offset, so the splitter never
rewrites the text: it returns `(start, end)` pairs with `text[start:end]` the sentence, stripped.

News text is full of periods that do not end sentences: titles ("TS.", "ThS.", "PGS.TS."), places
("TP. Hồ Chí Minh", "Q. 1", "P. Bến Nghé"), initials ("N.V.A."), numbers ("4.0", "1.000.000"), URLs and
e-mail addresses, and short quotations or brackets that contain their own punctuation. A boundary is a
run of . ! ? … (with any closing quotes/brackets) followed by a space and something that can start a
sentence (capital, digit, opening quote or bracket, dash), or, in scraped text that lost the space,
directly by a capitalised word ("Việt Nam.Trong bối cảnh đó"). A blank line always ends a sentence; a
single line break does too, unless the next line starts in lower case (a wrapped line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CANDIDATE = re.compile(r"(?P<term>[.!?…]+)(?P<close>[”’»)\]\"']*)")
_OPENERS = "“‘«([\"'"
_DASHES = "-–—•*"
_PAIRS = {"“": "”", "«": "»", "(": ")", "[": "]"}
# Quotations and brackets up to this many characters are one unit: no sentence ends inside them.
_SHORT_ENCLOSURE_CHARS = 200
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>“”«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:[A-Za-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|int|info|io)\b(?:/[^\s<>“”«»]*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\"”’»…"
# Words that are followed by a period without ending the sentence. Compared case-sensitively, part by
# part for dotted chains such as "PGS.TS" or "Th.S"; single capital letters (initials, "Q.", "P.") are
# handled separately. "ông." is a real word and is deliberately absent.
_ABBREVIATIONS = frozenset(
    {
        "TP", "Tp", "tp", "TX", "TT", "TS", "Ts", "ThS", "Ths", "Th", "PGS", "GS", "BS", "Bs", "KS",
        "NCS", "NSND", "NSƯT", "NGND", "NGƯT", "St", "Mr", "Mrs", "Ms", "Dr", "Prof", "Jr", "Sr",
        "Inc", "Ltd", "Co", "Corp", "No", "Vol", "tr", "v", "vv",
    }
)  # fmt: skip
# A sentence consisting of only this before its period is a list marker: "1.", "IV.", "a.".
_ENUMERATOR = re.compile(r"[(\[]?(?:\d{1,3}|[IVXLC]{1,6}|[ivx]{1,4}|[A-Za-z])[)\]]?")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, in order, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for segment_start, segment_end in _segments(text):
        protected = _protected_ranges(text, segment_start, segment_end)
        sentence_start = segment_start
        for match in _CANDIDATE.finditer(text, segment_start, segment_end):
            boundary = _boundary_after(text, match, sentence_start, segment_end, protected)
            if boundary is not None:
                _append_stripped(spans, text, sentence_start, boundary)
                sentence_start = boundary
        _append_stripped(spans, text, sentence_start, segment_end)
    return spans


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Runs of lines that belong together: broken by blank lines and by lines starting a new sentence."""
    segment_start: int | None = None
    previous_end = 0
    position = 0
    for line in text.split("\n"):
        line_start, line_end = position, position + len(line)
        position = line_end + 1
        stripped = line.strip()
        if not stripped:
            if segment_start is not None:
                yield segment_start, previous_end
                segment_start = None
            continue
        first = stripped[0]
        continues = first.isalpha() and first.islower()
        if segment_start is not None and not continues:
            yield segment_start, previous_end
            segment_start = None
        if segment_start is None:
            segment_start = line_start
        previous_end = line_end
    if segment_start is not None:
        yield segment_start, previous_end


def _protected_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(a, b) ranges inside which no sentence may end (a < boundary < b): URLs and short enclosures."""
    ranges: list[tuple[int, int]] = []
    for match in _URL.finditer(text, start, end):
        url_end = match.start() + len(match.group(0).rstrip(_URL_TRAILING))
        ranges.append((match.start(), url_end))
    stack: list[tuple[str, int]] = []
    for index in range(start, end):
        char = text[index]
        if char == '"' and stack and stack[-1][0] == '"':
            open_char, open_index = stack.pop()
        elif char in _PAIRS or char == '"':
            stack.append((char, index))
            continue
        elif any(_PAIRS.get(opened) == char for opened, _ in stack):
            while True:
                open_char, open_index = stack.pop()
                if _PAIRS.get(open_char) == char:
                    break
        else:
            continue
        if index - open_index <= _SHORT_ENCLOSURE_CHARS:
            ranges.append((open_index, index + 1))
    return ranges


def _boundary_after(
    text: str,
    match: re.Match[str],
    sentence_start: int,
    segment_end: int,
    protected: list[tuple[int, int]],
) -> int | None:
    """End offset of the sentence closed by this punctuation run, or None when it is not a boundary."""
    end = match.end()
    if end >= segment_end:
        return None  # the segment ends here anyway
    terminator = match.group("term")
    following = text[end]
    if following.isspace():
        next_index = end
        while next_index < segment_end and text[next_index].isspace():
            next_index += 1
        if next_index >= segment_end or not _can_start_sentence(text[next_index]):
            return None
        if terminator == "." and _is_abbreviation(text, match.start(), sentence_start):
            return None
    elif not _lost_space_before_capital(text, match, segment_end):
        return None
    if any(a < end < b for a, b in protected):
        return None
    return end


def _can_start_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS or char in _DASHES


def _word_before(text: str, index: int) -> str:
    """The non-space run ending at `index`, without opening quotes/brackets."""
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:index].lstrip(_OPENERS)


def _is_abbreviation(text: str, period_index: int, sentence_start: int) -> bool:
    word = _word_before(text, period_index)
    if not word:
        return False
    parts = word.split(".")
    if all(part in _ABBREVIATIONS or (len(part) == 1 and part.isupper()) for part in parts):
        return True
    return _ENUMERATOR.fullmatch(text[sentence_start:period_index].strip()) is not None


def _lost_space_before_capital(text: str, match: re.Match[str], segment_end: int) -> bool:
    """ "Việt Nam.Trong" in scraped text: a word, a period, then a capitalised word with no space.

    Not "TP.HCM" (all capitals after), "Th.S" (one letter), "ThS.Nguyễn" or "Tp.Huế" (abbreviation)."""
    end = match.end()
    if match.group("close") or end + 1 >= segment_end:
        return False
    if not (text[end].isupper() and text[end + 1].isalpha() and text[end + 1].islower()):
        return False
    word = _word_before(text, match.start())
    if match.group("term") != ".":
        return bool(word)
    last = word.rsplit(".", 1)[-1]
    if last.isdigit():
        return True
    return len(last) >= 2 and any(c.islower() for c in last) and last not in _ABBREVIATIONS


def _append_stripped(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
