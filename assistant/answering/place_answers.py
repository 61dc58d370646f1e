"""Places a sentence names with a word that says so: after "tại/ở" ("tại khách sạn Ariyana", "ở Cao
Bằng"), as a kind of place and its name ("sông Seine", "viện bảo tàng Louvre"), or gone to ("tới
Montmartre"). Bare names ("Cùng với Venezia, Paris …") are `place_names`' job, weighed lower.
"""

from __future__ import annotations

import re

from assistant.answering.answer_span import (
    NAME_PARTICLES,
    UPPER_LETTERS,
    AnswerSpan,
    capitalise_first,
    is_capitalised,
    sentence_words,
)
from ingest.vietnamese_text import SURNAMES, fold_accents

_PLACE_HEADS = frozenset(
    "khach san nha khach trung tam hoi truong tru so tinh thanh pho tp huyen quan xa phuong thu do nha hat "
    "cung san truong bao tang khu dao thi xa lang ban thon cang toa vien dien dinh chua hoi nghi benh "
    "quan doi nui quang cong cao nguyen thung lung vung mien song ho tho lo lau dai".split()
)
# "tại Hội nghị, ..." is at the event, not a place.
_NOT_PLACES = re.compile(r"(hoi nghi|hoi thao|buoi|le|lop|dien dan|chuong trinh|day|do|dai hoi|cuoc)\b")
# Organisations that never sit inside a place name: "nhà khách Đầm Vạc Liên hiệp ..." ends before them.
_PLACE_BREAK = frozenset("lien so uy ubnd bo ban cuc doan dang".split())
# "tại/ở" + a place; "vào/đến/tới" only before a building ("được đưa vào Bệnh viện …"); "trên/trong/
# thuộc" only before a kind of place ("nằm trên đảo Île de la Cité", "trong viện bảo tàng Louvre").
_PLACE_START = re.compile(
    r"(?<![^\W_])(?:(?:tại|ở)\s+|(?:vào|đến|tới)\s+(?=(?:bệnh viện|khách sạn|trung tâm|trụ sở|nhà khách)\b)|"
    r"(?:trên|trong|thuộc|gần|cạnh)\s+(?=(?:đảo|quần đảo|đồi|núi|viện bảo tàng|bảo tàng|quận|phố|khu|"
    r"quảng trường|công viên|cao nguyên|thung lũng|vùng|miền|tỉnh|thành phố|huyện|làng)\s+(?-i:["
    + UPPER_LETTERS
    + "])))",
    re.IGNORECASE,
)
_LANDMARK_START = re.compile(
    r"(?<![^\W_])(?=(?:đảo|quần đảo|đồi|núi|viện bảo tàng|bảo tàng|quảng trường|công viên|cao nguyên|"
    r"thung lũng|sông|hồ|nhà thờ|cung điện|lâu đài|khu phố|đại lộ|khách sạn|sân vận động|nhà hát|"
    r"khu đô thị|vùng|miền)\s+(?-i:[" + UPPER_LETTERS + "]))",
    re.IGNORECASE,
)


def place_spans(sentence: str) -> list[AnswerSpan]:
    """Places after "tại/ở": gazetteer words and capitalised words ("khách sạn Ariyana", "Cao Bằng")."""
    return _places_after(sentence, _PLACE_START)


def landmark_spans(sentence: str) -> list[AnswerSpan]:
    """Named landmarks wherever the sentence has them, a kind of place and its name ("là viện bảo tàng
    Louvre, nơi lưu trữ …", "sông Seine"): for a "where" question whose sentence has no "tại/ở"."""
    # Not the sentence's subject ("Nhà thờ Đức Bà mang phong cách …"): it is what the sentence is
    # about, rarely where something else is.
    return [s for s in _places_after(sentence, _LANDMARK_START) if sentence[: s.start].strip()]


# "tới/đến" + a capitalised name: where someone goes ("khiến nhiều người tới Montmartre"), a last resort
# for "ở đâu" when the sentence names no place after "tại/ở" and no landmark.
_DESTINATION_START = re.compile(r"(?<![^\W_])(?:tới|đến)\s+(?=(?-i:[" + UPPER_LETTERS + "]))", re.IGNORECASE)


def destination_spans(sentence: str) -> list[AnswerSpan]:
    """Places gone to, never a person's full name ("đến Nguyễn Văn An", though "đến Hà Nội") nor a time
    ("đến Năm 2015")."""
    spans = _places_after(sentence, _DESTINATION_START)
    return [
        s
        for s in spans
        if not (s.display.split()[0] in SURNAMES and len(s.display.split()) >= 3)
        and fold_accents(s.display.split()[0]).lower() not in ("nam", "thang", "ngay", "quy", "tuan")
    ]


