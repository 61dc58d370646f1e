"""Does an article hold the words and names a question uses, spelled the way the article spells them?

Vietnamese spelling varies where the meaning does not: the tone mark sits on either vowel ("hoà"/"hòa",
"thuỷ"/"thủy") and an open syllable after a consonant ends in i or y ("kí sinh"/"ký sinh", "lí do"/"lý
do"). Names vary more: a country has a formal and a common name ("Hoa Kỳ"/"Mỹ"), and foreign names are
often mistyped by one letter ("Dellusion" for "Delusion"). The topic gate refuses when a name the question
spells is absent, so each of these variants, unhandled, is a false refusal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ingest.vietnamese_text import fold_accents, has_diacritics, word_tokens

_TONE_MARKS = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_Y_AFTER_CONSONANT = re.compile(r"^(b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x|ch|kh|nh|ph|th|tr)y$")

# Formal and common names of the same place or body, folded; either spelling in the article counts
# (the citation checker reads them too: a claim may use either name).
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "hoa ky": ("my",),
    "vuong quoc anh": ("anh",),
    "lien hop quoc": ("lien hiep quoc", "lhq", "un"),
    "thanh pho ho chi minh": ("tp.hcm", "tp hcm", "tphcm", "sai gon"),
    "cong hoa nhan dan trung hoa": ("trung quoc",),
    "han quoc": ("dai han",),
}
_MIN_FUZZY_LETTERS = 6  # one typing slip is told apart from another word only in a long word


def spelling_key(token: str) -> str:
    """A lower-cased syllable with its tone mark moved to the end and a final "y" after a consonant
    read as "i": the same key for every accepted spelling of the syllable."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    tone = "".join(_TONE_MARKS.get(char, "") for char in decomposed)
    base = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONE_MARKS))
    return _Y_AFTER_CONSONANT.sub(r"\1i", base) + tone


def missing_names(names: Iterable[str], article_text: str) -> list[str]:
    """The names (as the question spells them) the article does not hold in any accepted spelling."""
    tokens = _keys(article_text)
    joined = f" {' '.join(tokens)} "
    folded_text = fold_accents(article_text).lower()
    missing = []
    for name in names:
        if fold_accents(name).lower() in folded_text:  # "Delusion Splash T" of "T-shirt"
            continue
        name_tokens = _keys(name)
        variants = [name_tokens, *_ALIAS_KEYS.get(" ".join(name_tokens), [])]
        if any(f" {' '.join(variant)} " in joined for variant in variants):
            continue
        if not has_diacritics(name) and _near_sequence(name_tokens, tokens):
            continue
        missing.append(name)
    return missing


def _keys(text: str) -> list[str]:
    return [spelling_key(token) for token in word_tokens(fold_accents(text).lower())]


_ALIAS_KEYS = {
    " ".join(_keys(name)): [_keys(alias) for alias in aliases] for name, aliases in NAME_ALIASES.items()
}


def _near_sequence(name: list[str], tokens: list[str]) -> bool:
    """Whether `tokens` hold `name` word for word, allowing one slip in each long word."""
    width = len(name)
    return any(
        all(_same_word(expected, tokens[start + i]) for i, expected in enumerate(name))
        for start in range(len(tokens) - width + 1)
    )


def _same_word(expected: str, found: str) -> bool:
    if expected == found:
        return True
    return min(len(expected), len(found)) >= _MIN_FUZZY_LETTERS and _one_edit_apart(expected, found)


def _one_edit_apart(first: str, second: str) -> bool:
    """One letter added, removed, changed, or two neighbours swapped (Damerau distance 1)."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    if len(first) < len(second):
        return any(first == second[:i] + second[i + 1 :] for i in range(len(second)))
    differ = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    if len(differ) == 1:
        return True
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and first[differ[0]] == second[differ[1]]
        and first[differ[1]] == second[differ[0]]
    )
