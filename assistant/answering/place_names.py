"""Places the sentence names without a word that says so: "Paris", "Venezia", "Ả Rập Xê Út".

`place_spans` and its kin need a lead ("tại", "ở") or a kind of place ("sông Seine"); encyclopedia and
news sentences just as often name the place bare: "Cùng với Venezia, Paris còn được ví là …", "… tẩu thoát
sang Ả Rập Xê Út". For a "where" question whose best sentence has no led place, a capitalised name that
is no person, organisation, title, date or language is the place. The caller weighs these below led
places (a bare name says less surely that it is a place).
"""

from __future__ import annotations

import re

from assistant.answering.answer_span import NAME_PARTICLES, AnswerSpan, capitalise_first
from assistant.answering.answer_spans import person_spans
from assistant.answering.organisation_names import organisation_names
from assistant.question.analysis import is_stopword
from ingest.vietnamese_text import SURNAMES, fold_accents

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Capitalised words that start something other than a place: organisations, titles, times, documents.
_NOT_PLACE_HEADS = frozenset(
    (
        "lien so bo ban uy ubnd hdnd cuc vu hoc hoi cong ty tong dai hoc vien truong dang chinh phu phong bao "
        "mat tran quoc hoi toa an nam thang ngay the ky quy tuan thu chu tich pho giam doc bi thu vua "
        "hoang de tong thong thu tuong nguoi tieng chien tranh cach mang giai thuong le hiep dinh luat "
        "nghi quyet chi thi ke hoach du an chuong trinh cuoc ong ba anh chi ngai"
    ).split()
)
# A name right after these is a people, a language, a style or a person ("ông Sơn"), not a place:
# "người Pháp", "tiếng Anh".
_NOT_PLACE_BEFORE = re.compile(
    r"(?:người|tiếng|dân|phong cách|kiểu|văn hóa|văn hoá|gốc|quốc tịch|giáo|đạo|họ|tên|ông|bà|anh|chị|em|"
    r"cô|chú|bé|cháu|ngài|đồng chí)\s+$",
    re.IGNORECASE,
)
# A name right before these is a religion or a named event, not a place: "Cơ Đốc giáo", "Phật giáo".
_NOT_PLACE_AFTER = re.compile(r"\s+(?:giáo|đạo|ngữ)\b", re.IGNORECASE)
# The kind of place said before the name belongs to the answer: "nhà thờ Đức Bà", "kênh Saint-Martin".
_PLACE_KINDS = (
    r"(?:đảo|quần đảo|đồi|núi|viện bảo tàng|bảo tàng|quảng trường|công viên|cao nguyên|"
    r"thung lũng|sông|hồ|nhà thờ|cung điện|lâu đài|khu phố|đại lộ|khách sạn|sân vận động|nhà hát|"
    r"khu đô thị|vùng|miền|thành phố|tỉnh|kênh|rừng|phố|quận|làng|vịnh|biển|đèo|cầu|ga|sân bay|nước|"
    r"bang|thủ đô|thị trấn|huyện|xã|châu|lục địa|bán đảo|eo biển|hẻm núi|dãy núi|dãy|khu vực)"
)
_KIND_BEFORE = re.compile(rf"(?<![^\W_]){_PLACE_KINDS}\s+$", re.IGNORECASE)
# A kind of place a word or two before the name: "khu đô thị hiện đại La Défense", "thành phố cảng Marseille".
_KIND_NEAR = re.compile(rf"(?<![^\W_]){_PLACE_KINDS}(?P<between>(?:\s+[^\W\d_]+){{1,2}})\s+$", re.IGNORECASE)
# Organisations that are places too: where someone works or is treated.
_PLACE_ORGANISATIONS = (
    "benh vien",
    "truong",
    "dai hoc",
    "hoc vien",
    "trung tam",
    "vien",
    "khach san",
    "nha hat",
    "bao tang",
    "tram",
    "phong kham",
)
# A list's comma or "và" right before or after a name: "New York, Luân Đôn và Tokyo".
_LIST_BEFORE = re.compile(r"(\w+)\s*(?:,|\bvà)\s*$")
_LIST_AFTER = re.compile(r"\s*(?:,|và\b)\s*(\w+)")
_NAME_PARTICLES = NAME_PARTICLES | {"di", "del"}  # also the Italian and Spanish "di", "del"
# Spellings no Vietnamese syllable has: a sentence's first word is a name only when spelled so ("Paris").
_NOT_VIETNAMESE_SPELLING = re.compile(r"[fjwzèëïüöç]|([bcdgklmnprstv])\1|[bdlrsvkx]$")
_ROMAN = re.compile(r"[IVXLC]+")


