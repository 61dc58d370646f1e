"""What kind of quantity a how-many question asks, and whether a count found in an article is of that kind.

A question whose own noun is in no sentence ("Lớp đó kéo dài mấy ngày?", "Học phí là bao nhiêu?") falls
back to any count in the best sentences, because articles word quantities their own way ("12%" for "bao
nhiêu phần trăm", "3.888 yen" for "giá bao nhiêu"). That fallback must not cross kinds: seventy delegates
do not say how many days a course lasted nor what it cost. A count of another kind answers nothing, and the
answer then says the article does not state it.
"""

from __future__ import annotations

import re

from assistant.answering.answer_span import AnswerSpan, capitalise_first
from assistant.answering.number_spans import PEOPLE_NOUNS
from ingest.vietnamese_text import folded_words

# Folded unit words by kind. People: the article's own noun for them answers a question about attendees.
_KINDS: dict[str, frozenset[str]] = {
    "time": frozenset(
        "ngay,thang,nam,tuan,gio,phut,giay,the ky,thap ky,thap nien,nhiem ky,buoi,dem,khoa hoc".split(",")
    ),
    "money": frozenset(
        (
            "dong,tien,vnd,usd,do,do la,dollar,dola,euro,yen,nhan dan te,bang anh,ty dong,trieu dong,nghin dong,"
            "ngan dong,franc,rup,won,peso,yuan,ringgit,rupee,lira,dinar,riyal"
        ).split(",")
    ),
    "share": frozenset({"%", "phan tram"}),
    "weight": frozenset("g,gam,gram,kg,ki lo gam,kilogram,lang,can,ta,tan,mg".split(",")),
    "length": frozenset("m,met,km,cm,mm,ki lo met,kilomet,dam,hai ly".split(",")),
}
# Questions that ask for an amount of money, a duration or a share without naming the unit after "bao
# nhiêu", matched with their accents ("giá" is not "gia" of "quốc gia").
_ASKED_BY_WORDS = (
    ("temperature", re.compile(r"(?<![^\W_])(?:nhiệt độ|bao nhiêu độ|mấy độ)(?![^\W_])")),
    ("time", re.compile(r"(?<![^\W_])(?:bao lâu|bao nhiêu lâu|kéo dài)(?![^\W_])")),
    ("share", re.compile(r"(?<![^\W_])(?:phần trăm|tỷ lệ|tỉ lệ)(?![^\W_])")),
    # Never "nặng", "cao", "dài" alone: "bệnh nặng", "cao nhất", "kéo dài".
    (
        "weight",
        re.compile(r"(?<![^\W_])(?:cân nặng|trọng lượng|khối lượng|nặng (?:bao nhiêu|mấy))(?![^\W_])"),
    ),
    (
        "length",
        re.compile(
            r"(?<![^\W_])(?:chiều dài|chiều cao|bao xa|khoảng cách|(?:dài|cao) (?:bao nhiêu|mấy))(?![^\W_])"
        ),
    ),
    (
        "money",
        re.compile(
            r"(?<![^\W_])(?:(?<!đánh )giá|học phí|chi phí|kinh phí|lệ phí|phí|tiền|lương|ngân sách|vốn)(?![^\W_])"
        ),
    ),
)
_DEGREES = re.compile(r"°|(?<![^\W_])độ(?![^\W_])", re.IGNORECASE)
# Words of scale after a number ("5 tỷ", "2 triệu") say nothing of the kind: they may be money or people.
_SCALE_WORDS = frozenset("ty,ti,trieu,nghin,ngan,tram,chuc,van".split(","))
# Nouns for people in general: any of them answers a question counting any other ("hơn 100 đồng chí" for
# "bao nhiêu đại biểu"). A question counting a particular role ("báo cáo viên") needs that role.
GENERIC_PEOPLE = frozenset(
    "nguoi,dai bieu,dong chi,can bo,hoc vien,thanh vien,khach,khach moi,hoi vien,nguoi dan".split(",")
)


def asked_kind(question: str, counted: str | None) -> str | None:
    """The kind of quantity asked: "time", "money", "share", "role" (people of one particular role, "báo
    cáo viên", only counted under that noun) or None when the question does not say."""
    if counted is not None:
        # The counted noun says it ("bao nhiêu ca … chi phí" counts cases, not money).
        return unit_kind(counted) or ("role" if _counts_a_role(counted) else None)
    lowered = question.lower()
    return next((kind for kind, words in _ASKED_BY_WORDS if words.search(lowered)), None)


