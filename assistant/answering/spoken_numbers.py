"""Numbers written in words or with a scale word, as the digits they stand for.

A model rewording a source writes «hơn hai trăm đại biểu» for «hơn 200 đại biểu» and «30 triệu cuốn» for
«30.000.000 cuốn»; the citation checker compares numbers by value, so each side must give the same digits.
Read Vietnamese-style: «hai mươi lăm» 25, «một trăm linh năm» 105, «ba triệu hai trăm nghìn» 3200000,
«2,5 tỷ» 2500000000. Only a run with a multiplier word (mười, mươi, trăm, nghìn, triệu, tỷ) counts:
a lone «hai» or «một» is an ordinary word («hai bên», «một số»), and «năm» is five only where it cannot be
a year («năm mươi», «linh năm»; «mười năm» is ten years), and a run after «tháng» or «thứ» names a month
or a rank («Tháng Mười», «thứ hai mươi»).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DIGITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
AFTER_TENS = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}  # only after «mươi»/«mười»: «hai mươi mốt»
SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_FILLERS = frozenset({"linh", "lẻ"})
_NAMING = frozenset({"tháng", "thứ"})  # «Tháng Mười», «thứ hai»: a month or an ordinal, not a count
_DIGIT_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")


def spoken_numbers(tokens: Sequence[str]) -> dict[int, tuple[int, str]]:
    """For each token that opens a number run: (index of its last token, the value in digits)."""
    lowered = [token.lower() for token in tokens]
    runs: dict[int, tuple[int, str]] = {}
    index = 0
    while index < len(lowered):
        found = _digits_and_scale(lowered, index) or _number_words(lowered, index)
        if found is not None and index and lowered[index - 1] in _NAMING:
            found = None
        if found is None:
            index += 1
            continue
        last, value = found
        runs[index] = (last, value)
        index = last + 1
    return runs


def _digits_and_scale(tokens: list[str], index: int) -> tuple[int, str] | None:
    """«30 triệu», «2,5 tỷ», «1.000 tỷ»: the number times its scale words."""
    if (
        not _DIGIT_TOKEN.fullmatch(tokens[index])
        or index + 1 >= len(tokens)
        or tokens[index + 1] not in SCALES
    ):
        return None
    plain = _THOUSANDS.sub("", tokens[index])
    if plain.count(",") + plain.count(".") > 1:
        return None
    value = float(plain.replace(",", "."))
    last = index
    while last + 1 < len(tokens) and tokens[last + 1] in SCALES:
        last += 1
        value *= SCALES[tokens[last]]
    return last, _as_digits(value)


def _number_words(tokens: list[str], index: int) -> tuple[int, str] | None:
    """A run of number words from `index` that has a multiplier word, and its value."""
    if tokens[index] not in DIGITS and tokens[index] != "mười":
        return None
    total = group = 0
    pending: int | None = None  # a digit waiting for its multiplier
    multiplied = False
    last = index - 1
    previous = ""
    for position in range(index, len(tokens)):
        word = tokens[position]
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if word in DIGITS and pending is None and _digit_here(word, previous, following, position == index):
            pending = DIGITS[word]
        elif word in AFTER_TENS and previous in ("mươi", "mười") and pending is None:
            pending = AFTER_TENS[word]
        elif word == "mười" and pending is None and group % 100 == 0:
            group += 10
            multiplied = True
        elif word == "mươi" and pending is not None:
            group += pending * 10
            pending, multiplied = None, True
        elif word == "trăm" and pending is not None:
            group += pending * 100
            pending, multiplied = None, True
        elif word in _FILLERS and previous == "trăm" and following in DIGITS:
            pass
        elif word in SCALES and (pending is not None or group):
            total += (group + (pending or 0)) * SCALES[word]
            group, pending, multiplied = 0, None, True
        elif word in SCALES and previous in SCALES:  # «hai nghìn tỷ»
            total *= SCALES[word]
        else:
            break
        last, previous = position, word
    if not multiplied:
        return None
    # «hai trăm hai» or «ba triệu hai»: a digit after «trăm» or a scale word without «linh» is read no
    # further (spoken, «hai trăm hai» is 220); a digit after «mười»/«mươi» counts («mười hai»).
    if pending is not None and last > index and tokens[last - 1] not in ("mươi", "mười", "linh", "lẻ"):
        pending = None
        last -= 1
    return last, str(total + group + (pending or 0))


def _digit_here(word: str, previous: str, following: str, first: bool) -> bool:
    """«năm» is five only opening a run, after «linh», or before «mươi», «trăm» or a scale word."""
    if word != "năm":
        return True
    return first or previous in _FILLERS or following in ("mươi", "trăm", *SCALES)


def _as_digits(value: float) -> str:
    whole = round(value)
    return str(whole) if abs(value - whole) < 1e-6 else f"{value:g}"
