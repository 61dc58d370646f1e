"""Where an organisation's name starts and ends in a sentence: "Cục quản lý Thực phẩm và Dược phẩm Mỹ (FDA)".

A name opens with a head word ("Bộ", "Cục", "Bệnh viện", "Tổ chức" …, capitalised) and runs over the
capitalised words after it. Vietnamese writes only a word's first syllable capitalised ("Bộ Y tế", "Sở
Ngoại vụ"), and some names hold lower-case words ("Cục quản lý Thực phẩm …", "Sở Ngoại vụ tỉnh Quảng
Nam"), so a lower-case syllable stays in the name when it ends a capitalised word or when a capitalised
word follows shortly. The name ends before the verb: "Bộ Y tế vừa cho phép …" gives "Bộ Y tế", never the
clause (which a short answer would otherwise show as the organisation).
"""

from __future__ import annotations

import re

from assistant.answering.answer_spans import AnswerSpan
from assistant.answering.name_matching import spelling_key
from ingest.vietnamese_text import fold_accents

# Heads, as spelling keys (so "Uỷ ban" and "Ủy ban" are one head, and "Trưởng", a role, is not
# "Trường"); longer ones first so "Tổng cục" wins over "Cục".
_HEADS = sorted(
    (
        tuple(spelling_key(syllable) for syllable in head.split())
        for head in (
            "bộ",
            "cục",
            "tổng cục",
            "sở",
            "viện",
            "học viện",
            "bệnh viện",
            "trường",
            "đại học",
            "ủy ban",
            "trung tâm",
            "công ty",
            "tổng công ty",
            "tập đoàn",
            "hội",
            "hiệp hội",
            "liên hiệp",
            "liên đoàn",
            "ban",
            "quỹ",
            "ngân hàng",
            "tổ chức",
            "cơ quan",
            "văn phòng",
            "tòa án",
            "viện kiểm sát",
            "đại sứ quán",
            "tổng lãnh sự quán",
            "hãng",
            "nhà xuất bản",
            "báo",
            "đài truyền hình",
            "đài",
            "phòng",
            "vụ",
            "mặt trận",
            "tỉnh ủy",
            "thành ủy",
            "huyện ủy",
            "đảng",
            "chính phủ",
            "quốc hội",
            "nhà nước",
        )
    ),
    key=lambda head: -len(head),
)
# Heads that name a body on their own ("Chính phủ", "Quốc hội"), like an upper-case abbreviation
# ("UBND tỉnh Cao Bằng", "WHO").
_STANDALONE = {
    tuple(spelling_key(s) for s in head.split())
    for head in ("chính phủ", "quốc hội", "tỉnh ủy", "thành ủy", "huyện ủy", "nhà nước", "đảng")
}
# What an organisation does or issues, folded: a capitalised word starting one ends the name before it.
_EVENTS = (
    "hoi nghi",
    "hoi thao",
    "chi thi",
    "le",
    "lop",
    "ke hoach",
    "nghi quyet",
    "nghi dinh",
    "quyet dinh",
    "thong tu",
    "luat",
    "chuong trinh",
    "dai hoi",
    "dien dan",
    "cong van",
    "thong bao",
)
_ABBREVIATED_HEAD = re.compile(r"[A-ZĐ]{2,}[A-ZĐ0-9]*")
# Lower-case words that never belong to a name: where a name stops.
_STOP = frozenset(
    "vua da se dang cho duoc bi la co khong tai o voi tu den trong ngay nam thang khi nay do ma thi "
    "cung van dem len xuong ra vao phoi ban".split()
)
_CONNECTORS = frozenset("va tinh thanh pho huyen quan xa".split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LOOKAHEAD = 6  # a lower-case word stays when a capitalised one follows within this many words
_ABBREVIATION = re.compile(r"\s*\(([A-ZĐ][A-ZĐ0-9&.-]{1,12})\)")


def organisation_names(sentence: str) -> list[AnswerSpan]:
    """Every organisation name in `sentence`, in order, with its abbreviation when one follows."""
    words = list(_WORD.finditer(sentence))
    folded = [fold_accents(w.group()).lower() for w in words]
    spans: list[AnswerSpan] = []
    index = 0
    while index < len(words):
        head = _head_at(words, folded, index)
        if head is None:
            index += 1
            continue
        end = _name_end(words, folded, index + head)
        standalone = _is_abbreviation(words[index]) or (
            tuple(spelling_key(w.group()) for w in words[index : index + head]) in _STANDALONE
        )
        if standalone:
            end = max(end, index + head)
        if end > index + head or standalone:  # a name, not a bare "Bộ" or "Cơ quan chức năng"
            start, stop = words[index].start(), words[end - 1].end()
            if sentence[start:stop].count(",") == 0:
                abbreviation = _ABBREVIATION.match(sentence, stop)
                if abbreviation:
                    stop = abbreviation.end()
                spans.append(AnswerSpan(start, stop, sentence[start:stop].strip()))
            index = end
            while index < len(words) and words[index].start() < stop:
                index += 1  # past "(FDA)": no second name
            continue
        index += head
    return spans


def _head_at(words: list[re.Match[str]], folded: list[str], index: int) -> int | None:
    """Length in words of the head starting at `index` (capitalised), or None."""
    if not words[index].group()[:1].isupper():
        return None
    if _is_abbreviation(words[index]):
        return 1
    for head in _HEADS:
        size = len(head)
        found = tuple(spelling_key(w.group()) for w in words[index : index + size])
        if found == head and _adjacent(words, index, size):
            return size
    return None


def _is_abbreviation(word: re.Match[str]) -> bool:
    """ "UBND", "WHO"; not the "CT"/"TW" of a document number "25-CT/TW"."""
    text = word.string
    before = text[word.start() - 1] if word.start() else " "
    after = text[word.end()] if word.end() < len(text) else " "
    return bool(_ABBREVIATED_HEAD.fullmatch(word.group())) and before not in "-/" and after not in "-/"


def _name_end(words: list[re.Match[str]], folded: list[str], index: int) -> int:
    """One past the last word of the name whose body starts at `index`."""
    end = index
    capitalised_seen = False
    position = index
    while position < len(words) and _adjacent(words, position - 1, 2):
        word = words[position].group()
        if word[:1].isupper():
            capitalised_seen = True
            end = position + 1
        elif folded[position] in _STOP:
            break
        elif capitalised_seen and end == position and _second_syllable(words, folded, position):
            end = position + 1  # the second syllable of a capitalised word: "Y tế", "Ngoại vụ"
        elif not _capital_follows(words, folded, position):
            break
        position += 1
    return end if capitalised_seen else index


def _second_syllable(words: list[re.Match[str]], folded: list[str], position: int) -> bool:
    """ "Y tế vừa …", "Ngoại vụ tỉnh …", "Bách khoa Hà Nội": the syllable ends the word. "Quảng Nam phối
    hợp": a lower-case word follows, so "phối" starts a verb instead."""
    if folded[position] in _CONNECTORS:
        return False
    following = position + 1
    if following >= len(words) or not _adjacent(words, position, 2):
        return True
    word = words[following].group()
    return word[:1].isupper() or folded[following] in _STOP or folded[following] in _CONNECTORS


def _capital_follows(words: list[re.Match[str]], folded: list[str], position: int) -> bool:
    """Whether the name goes on over lower-case words to a capitalised one; not when that one starts an
    event or a document ("UBND tỉnh Cao Bằng tổ chức Hội nghị …", "Ban Bí thư ban hành Chỉ thị …")."""
    for ahead in range(position + 1, min(position + 1 + _LOOKAHEAD, len(words))):
        if not _adjacent(words, ahead - 1, 2):
            return False
        if words[ahead].group()[:1].isupper():
            following = " ".join(folded[ahead : ahead + 2])
            return not any(following == head or following.startswith(head + " ") for head in _EVENTS)
        if folded[ahead] in _STOP:
            return False
    return False


def _adjacent(words: list[re.Match[str]], index: int, size: int) -> bool:
    """Whether words index..index+size-1 are separated by spaces only (no comma, bracket or number)."""
    return all(
        not words[i].string[words[i].end() : words[i + 1].start()].strip()
        for i in range(max(index, 0), min(index + size - 1, len(words) - 1))
    )