def _counts_a_role(counted: str) -> bool:
    noun = folded_words(counted).strip()
    words = noun.split()
    person = noun in PEOPLE_NOUNS or words[-1] in ("vien", "si") or (words[0] == "nha" and len(words) > 1)
    return person and noun not in GENERIC_PEOPLE


def unit_words(count: str) -> list[str]:
    """The folded words of a count after its number and qualifier ("Hơn 70 đại biểu" -> dai, bieu)."""
    words = [w for w in folded_words(count).split() if not any(c.isdigit() for c in w)]
    words = words[1:] if words and words[0] in ("hon", "khoang", "gan", "tren", "duoi", "co") else words
    # "53 triệu người": the unit is after the word of scale, which alone says nothing ("2 triệu").
    return words[1:] if len(words) > 1 and words[0] in _SCALE_WORDS else words


def unit_kind(unit: str) -> str | None:
    """The kind of a count's unit ("70 ngày" -> "time", "100 đồng chí" -> "people"), from its first one or
    two words; None when unknown."""
    if unit.rstrip().endswith("%"):
        return "share"
    if _DEGREES.search(unit):
        return "temperature"  # "−40 °C", "100 độ C"; "độ" is no "đô" (dollar)
    words = unit_words(unit)
    for size in (3, 2, 1):  # "y bác sĩ", "đồng chí", "người"
        key = " ".join(words[:size])
        if key in PEOPLE_NOUNS:
            return "people"  # "hơn 100 đồng chí" is not a sum of "đồng"
        kind = next((k for k, units in _KINDS.items() if key in units), None)
        if kind is not None:
            return kind
    return None


def same_kind(asked: str | None, count: str) -> bool:
    """Whether a count ("Hơn 70 đại biểu") can answer a question asking for `asked`: its unit is of that
    kind, or, for a sum of money, it has no unit or only a word of scale ("2 triệu")."""
    if asked is None:
        return True
    if asked == "role":
        return False
    kind = unit_kind(count)
    if kind is not None or asked != "money":
        return kind == asked  # a share has its "%", a duration its unit
    words = unit_words(count)
    return not words or words[0] in _SCALE_WORDS


def asked_quantity(question: str) -> str | None:
    """How the question names a quantity it does not count in units, for "Bài [1] không nêu …":
    "thời gian kéo dài", "học phí", "giá vé"; None when it names none."""
    lowered = question.lower()
    for kind, words in _ASKED_BY_WORDS:
        match = words.search(lowered)
        if match is None:
            continue
        if kind == "time":
            return "thời gian kéo dài" if match.group() == "kéo dài" else "thời gian"
        if match.group() == "giá":
            following = re.match(r"\s+([^\W\d_]+)", lowered[match.end() :])
            if following and following.group(1) not in _NOT_PART_OF_PRICE:
                return f"giá {following.group(1)}"
        return match.group()
    return None


_NOT_PART_OF_PRICE = frozenset("của là bao mấy cho được thì ở tại khi trong này đó".split())


# "đứng thứ mấy", "tuần thứ mấy", "xếp hạng bao nhiêu": a rank, answered by "thứ 11", "hạng 3" or, for a
# unit of time, "37 tuần" / "tuần 37". Folded.
_ORDINAL_QUESTION = re.compile(r"(?:([^\W\d_]+)\s+)?(?:thu|hang) (?:may|bao nhieu)\b")
_ORDINAL_WORDS = r"\d+|nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười"


def asked_rank(question: str) -> str | None:
    """The noun a rank question ranks, folded ("tuan" for "tuần thứ mấy", "dung" for "đứng thứ mấy"),
    "" when none; None when the question asks no rank."""
    match = _ORDINAL_QUESTION.search(folded_words(question))
    if match is None:
        return None
    return match.group(1) or ""


def rank_spans(sentence: str, ranked: str) -> list[AnswerSpan]:
    """ "thứ 11", "hạng 3", and with a unit of time ranked ("tuần") "tuần 37" or "37 tuần"."""
    spans = [
        AnswerSpan(m.start(), m.end(), capitalise_first(m.group()))
        for m in re.finditer(rf"(?<![^\W_])(?:thứ|hạng)\s+(?:{_ORDINAL_WORDS})(?![^\W_])", sentence, re.I)
    ]
    if ranked and unit_kind(f"1 {ranked}") == "time":
        for m in re.finditer(r"(?<![^\W_])(\d+)\s+([^\W\d_]+)|([^\W\d_]+)\s+(?:thứ\s+)?(\d+)", sentence):
            word = m.group(2) or m.group(3)
            if folded_words(word).strip() == ranked:
                spans.append(AnswerSpan(m.start(), m.end(), capitalise_first(m.group())))
    return sorted(spans, key=lambda s: s.start)
