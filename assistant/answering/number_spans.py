"""Numbers with what they count: "hơn 200 đại biểu", "11 triệu dollar", "−40 °C".

A how-many answer (`count_answers`) is cut from these. A number is a count only where the sentence uses it
as one: dates, years ("năm 1860", "1936–37") and numbers that name something ("Chỉ thị số 25", "lần thứ
3", "Quận 7") are not counts, and what follows the digits is its unit only when it is a noun, not the next
clause ("28% so với …").
"""

from __future__ import annotations

import re

from assistant.answering.answer_span import AnswerSpan, capitalise_first, is_capitalised, sentence_words
from ingest.event_dates import find_date_mentions
from ingest.vietnamese_text import fold_accents

_NUMBER = re.compile(
    r"(?<![\w/.-])(?:(?:hơn|gần|khoảng|trên|dưới|chừng|hàng|tới|đến|gần như|xấp xỉ|ít nhất|tổng cộng)\s+)?"
    # A sign only for a number standing alone ("−40 °C", "-2 °C"); "1689-1763" is a range.
    r"(?:[-−](?=\d))?\d+(?:[.,]\d+)*(?:\s*(?:triệu|tỷ|tỉ|nghìn|ngàn|trăm|%))?"
    # A range is one answer: "31 tới 50%", "2 ngàn đến 10 ngàn".
    r"(?:\s*(?:tới|đến|-|–)\s*\d+(?:[.,]\d+)*(?:\s*(?:triệu|tỷ|tỉ|nghìn|ngàn|trăm|%))?)?(?![\w/-])",
    re.IGNORECASE,
)
# Words after a number that are not what it counts ("28% so với", "50% sau khi").
_NOT_UNITS = frozenset(
    "so sau truoc voi va la duoc trong tai cua cho khi thi nhung hay hoac den tu ve o toi vao "
    "lam mot bi da se dang con nen moi".split()
)
# Nouns that count people, folded: "hơn 100 đồng chí" answers "bao nhiêu đại biểu".
PEOPLE_NOUNS = frozenset(
    "nguoi,dai bieu,dong chi,can bo,hoc vien,thanh vien,khach,du khach,hoi vien,sinh vien,hoc sinh,"
    "benh nhan,tinh nguyen vien,van dong vien,chuyen gia,giao su,bac si,y ta,nguoi dan,binh si,binh linh,"
    "quan linh,tu nhan,tu binh,nhan vien,cong nhan,nguoi lao dong,cu dan,nguoi di cu,tin do,y bac si,y si".split(
        ","
    )
)
# Nouns of two syllables a number counts: "hơn 100 đồng chí" (not "100 đồng", a sum of money).
_TWO_WORD_UNITS = frozenset(n for n in PEOPLE_NOUNS if n.count(" ") == 1) | {
    "doanh nghiep",
    "quoc gia",
    "truong hop",
    "ho dan",
    "luot khach",
    "may bay",
    "dao luat",
    "do la",
}
_NUMBERED_WORDS = frozenset(
    "so thi hoach quyet dinh tu luat khoan dieu thu khoa chuong muc phong quan".split()
)
# Their folded look-alikes that come before counts: "đến từ 18 Liên hiệp" is not "Thông tư 18", "5.000
# quân" is not "quận 7".
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_NOT_NUMBERED_WORDS = frozenset("từ tự thì sở quân quan".split())
# "trong số 19.000 công nhân" (among), "tổng số 200", "con số 90.000": "số" before a count, not a name's.
_COUNT_BEFORE_SO = frozenset("trong tong con".split())
# A temperature's unit: "−40 °C", "100 độ C".
_DEGREES = re.compile(r"°\s?[CF]?(?![^\W_])|độ\s+[CF](?![^\W_])", re.IGNORECASE)
_NUMBER_WORDS = re.compile(
    # "một" too ("cao một mét"): number words count only the noun the question names (`number_spans`).
    r"(?<![^\W_])(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|hàng chục|hàng trăm|hàng nghìn|vài)\s+"
    r"(?:(?:triệu|tỷ|tỉ|nghìn|ngàn|trăm)\s+)?",  # "ba triệu người"
    re.IGNORECASE,
)