def _places_after(sentence: str, leads: re.Pattern[str]) -> list[AnswerSpan]:
    spans: list[AnswerSpan] = []
    for lead in leads.finditer(sentence):
        if spans and lead.end() < spans[-1].end:
            continue  # "bảo tàng Louvre" inside "viện bảo tàng Louvre"
        words = [w for w in sentence_words(sentence[lead.end() :])]
        taken: list[re.Match[str]] = []
        capitalised = False
        for index, word in enumerate(words):
            text = word.group()
            folded = fold_accents(text).lower()
            gap = sentence[lead.end() + (taken[-1].end() if taken else 0) : lead.end() + word.start()]
            if taken and gap.strip():
                break
            if not taken and index == 0 and folded in ("cac", "nhung"):
                continue  # "ở các Quận 18, 19 và 20"
            if is_capitalised(text):
                if folded in _PLACE_BREAK and (capitalised or not taken):
                    break
                capitalised = True
                taken.append(word)
            elif folded in _PLACE_HEADS and (
                not capitalised or fold_accents(taken[-1].group()).lower() in _PLACE_HEADS
            ):
                taken.append(word)
            elif text.isdigit() and taken and fold_accents(taken[-1].group()).lower() in _NUMBERED_PLACES:
                capitalised = True
                taken.append(word)  # "Quận 7", "phường 12": the number is the name
                break
            elif capitalised and _particle_in_name(words, index, sentence[lead.end() :]):
                taken.append(word)  # "Île de la Cité", "Saint-Germain-des-Prés"
            elif capitalised and _inside_name(words, index, sentence[lead.end() :]):
                taken.append(word)  # "Bệnh viện Hữu nghị Việt Nam": a lowercase word inside the name
            else:
                break
            if index >= 8:
                break
        if taken and capitalised:
            start, end = lead.end() + taken[0].start(), lead.end() + taken[-1].end()
            if taken[-1].group().isdigit():
                more = _MORE_NUMBERS.match(sentence, end)  # "các Quận 18, 19 và 20"
                end = more.end() if more else end
            if _NOT_PLACES.match(fold_accents(sentence[start:end]).lower()):
                continue
            spans.append(AnswerSpan(start, end, capitalise_first(sentence[start:end])))
    return spans


_NUMBERED_PLACES = frozenset("quan phuong khu".split())
_MORE_NUMBERS = re.compile(r"(?:\s*,\s*\d+)*\s*(?:,|và)\s*\d+\b")


def _particle_in_name(words: list[re.Match[str]], index: int, text: str) -> bool:
    """A French/Dutch particle ("de", "la") followed, after at most one more, by the name's next
    capitalised word, with nothing but spaces between."""
    following = words[index : index + 3]
    for offset, word in enumerate(following):
        if offset and text[following[offset - 1].end() : word.start()].strip():
            return False
        if word.group().lower() not in NAME_PARTICLES:
            return offset > 0 and is_capitalised(word.group())
    return False


def _inside_name(words: list[re.Match[str]], index: int, text: str) -> bool:
    """A lowercase word between two capitalised ones of the same name, with no punctuation around."""
    if index + 1 >= len(words) or not is_capitalised(words[index + 1].group()):
        return False
    if fold_accents(words[index + 1].group()).lower() in _PLACE_BREAK:
        return False
    between = text[words[index].end() : words[index + 1].start()]
    return not between.strip() and is_capitalised(words[index - 1].group())


# What stands "ở" a place, named after "tại/trên/gần …": "tại collège Saint-Paul ở Angoulême", "trên Đại lộ
# de l'Observatoire ở Paris", "gần các giếng dầu ở Hama". Up to five words, no clause break.
_SETTING_LEAD = re.compile(
    r"(?<![^\W_])(?:tại|trên|gần|trong|tới|đến)\s+(?:(?:các|những)\s+)?", re.IGNORECASE
)
_SETTING = re.compile(r"(?P<thing>[^\s,;:.()]+(?:\s+[^\s,;:.()]+){0,4}?)\s+ở\s+$")


def with_setting(span: AnswerSpan, sentence: str) -> AnswerSpan:
    """The place with what the sentence says stands there, when it is led by "ở" after one ("Collège
    Saint-Paul ở Angoulême"): the reader asked where something is, the town alone says less."""
    window = max(0, span.start - 60)
    before = sentence[window : span.start]
    for lead in reversed(list(_SETTING_LEAD.finditer(before))):  # the nearest lead first
        setting = _SETTING.fullmatch(before, lead.end())
        if setting is None:
            continue
        if any(c.isdigit() for c in setting.group("thing")):
            return span  # "đến năm 2020 ở Hà Nội": a time, not what stands there
        start = window + setting.start("thing")
        return AnswerSpan(start, span.end, capitalise_first(f"{sentence[start : span.start]}{span.display}"))
    return span
