"""Who and what an article names: people with the roles the article gives them, and organisations.

Vietnamese news introduces people in a few fixed shapes, which cover most of them without a tagger:
- honorific + name + (comma or dash) + role: "ông Phan Anh Sơn, Phó Chủ tịch, Tổng Thư ký Liên hiệp …",
  "Ông Vũ Duy Thành – Phó Vụ trưởng Vụ Chính sách đối ngoại tập huấn về …";
- role + name: "Phó Bí thư thường trực tỉnh Cao Bằng Triệu Đình Lê", "Chủ tịch Hồ Chí Minh".

A name is a run of 2–4 capitalised syllables read whole (quotes and "?" after it end it, they never cut
it: "Hồ Chí Minh" stays whole). After a role title it must start with a Vietnamese surname, so "Thứ
trưởng Bộ Ngoại giao" names no "Bộ Ngoại". A role after a name runs until the sentence goes on: a verb
(pyvi's tag, or a common reporting verb), "và"/"cùng", a lower-case clause after a comma or dash.
"""

from __future__ import annotations

import re

from assistant.briefing.pos_tags import tagged_words
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import PLACES_LIKE_NAMES

_HONORIFIC = re.compile(
    r"(?<!\w)(ông|bà|Ông|Bà|đồng chí|Đồng chí|Tiến sỹ|Tiến sĩ|TS\.|PGS\.\s?TS\.?|GS\.\s?TS\.?|Thạc sĩ|"
    r"Nhà báo|Luật sư|Giáo sư|Phó Giáo sư|Thiếu tướng|Trung tướng|Thượng tướng|Đại tướng|Đại tá)\s+"
)
_ROLE_TITLE = re.compile(
    r"(?<!\w)((?:Nguyên |nguyên )?(?:Phó |Tổng )?(?:Chủ tịch|Bí thư|Bộ trưởng|Thứ trưởng|Giám đốc|Thủ tướng|"
    r"Tổng Thư ký|Tổng thư ký|Trưởng ban|Trưởng Ban|Vụ trưởng|Cục trưởng|Chủ nhiệm|Đại sứ|Tổng thống|"
    r"Ngoại trưởng|Tổng Lãnh sự|Trưởng đoàn|Chánh Văn phòng))\s+"
)
_SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương "
    "Lâm Phùng Mai Tô Hà Tạ Cao Lương Đinh Quách Kiều Triệu Thái Lưu Chu Tôn Đàm Hứa Châu Giang Nghiêm La "
    "Khổng Mạc Thân Lục Diệp Tăng Vi Lã Từ Doãn Bạch Chế Hàn Mã Nông Quan Lạc Trình Khúc Kim Lại Hầu "
    "Cù Đồng Tống Nhữ Phí Ninh Tiêu".split()
)
# A stated role starts with one of these ("Phó Chủ tịch …", "nguyên Bộ trưởng …", "PCT …"); a comma
# after a name may also start a list of names or places, which is not a role.
_ROLE_START = frozenset(
    "Phó Chủ Bộ Thứ Giám Tổng Trưởng Vụ Cục Đại Nguyên nguyên Bí Thủ Ngoại Tham Chánh Ủy Uỷ Chuyên Giảng "
    "Giáo Nhà Trợ Cố Đặc PCT Viện Hiệu Luật Thượng Thiếu Trung Lãnh Cán Chỉ Ủy_viên Tiến Thạc Phóng "
    "Biên Kiến Điều Quyền Chủ_nhiệm Hội Người Thành Tỉnh".split()
)
# Capitalised words that start organisations and places, never a name after an honorific.
_NOT_A_NAME_START = frozenset(
    "Bộ Sở Ban Hội Cục Vụ Viện Học Liên Tỉnh Thành Ủy Uỷ UBND Trung Đảng Nhà Quốc Chính Đoàn Phòng Tổng "
    "Công Ngân Tòa Tòa Đại Việt Tại Trong Theo Các Những".split()
)
_NAME_WORD = re.compile(r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\w'-]*")
_ROLE_HARD_END = re.compile(
    r"[.;:()\n“”\"]|\s(?:và|cùng|đã|sẽ|đang|được|vừa|cho biết|cho hay|tại Hội nghị|ông|bà)\s"
)
# Reporting verbs that end a role even when the tagger calls them nouns.
_ROLE_STOP_WORDS = frozenset(
    "phát_biểu trình_bày chia_sẻ cho_biết trao_đổi chủ_trì tập_huấn tham_quan nhấn_mạnh khẳng_định "
    "đề_nghị cho_rằng nói tham_dự dự đến tiếp thăm gặp làm_việc báo_cáo kêu_gọi ký trao nêu giới_thiệu "
    "bày_tỏ đánh_giá yêu_cầu chúc_mừng khai_mạc bế_mạc hướng_dẫn hội_đàm cho_hay về với của".split()
)
_MAX_ROLE_WORDS = 16
_COMMA = re.compile(",")
_ORG_HEAD = re.compile(
    r"\b(Liên hiệp các tổ chức hữu nghị|Sở Ngoại vụ|Bộ Ngoại giao|Ban Đối ngoại|Học viện Ngoại giao|"
    r"Cục Ngoại vụ|Cục Lễ tân Nhà nước|Ủy ban Biên giới quốc gia|Vụ Chính sách đối ngoại|UBND|Tỉnh ủy|Tỉnh uỷ|"
    r"Ban Bí thư|Ban Điều phối viện trợ nhân dân|Liên hiệp quốc|Hội hữu nghị)"
    r"((?: (?:tỉnh|thành phố|TP\.|các tỉnh))? (?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*)(?: [A-ZĐ]\w*){0,3})?"
)


def lead_sentence(text: str, limit: int = 320) -> str:
    """The article's first sentence (its lead), shortened to `limit` characters."""
    spans = split_sentences(text)
    sentence = text[spans[0][0] : spans[0][1]].strip() if spans else text.strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def people_in(text: str) -> list[tuple[str, str]]:
    """(name, role) pairs in order of first mention; role is "" when the article gives none."""
    found: dict[str, tuple[str, bool]] = {}  # name -> (role, stated after the name)

    def record(name: str, role: str, stated: bool) -> None:
        known = found.get(name)
        if known is None or (stated and not known[1]) or (role and not known[0]):
            found[name] = (role, stated)

    mentions: list[tuple[int, str, str, bool]] = []
    for match in _HONORIFIC.finditer(text):
        name = _name_at(text, match.end(), surname_required=False)
        if name:
            role = _role_after(text, match.end() + len(name))
            mentions.append((match.start(), name, role, bool(role)))
    for match in _ROLE_TITLE.finditer(text):
        located = _name_after_title(text, match.end())
        if located is None:
            continue
        name_start, name = located
        title_role = text[match.start() : name_start].strip(" ,–-")
        role = _role_after(text, name_start + len(name))
        mentions.append((match.start(), name, role or title_role, bool(role)))
    for _, name, role, stated in sorted(mentions, key=lambda mention: mention[0]):
        record(name, role, stated)
    return [(name, role) for name, (role, _) in found.items()]


def organisations_in(text: str) -> list[str]:
    """Distinct organisation names, in order of first mention."""
    names = [m.group(0).strip() for m in _ORG_HEAD.finditer(text)]
    return list(dict.fromkeys(names))


def _name_words(text: str, start: int, limit: int = 6) -> list[str]:
    """Capitalised words from `start`, stopping after a word followed by punctuation."""
    words: list[str] = []
    position = start
    while len(words) < limit:
        match = _NAME_WORD.match(text, position)
        if match is None:
            break
        word = match.group(0).rstrip("'-")
        if not word.replace("-", "").isalpha():
            break
        words.append(word)
        position = match.start() + len(word)
        if text[position : position + 1] != " ":
            break  # punctuation or end: the name ends here, whole
        position += 1
    return words


def _name_at(text: str, start: int, *, surname_required: bool) -> str | None:
    words = _name_words(text, start)
    if not 2 <= len(words) <= 4 or words[0] in _NOT_A_NAME_START:
        return None
    if " ".join(words[:2]) in PLACES_LIKE_NAMES:
        return None
    if surname_required and words[0] not in _SURNAMES:
        return None
    return " ".join(words)


def _name_after_title(text: str, start: int) -> tuple[int, str] | None:
    """(start, name) of the first Vietnamese name a few words after a role title, before the next
    title or comma ("Thứ trưởng Bộ Ngoại giao Bùi Thanh Sơn")."""
    ends = [_ROLE_HARD_END.search(text, start), _ROLE_TITLE.search(text, start), _COMMA.search(text, start)]
    limit = min([end.start() for end in ends if end is not None] + [len(text), start + 80])
    return _first_vietnamese_name(text, start, limit)


def _first_vietnamese_name(text: str, start: int, end: int) -> tuple[int, str] | None:
    for match in re.finditer(r"(?<!\w)\w+", text[start:end]):
        position = start + match.start()
        if match.group(0) in _SURNAMES:
            name = _name_at(text, position, surname_required=True)
            if name is not None:
                return position, name
    return None


def _role_after(text: str, end: int) -> str:
    """The role written right after a name ("…, Phó Chủ tịch, Tổng Thư ký Liên hiệp …"), or ""."""
    separator = re.match(r"\s*(?:,|–|-|—)\s*", text[end:])
    if separator is None:
        return ""
    start = end + separator.end()
    first = re.match(r"\w+", text[start:])
    if first is None or first.group(0) not in _ROLE_START:
        return ""
    hard_end = _ROLE_HARD_END.search(text, start)
    candidate = text[start : hard_end.start() if hard_end else len(text)]
    candidate = re.split(r",\s(?=[a-zà-ỹđ])|\s[–—-]\s(?=[a-zà-ỹđ])", candidate, maxsplit=1)[0]
    role = _until_verb(candidate).strip(" ,–-")
    if _first_vietnamese_name(role, 0, len(role)) is not None:
        return ""  # a list of people ("Thủ tướng Phan Văn Khải, Chủ tịch Quốc hội …"), not one role
    return role if role and len(role.split()) <= _MAX_ROLE_WORDS else ""


def _until_verb(candidate: str) -> str:
    """`candidate` up to its first lower-case verb (pyvi's POS tags, plus common reporting verbs)."""
    for word in tagged_words(candidate):
        if word.start > 0 and word.lower_case and (word.tag == "V" or word.word.lower() in _ROLE_STOP_WORDS):
            return candidate[: word.start]
    return candidate