def number_spans(sentence: str, counted: str | None) -> list[AnswerSpan]:
    """Numbers with what they count. With `counted` ("đại biểu") only numbers followed by it (or a
    close variant) are returned; dates, years and document numbers are never counts."""
    found: list[AnswerSpan] = []
    date_ranges = [(m.start, m.end) for m in find_date_mentions(sentence, None)]
    folded_counted = fold_accents(counted).lower().split() if counted else []
    for match in list(_NUMBER.finditer(sentence)) + list(_NUMBER_WORDS.finditer(sentence)):
        start, end = match.start(), match.end()
        if any(s <= start < e or s < end <= e for s, e in date_ranges):
            continue
        if _names_number(sentence[:start]):
            continue  # "Chỉ thị số 25", "lần thứ 3": a name, not a count
        numbers = re.findall(r"\d+(?:[.,]\d+)*", match.group())
        if (
            not folded_counted
            and numbers
            and _YEAR.fullmatch(numbers[0])
            and all(_YEAR.fullmatch(n) or re.fullmatch(r"\d\d", n) for n in numbers[1:])
        ):
            continue  # "năm 1860", "1969–1972", "1936–37": years, not counts
        if match.re is _NUMBER_WORDS and not folded_counted:
            continue  # "sáu múi", "ba nội dung": a number word counts only the noun the question names
        if re.match(r"\s*tháng\s+\d", sentence[end:], re.IGNORECASE):
            continue  # "14 tháng 7": a day of a month, not fourteen months
        after = sentence[end:].lstrip()
        degrees = _DEGREES.match(after)
        if degrees is not None and (not folded_counted or folded_counted == ["do"]):
            if (
                found
                and "°" in found[-1].display
                and re.fullmatch(r"\s*\(\s*", sentence[found[-1].end : start])
            ):
                continue  # "−40 °C (−40 °F)": the same temperature in other units
            unit_end = end + (len(sentence[end:]) - len(after)) + degrees.end()
            found.append(AnswerSpan(start, unit_end, capitalise_first(sentence[start:unit_end].strip())))
            continue
        if after[:1] and not after[:1].isalnum() and after[:1] != "%":
            after = ""  # "50.000, tương đương …", "(1763) nhượng": punctuation ends the count
        after_words = [fold_accents(w.group()).lower() for w in sentence_words(after)[:4]]
        unit_len = 0
        if folded_counted:
            if after_words[: len(folded_counted)] != folded_counted:
                continue
            unit_len = len(folded_counted)
        elif (
            after_words
            and not is_capitalised(sentence_words(after)[0].group())
            and after_words[0] not in _NOT_UNITS
            and not after.lower().startswith("do ")  # "36 tỷ do Đức đóng góp": "by", not "độ"
            and not match.group().endswith("%")  # "50% người …": a share has its unit already
        ):
            unit_len = next(
                (
                    n
                    for n in (3, 2)
                    if " ".join(after_words[:n]) in (PEOPLE_NOUNS if n == 3 else _TWO_WORD_UNITS)
                ),
                1,
            )  # "6 y bác sĩ", "hơn 100 đồng chí"
        unit_words = sentence_words(after)[:unit_len]
        unit_end = end + (len(sentence[end:]) - len(after)) + unit_words[-1].end() if unit_words else end
        shown = sentence[start:unit_end].strip()
        found.append(AnswerSpan(start, unit_end, capitalise_first(shown)))
    return sorted(found, key=lambda s: s.start)


def _names_number(before: str) -> bool:
    """Whether the word before a number makes it a name's ("Chỉ thị số 25", "lần thứ 3", "Quận 7")."""
    words = [w.group() for w in sentence_words(before)[-2:]]
    if not words or fold_accents(words[-1]).lower() not in _NUMBERED_WORDS:
        return False
    if words[-1].lower() in _NOT_NUMBERED_WORDS:
        return False
    return not (words[-1].lower() == "số" and len(words) == 2 and words[0].lower() in _COUNT_BEFORE_SO)