def named_place_spans(sentence: str) -> list[AnswerSpan]:
    """Runs of capitalised words (with "de", "la" inside: "Île de la Cité") that no other finder
    claims, each a candidate place."""
    found_people = person_spans(sentence)
    people = [(p.start, p.end) for p in found_people]
    # The tail of an organisation's name ("Liên hiệp các tổ chức hữu nghị Việt Nam") is no place.
    organisations = [(o.start, o.end) for o in organisation_names(sentence)]
    words = list(_WORD.finditer(sentence))
    lead = len(sentence) - len(sentence.lstrip(" \"'“‘(«"))
    spans: list[AnswerSpan] = []
    i = 0
    while i < len(words):
        if not words[i].group()[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < len(words) and not sentence[words[j - 1].end() : words[j].start()].strip():
            text = words[j].group()
            if text[:1].isupper() or (
                text.lower() in _NAME_PARTICLES and j + 1 < len(words) and words[j + 1].group()[:1].isupper()
            ):
                j += 1
                continue
            break
        run = words[i:j]
        i = j
        if run[0].start() <= lead and len(run) > 1 and is_stopword(run[0].group()):
            run = run[1:]  # "Theo Ban Tổ chức": the sentence's first word is no part of the name
        start, end = run[0].start(), run[-1].end()
        first = fold_accents(run[0].group()).lower()
        two = " ".join(fold_accents(w.group()).lower() for w in run[:2])
        if first in _NOT_PLACE_HEADS or two in _NOT_PLACE_HEADS or _ROMAN.fullmatch(run[0].group()):
            continue
        if len(run) == 1 and len(run[0].group()) < 3:
            continue
        if run[0].group().isupper() and len(run) == 1:
            continue  # "UNESCO", "INSEE": organisations more often than places
        if start <= lead and len(run) == 1 and not _foreign_spelling(run[0].group()):
            continue  # "Trong", "Thế": capitalised because they start the sentence
        if _NOT_PLACE_BEFORE.search(sentence[max(0, start - 16) : start]):
            continue
        if _NOT_PLACE_AFTER.match(sentence, end):
            continue
        holder = next(((s, e) for s, e in organisations if s <= start and end <= e), None)
        if holder is not None:
            # The tail of an organisation's name: no place ("Liên hiệp … hữu nghị Việt Nam"), unless the
            # organisation is one ("Bệnh viện Đa khoa Điện Biên"), which is then the answer.
            if fold_accents(sentence[holder[0] : holder[1]]).lower().startswith(_PLACE_ORGANISATIONS):
                spans.append(
                    AnswerSpan(holder[0], holder[1], capitalise_first(sentence[holder[0] : holder[1]]))
                )
            continue
        # A bare foreign pair ("New York", "Scott Brown") is a person unless listed among places or said to
        # be one ("khu đô thị hiện đại La Défense").
        if any(s < end and start < e for s, e in people) and (
            _surely_person(sentence, start, found_people)
            or not (_listed(sentence, start, end, people) or _kind_near(sentence, start))
        ):
            continue
        following = words[j] if j < len(words) else None
        if (
            len(run) == 1
            and not _foreign_spelling(run[0].group())
            and following is not None
            and not sentence[end : following.start()].strip()
            and not is_stopword(following.group())
        ):
            continue  # "Cách mạng", "Bách khoa": the first word of a capitalised phrase, not a place
        kind = _KIND_BEFORE.search(sentence[max(0, start - 24) : start]) or _kind_near(sentence, start)
        if kind is not None:
            start -= len(kind.group())
        spans.append(AnswerSpan(start, end, capitalise_first(sentence[start:end])))
    return spans


def _kind_near(sentence: str, start: int) -> re.Match[str] | None:
    """A kind of place a word or two before the name, those words describing it ("khu đô thị hiện đại La
    Défense"), not a clause ("kênh khác là Saint-Denis", "khách sạn ở khắp Paris")."""
    near = _KIND_NEAR.search(sentence[max(0, start - 40) : start])
    if near is None or any(
        is_stopword(w) or w.lower() in ("khác", "khắp") for w in near.group("between").split()
    ):
        return None
    return near


def _listed(sentence: str, start: int, end: int, people: list[tuple[int, int]]) -> bool:
    """Whether a list's comma or "và" joins the name to another capitalised name that is no person,
    before or after it ("New York, Luân Đôn", not "David Green và Andy Thompson")."""
    window = max(0, start - 40)
    before = _LIST_BEFORE.search(sentence[window:start])
    after = _LIST_AFTER.match(sentence, end)
    neighbours = [window + before.start(1)] if before else []
    neighbours += [after.start(1)] if after else []
    return any(sentence[n].isupper() and not any(s <= n < e for s, e in people) for n in neighbours)


def _surely_person(sentence: str, start: int, found_people: list[AnswerSpan]) -> bool:
    """A title before the name or a Vietnamese surname first: never a place. "La Défense" is no
    Vietnamese name: a surname followed by words no Vietnamese syllable is spelled like."""
    spans = [p for p in found_people if p.start <= start < p.end or start <= p.start < start + 2]
    return any(
        p.display != sentence[p.start : p.end]
        or (p.display.split()[0] in SURNAMES and not any(map(_foreign_spelling, p.display.split()[1:])))
        for p in spans
    )


def _foreign_spelling(word: str) -> bool:
    return bool(_NOT_VIETNAMESE_SPELLING.search(word.lower()))
