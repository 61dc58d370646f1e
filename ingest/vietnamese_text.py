"""Vietnamese text at the door: NFC normalisation, repairs, accent folding and syllable tokens.

Every string that enters the archive (articles, questions) passes through `normalize_text`, so that
the same word always has the same code points. Matching uses `fold_accents` beside the original, never
instead of it: the archive keeps the diacritics, the folded form only widens what a query can hit.
"""

from __future__ import annotations

import re
import unicodedata

# U+00D0 (Icelandic eth) is a common stand-in for U+0110 (Vietnamese Đ) in legacy encodings;
# U+00F0 is its lower-case twin.
_ETH_REPAIRS = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
# Zero-width and formatting characters that scraped pages carry; they break tokenisation.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
# A "word" for matching: runs of letters/digits, keeping inner dots, slashes and dashes of
# identifiers such as "12-CT/TW", "4.0" or dates "26/6/2019" intact.
_TOKEN = re.compile(r"\w+(?:[./\-]\w+)*", re.UNICODE)


def normalize_text(text: str) -> str:
    """NFC, Đ repair, invisible characters removed, horizontal spaces collapsed, newlines kept."""
    text = unicodedata.normalize("NFC", text.translate(_ETH_REPAIRS))
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


class _FoldTable(dict[int, str]):
    """`str.translate` table filled on first sight of each character: one character in, exactly one
    out, so folding never shifts offsets (a lone combining mark, which has no base letter, is kept)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = "".join(
            ch
            for ch in unicodedata.normalize("NFD", char.translate(_FOLD_EXTRA))
            if unicodedata.category(ch) != "Mn"
        )
        base = unicodedata.normalize("NFC", base)
        folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_accents(text: str) -> str:
    """Remove tones and vowel marks and map đ->d: 'Đối ngoại' -> 'Doi ngoai'. Input is brought to NFC
    first; the result has exactly the length of that NFC text, so offsets in the folded text match."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def has_diacritics(text: str) -> bool:
    """True when at least one character would change under `fold_accents`."""
    return fold_accents(text) != text


def word_tokens(text: str) -> list[str]:
    """Lower-cased syllable tokens of NFC text (Vietnamese words are space-separated syllables)."""
    return [match.group(0).lower() for match in _TOKEN.finditer(text)]


def folded_tokens(text: str) -> list[str]:
    """`word_tokens` of the accent-folded text."""
    return word_tokens(fold_accents(text))


def folded_words(text: str) -> str:
    """`text`'s words folded and lower-cased, space-joined with a space at each end, so that
    `folded_words(a) in folded_words(b)` says whether a's words stand together in b."""
    return f" {' '.join(fold_accents(t).lower() for t in word_tokens(text))} "


# Accented: "Nguyên" (former) and "Vụ" (department) are not the surnames Nguyễn and Vũ.
SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương "
    "Lâm Phùng Mai Tô Hà Tạ Triệu Lưu Đinh Kiều Chu Thái Lương Quách Tăng Từ La Thân Khuất Nông Hứa Cao "
    "Lại Mạc Diệp Âu Giang Hầu Tôn Văn Doãn Cù Lò Lục Ninh Phí Tống Viên Thạch Ông Bạch Đàm Đồng".split()
)


# Places a name finder could take for a person (a surname first, or a title before: "anh Việt Nam" of
# "nước Anh, Việt Nam"): "Hà Nội", "Hàn Quốc", "Bồ Đào Nha" (ending in "Đào Nha") are never a person.
PLACES_LIKE_NAMES = frozenset(
    (
        "Hà Nội|Hàn Quốc|Hà Lan|Hà Giang|Hà Tĩnh|Hà Nam|Hà Đông|Hà Tiên|Thái Lan|Thái Bình|Thái Nguyên|"
        "Cao Bằng|Cao Lãnh|Trung Quốc|Hồng Kông|Đồng Nai|Đồng Tháp|Đồng Hới|Đồng Xoài|Đồng Văn|Ninh Bình|"
        "Ninh Thuận|Ninh Kiều|Lâm Đồng|Lâm Hà|Quan Hoá|Kim Bảng|Lạc Sơn|Bạch Long|Bồ Đào Nha|Lý Sơn|"
        "Phan Thiết|Phan Rang|La Mã|La Tinh|Hồ Tây|Hồ Gươm|Mai Châu|Chu Lai|Châu Âu|Châu Á|Châu Phi|Châu Mỹ|"
        "Châu Đốc|Giang Tô|Vĩnh Yên|Việt Nam|Hoa Kỳ|Nhật Bản|Ấn Độ|Tây Ban Nha|Đan Mạch|Phần Lan|Ba Lan|"
        "Na Uy|Thụy Điển|Thụy Sĩ|Hy Lạp|Ai Cập|Thổ Nhĩ Kỳ|Liên Xô|Triều Tiên|Mông Cổ|Nam Phi|Bắc Kinh|"
        "Thượng Hải|Đài Loan"
    ).split("|")
)
