"""Who and what an article names: people with the roles the article gives them, and organisations.

Vietnamese news introduces people in a few fixed shapes — "ông Phan Anh Sơn, Phó Chủ tịch ...",
"Tiến sỹ Lê Hải Bình – Phó Giám đốc Học viện Ngoại giao", "Đại sứ Nguyễn Phương Nga" — so honorific +
capitalised name + (dash or comma) + capitalised role covers most of them without a tagger.
"""

from __future__ import annotations

import re

from ingest.sentence_splitter import split_sentences

_HONORIFIC = re.compile(
    r"\b(ông|bà|Ông|Bà|đồng chí|Đồng chí|Đại sứ|Tiến sỹ|Tiến sĩ|TS\.|PGS\.TS\.?|GS\.TS\.?|Thạc sĩ|Thứ trưởng|"
    r"Bộ trưởng|Chủ tịch|Phó Chủ tịch)\s+"
)
_ROLE_END = re.compile(
    r"[.;()\n]| tại | đã | trình bày| chia sẻ| phát biểu| cho biết| trao đổi| chủ trì| và các "
)
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
    """(name, role) pairs; role is "" when the article gives none next to the name."""
    found: dict[str, tuple[str, bool]] = {}  # name -> (role, stated next to the name)
    for match in _HONORIFIC.finditer(text):
        name_words: list[str] = []
        rest = text[match.end() :]
        for word in rest.split(" ")[:5]:
            clean = word.rstrip(",–-:;.")
            if not clean or not clean[0].isupper() or not clean.replace("-", "").isalpha():
                break
            name_words.append(clean)
            if clean != word:
                break
        if not 2 <= len(name_words) <= 4:
            continue
        name = " ".join(name_words)
        after = rest[len(name) :]
        role, stated = "", False
        separator = re.match(r"\s*[,–-]\s*", after)
        if separator:
            candidate = _ROLE_END.split(after[separator.end() :], maxsplit=1)[0]
            candidate = re.split(r"\s[–-]\s(?=[a-zà-ỹđ])", candidate, maxsplit=1)[0].strip(" ,")
            if candidate and candidate[0].isupper() and len(candidate.split()) <= 16:
                role, stated = candidate, True
        honorific = match.group(1)
        if not role and honorific[0].isupper() and honorific.lower() not in {"ông", "bà", "đồng chí"}:
            role = honorific
        known = found.get(name)
        if known is None or (stated and not known[1]) or (role and not known[0]):
            found[name] = (role, stated)
    return [(name, role) for name, (role, _) in found.items()]


def organisations_in(text: str) -> list[str]:
    """Distinct organisation names, in order of first mention."""
    names = [m.group(0).strip() for m in _ORG_HEAD.finditer(text)]
    return list(dict.fromkeys(names))
