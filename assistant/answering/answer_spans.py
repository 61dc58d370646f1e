"""Spans of a sentence that can answer a typed question: a person, a place, a date, a number, a document.

The offline answerer has no reader model, so the fact a briefing officer wants ("Sáng 7/7/2022, tại Cao
Bằng", "hơn 200 đại biểu", "Đại sứ Bùi Thế Giang") is cut out of the cited sentence by its form: dates by
pattern (resolved against the article's publication date), numbers with the noun they count, people by
capitalised syllables that start with a Vietnamese surname or follow a title, with the role the article
gives them, places after "tại/ở" by gazetteer words. Every span is text of the sentence itself (at most
re-cased or with a relative date resolved), so nothing in a short answer is absent from the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.answering.answer_span import (
    NAME_PARTICLES,
    UPPER_LETTERS,
    AnswerSpan,
    capitalise_first,
    is_capitalised,
    sentence_words,
)
from assistant.answering.place_answers import place_spans
from ingest.event_dates import find_date_mentions, format_date
from ingest.vietnamese_text import PLACES_LIKE_NAMES, SURNAMES, fold_accents, has_diacritics

_FOLDED_SURNAMES = frozenset(fold_accents(name).lower() for name in SURNAMES) - {"ong"}
# Capitalised words that begin an organisation (or a title) rather than a person's name.
_ORG_HEADS = frozenset(
    "lien so bo ban uy uy ubnd hdnd cuc vu hoc hoi tinh trung cong tong dai vien truong dang quoc chinh "
    "phong bao dai nha thanh huyen xa mat cong hiep".split()
)
_TITLES = re.compile(  # a word of its own: "Đông Nam Á" holds no "ông"
    r"(?<![^\W_])(?:ông|bà|anh|chị|đồng chí|ngài|đại sứ|tiến sỹ|tiến sĩ|ts\.?|pgs\.?|gs\.?|ths\.?|giáo sư|phó giáo sư|"
    r"thạc sĩ|bác sĩ|nhà văn|nhà thơ|nhà báo|nghệ sĩ|đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|"
    r"thượng tá|trung tá|thiếu tá|tổng thống|thủ tướng|chủ tịch|bộ trưởng|thứ trưởng|bí thư|giám đốc|"
    r"luật sư|kiến trúc sư|kỹ sư|hoà thượng|hòa thượng|linh mục|nữ hoàng|vua|hoàng tử|công chúa)\s+$",
    re.IGNORECASE,
)
_ROLE_HEADS = re.compile(
    r"(?:nguyên |phó |quyền |tổng |thường trực |ủy viên |uỷ viên )*"
    r"(?:chủ tịch|pct|giám đốc|bí thư|thư ký|trưởng|thứ trưởng|bộ trưởng|đại sứ|vụ trưởng|cục trưởng|"
    r"chánh|ủy viên|uỷ viên|giảng viên|chủ nhiệm|tổng biên tập|hiệu trưởng|viện trưởng|tổng giám đốc|"
    r"tổng thư ký|phái đoàn|trưởng ban|trưởng phòng|chuyên gia|nhà|ca sĩ|cầu thủ|huấn luyện viên|hlv|"
    r"giáo sư|tiến sĩ|tiến sỹ|đại biểu)\b",
    re.IGNORECASE,
)
# Words after a role that end it: the sentence's verb or a new clause.
_ROLE_END = re.compile(
    r"\s+(?:đã|sẽ|đang|vừa|cho biết|nhấn mạnh|phát biểu|trình bày|chủ trì|tham dự|khai mạc|khẳng định|"
    r"tập huấn|trao đổi|chúc mừng|tham quan|và|cùng|đến|tới)\b|\s*[,;:()]|\s+[-–—]\s",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"(?<![^\W_])(?:Chỉ thị|Kế hoạch|Nghị quyết|Quyết định|Thông tư|Nghị định|Luật|Công văn|Thông báo|"
    r"Hiệp định|Chương trình|Đề án|Kết luận|Thông tri)(?:\s+số)?\s+\d+[\w./-]*"
    r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?(?:\s+của\s+[^,;.()]{2,60}?(?=\s+(?:về|nhằm|đã|trong)\b|[,;.()]|$))?",
)


# "tại Cao Bằng", "tỉnh Cao Bằng": a capitalised run after these is a place, whatever its first syllable.
_PLACE_BEFORE = re.compile(
    r"(?:tại|ở|tỉnh|thành phố|huyện|quận|xã|phường|khu phố|phố|đường|làng|về|đến|tới|từ|TP\.?)\s+$",
    re.IGNORECASE,
)


_TURNED_TO = re.compile(r"(?<![^\W_])nhờ\s+(?:đến|tới)\s+$", re.IGNORECASE)


# "Saint-Saëns", "François": marks no Vietnamese word carries (diaeresis, cedilla) leave a name foreign.
_WESTERN_MARKS = re.compile("[ëïüöÿçËÏÜÖŸÇ]")
# Spellings no Vietnamese syllable has: f/j/w/z, a doubled consonant, a final b/d/l/r/s/v/k/x ("Étienne
# Marcel", "Jean-Baptiste"), so accents like "É" do not make the name Vietnamese.
# Two vowel groups in one word ("Honoré", "Napoléon") too: a Vietnamese syllable has one.
_NOT_VIETNAMESE_SPELLING = re.compile(
    r"[fjwz]|([bcdgklmnprstv])\1|[bdlrsvkx](?:-|$)|[aeiouy][^aeiouy\W]+[aeiouy]"
)


# Titles a single name may follow ("bà Lambert", "bác sĩ Frederick"), folded; office titles are often
# followed by a country instead ("Đại sứ Mỹ", "Thủ tướng Anh").
_PERSONAL_TITLES = frozenset(
    "ong,ba,bac si,nha van,nha tho,nha bao,nghe si,giao su,tien si,luat su,kien truc su,ky su,"
    "linh muc,hoa thuong,ngai,thac si,dai tuong,thuong tuong,trung tuong,thieu tuong,dai ta,thuong ta,"
    "trung ta,thieu ta,tong thong,thu tuong".split(",")
)
ONE_WORD_COUNTRIES = frozenset("Mỹ Anh Pháp Nga Đức Lào Nhật Ý Úc Cuba Israel Iran Iraq Syria Ai".split())
# Words that open a clause, capitalised at a sentence's start and spelled without diacritics like a
# foreign name: "Khi André Masson bắt đầu nói …".
_CLAUSE_OPENERS = frozenset(
    "Khi Theo Trong Tuy Nhưng Sau Nay Nhiều Các Những Cho Vì Do Nếu Để Còn Và Với".split()
)


# Foreign names of places and buildings: "Hôtel de Ville", "Palais Royal", "Rue de Rivoli".
_FOREIGN_PLACE_HEADS = frozenset(
    "hotel palais place rue avenue boulevard musee chateau eglise pont gare porte quai khu jardin parc opera "
    "theatre cafe bois ile lac mont tour cite faubourg".split()
)


def _is_initial(word: str) -> bool:
    """ "E" of "E. O. Wilson", "B" of "Lester B. Pearson": one capital letter."""
    return len(word) == 1 and "A" <= word <= "Z"


def foreign_spelling(word: str) -> bool:
    """Spelled as no Vietnamese syllable is ("Chirac", "Piatzook"): diacritics alone do not say it."""
    return bool(_NOT_VIETNAMESE_SPELLING.search(fold_accents(word).lower()))


def _foreign_word(word: str) -> bool:
    """A word without Vietnamese diacritics, or spelled as no Vietnamese syllable is."""
    return not has_diacritics(_WESTERN_MARKS.sub("", word)) or bool(
        _NOT_VIETNAMESE_SPELLING.search(fold_accents(word).lower())
    )


def _is_org_head(word: str) -> bool:
    return fold_accents(word).lower() in _ORG_HEADS


def person_spans(sentence: str) -> list[AnswerSpan]:
    """People: 2–5 capitalised syllables starting with a surname, or after a title ("Đại sứ ..."),
    displayed with the title before and the role the sentence gives after ("..., Phó Giám đốc Sở ...")."""
    words = sentence_words(sentence)
    spans: list[AnswerSpan] = []
    i = 0
    while i < len(words):
        if not is_capitalised(words[i].group()):
            i += 1
            continue
        j = i
        while j < len(words) and _in_person_name(words, i, j) and j - i < 5:
            gap = sentence[words[j - 1].end() : words[j].start()] if j > i else ""
            if gap.strip() and not (gap.strip() == "." and _is_initial(words[j - 1].group())):
                break  # punctuation between the words ends the name, but "E. O. Wilson" keeps its initials
            j += 1
        run = words[i:j]
        before = sentence[: run[0].start()]
        title = _TITLES.search(before[-30:])
        # "Đại sứ Hoa Kỳ April Glaspie": the title names the country before the name.
        tail = before[-60:]
        country = _COUNTRY_AFTER_TITLE.search(tail) if title is None else None
        country_title = _TITLES.search(tail[: country.start()][-30:]) if country is not None else None
        first = run[0].group()
        is_surname = first in SURNAMES or (
            not has_diacritics(sentence) and fold_accents(first).lower() in _FOLDED_SURNAMES
        )
        # "nhờ đến Harry Hopkins" (turned to): "đến" after "nhờ" leads to a person, not a place.
        after_place_word = bool(_PLACE_BEFORE.search(before[-16:])) and not _TURNED_TO.search(before[-16:])
        # "Jacob Oswald", "Julia Johnson": foreign names carry no Vietnamese diacritics.
        foreign = (
            len(run) >= 2
            and all(
                _foreign_word(w.group()) and not _is_org_head(w.group()) and len(w.group()) > 2
                for w in run
                if w.group() not in NAME_PARTICLES and not _is_initial(w.group())
            )
            and not _is_initial(run[-1].group())
            and fold_accents(run[0].group()).lower() not in _FOREIGN_PLACE_HEADS
        )
        # "Clovis I", "Louis XIV", "Napoléon III": a name with its regnal number.
        # Not the tail of an institution's name ("Đại học Paris XI").
        regnal = (
            len(run) >= 2
            and re.fullmatch(r"[IVX]+", run[-1].group()) is not None
            and not any(is_capitalised(w) and _is_org_head(w) for w in before.split()[-2:])
        )
        # "bác sĩ Frederick", "bà Lambert": one name after a personal title (not "Đại sứ Mỹ", a country).
        single = (
            len(run) == 1
            and title is not None
            and fold_accents(title.group().strip()).lower() in _PERSONAL_TITLES
            and _plain_title(before, title)
            and first not in ONE_WORD_COUNTRIES
            and not _is_org_head(first)
            and len(first) > 1
        )
        if (
            (len(run) < 2 and not single)
            or _place_like(words, i, j, sentence)
            or not (is_surname or title or country_title or foreign or regnal)
            or (not is_surname and _is_org_head(first))
            or first in _CLAUSE_OPENERS  # "Khi André Masson …": the clause's word, then the name
            or (after_place_word and not regnal)
        ):
            i += 1  # "Ông Vũ Duy Thành": the name may start at the next word
            continue
        i = j
        start, end = run[0].start(), run[-1].end()
        display_start = start - len(title.group()) if title else start
        if country is not None and country_title is not None:
            display_start = start - len(country.group()) - len(country_title.group())
        shown = sentence[display_start:end]
        role = _role_after(sentence, end)
        if role:
            shown = f"{shown}, {role}"
        spans.append(AnswerSpan(display_start, end, capitalise_first(shown)))
    return spans


_COUNTRY_AFTER_TITLE = re.compile(
    "(" + "|".join(sorted(map(re.escape, PLACES_LIKE_NAMES), key=len, reverse=True)) + r")\s+$"
)


def _plain_title(before: str, title: re.Match[str]) -> bool:
    """Whether a title found in the last 30 characters of `before` is a word of its own ("sông Ohio" has
    no "ông") and lower case unless it starts the sentence (mid-sentence "Ông Ích Khiêm" is a name)."""
    start = len(before) - len(before[-30:]) + title.start()
    if before[:start][-1:].isalpha():
        return False
    # A title of two words ("Đại tá French", "Tổng thống Museveni") is capitalised as a title is.
    return title.group()[:1].islower() or " " in title.group().strip() or not before[:start].strip(" \"“‘'«(")


def _place_like(words: list[re.Match[str]], i: int, j: int, sentence: str) -> bool:
    """Whether words[i:j] start a place spelled like a name ("Hà Nội", "Thái Lan") or end one that the
    previous word begins ("Bồ | Đào Nha")."""
    texts = [w.group() for w in words[i:j]]
    if any(" ".join(texts[:k]) in PLACES_LIKE_NAMES for k in (2, 3)):
        return True
    if i == 0 or sentence[words[i - 1].end() : words[i].start()].strip():
        return False
    return any(" ".join([words[i - 1].group(), *texts[:k]]) in PLACES_LIKE_NAMES for k in (1, 2))


def _in_person_name(words: list[re.Match[str]], start: int, index: int) -> bool:
    """Whether words[index] continues the name begun at words[start]: a capitalised word, or a particle
    between two ("Charles de Gaulle", "Ludwig van Beethoven")."""
    word = words[index].group()
    if is_capitalised(word):
        return True
    following = next((w.group() for w in words[index + 1 : index + 3] if w.group() not in NAME_PARTICLES), "")
    return index > start and word in NAME_PARTICLES and is_capitalised(following)


def _role_after(sentence: str, end: int) -> str:
    """The role right after a name: "Tên – Phó Giám đốc Sở Ngoại vụ" or "Tên, Phó Chủ tịch, ..."."""
    rest = sentence[end:]
    lead = re.match(r"\s*(?:[-–—,]|\()\s*", rest)
    if not lead:
        return ""
    rest = rest[lead.end() :]
    roles: list[str] = []
    # "Phó Chủ tịch, Tổng Thư ký Liên hiệp …": every role in the chain, not only the first.
    while _ROLE_HEADS.match(rest):
        stop = _ROLE_END.search(rest)
        if stop is None:
            roles.append(rest.strip().rstrip("."))
            break
        roles.append(rest[: stop.start()].strip().rstrip("."))
        chained = re.match(r",\s*", rest[stop.start() :])
        if chained is None:
            break
        rest = rest[stop.start() + chained.end() :]
    role = ", ".join(r for r in roles if r)
    return role if 2 <= len(role) <= 120 else roles[0] if roles and 2 <= len(roles[0]) <= 120 else ""


def date_spans(sentence: str, published: date | None) -> list[AnswerSpan]:
    """Dates the sentence states, resolved against the publication date ("Sáng nay (7/7)" ->
    "Sáng 7/7/2022"), followed by the place when one comes right after ("…, tại Cao Bằng")."""
    spans: list[AnswerSpan] = []
    places = place_spans(sentence)
    for mention in find_date_mentions(sentence, published):
        if mention.value is None:
            shown = mention.text
        else:
            shown = format_date(mention.value, mention.precision)
            part = re.match(r"\s*(sáng|chiều|trưa|tối|đêm)\b", mention.text, re.IGNORECASE)
            if part:
                shown = f"{part.group(1).lower()} {shown}"
        end = mention.end
        for place in places:
            between = sentence[mention.end : place.start]
            if len(between) <= 8 and re.fullmatch(r"[\s,)]*(?:tại|ở)\s+", between, re.IGNORECASE):
                shown = f"{shown}, tại {sentence[place.start : place.end]}"
                end = place.end
                break
        spans.append(AnswerSpan(mention.start, end, capitalise_first(shown)))
    return spans


# "bởi/do" + who acts, in a passive sentence: "được thiết kế bởi kiến trúc sư Ieoh Ming Pei", "do
# Haussmann quy hoạch". One capitalised word is enough here: the preposition says it is an agent.
_TITLED_NAME = (
    r"(?P<title>(?:(?:kiến trúc sư|kỹ sư|họa sĩ|hoạ sĩ|nhà [^\W\d_]+|nam tước|"
    r"bá tước|công tước|vua|hoàng đế|nữ hoàng|tổng thống|thủ tướng|giáo sư|bác sĩ|ông|bà|nhạc sĩ|"
    r"đạo diễn|diễn viên|ca sĩ|thánh)\s+)?)"
    rf"(?P<name>(?!Đệ\s)[{UPPER_LETTERS}][^\W\d_]*(?:[-'][^\W\d_]+)*(?:\s+(?:(?:de|du|la|le|von|van|d')\s+)?"
    rf"[{UPPER_LETTERS}0-9][^\W_]*(?:[-'][^\W\d_]+)*){{0,4}})"
)
_AGENT = re.compile(r"(?<![^\W_])(?:bởi|do)\s+" + _TITLED_NAME)
_TITLED_NAME_AT = re.compile(_TITLED_NAME)
# An era answers "khi nào / lúc nào" when the sentence has no date: "thế kỷ 10", "đầu thế kỷ XX",
# "thời Napoléon III", "thời kỳ Belle Époque", "thời Phục Hưng".
_ERA = re.compile(
    r"(?<![^\W_])(?i:(?:(?:đầu|cuối|giữa|khoảng)\s+)?(?:thế kỷ|thế kỉ)\s+(?:thứ\s+)?)(?:\d{1,2}|[IVXLC]+)\b"
    r"|(?<![^\W_])(?i:(?:thời kỳ|thời kì|thời đại|triều đại|triều|thời)\s+(?:vua\s+)?)"
    rf"[{UPPER_LETTERS}][^\W\d_]*(?:\s+(?:(?i:đệ nhất|đệ nhị)|[{UPPER_LETTERS}][^\W\d_]*|[IVX]+\b|\d+\b))*"
)


def agent_spans(sentence: str, verbs: Sequence[str] = ()) -> list[AnswerSpan]:
    """Who acts in a passive clause ("bởi X", "do X"), with the title before the name; and, for the
    question's own `verbs` (folded: "quy hoach"), who a nominalised verb belongs to ("quy hoạch của nam
    tước Haussmann", "theo thiết kế của kiến trúc sư Bernard Tschumi")."""
    matches = list(_AGENT.finditer(sentence))
    folded = fold_accents(sentence).lower()
    for verb in verbs:
        for owner in re.finditer(rf"(?<![^\W_]){re.escape(verb)}\s+(?:[^\W\d_]+\s+)?cua\s+", folded):
            named = _TITLED_NAME_AT.match(sentence, owner.end())
            if named is not None:
                matches.append(named)
    spans = []
    for match in sorted(matches, key=lambda m: m.start("title")):
        if _is_org_head(match["name"].split()[0]) and not match["title"]:
            continue  # "do Bộ Y tế ban hành": an organisation, `organisation_spans` has it
        start, end = match.start("title"), match.end("name")
        spans.append(AnswerSpan(start, end, capitalise_first(sentence[start:end])))
    return spans


def era_spans(sentence: str) -> list[AnswerSpan]:
    """Centuries, decades and eras ("thế kỷ 10", "thập niên 1980", "thời Napoléon III"), as the sentence
    writes them."""
    return _spans_of(sentence, _ERA, _DECADE)


def time_of_day_spans(sentence: str) -> list[AnswerSpan]:
    """A time of day ("buổi sáng", "sáng sớm"): the answer to advice ("Nên uống khi nào?"), and weaker
    than any date (the caller weighs it lower)."""
    return _spans_of(sentence, _TIME_OF_DAY)


def _spans_of(sentence: str, *patterns: re.Pattern[str]) -> list[AnswerSpan]:
    matches = sorted((m for p in patterns for m in p.finditer(sentence)), key=lambda m: m.start())
    return [AnswerSpan(m.start(), m.end(), capitalise_first(m.group())) for m in matches]


_DECADE = re.compile(
    r"(?<![^\W_])(?:(?:đầu|cuối|giữa)\s+)?(?:thập niên|thập kỷ|thập kỉ)\s+\d{4}\b"
    r"|(?<![^\W_])(?:thiên niên kỷ|thiên niên kỉ)\s+(?:thứ\s+)?\d{1,2}(?:\s+TCN)?\b",  # "thiên niên kỷ 2 TCN"
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(
    r"(?<![^\W_])(?:buổi (?:sáng|trưa|chiều|tối)(?: sớm)?|sáng sớm|ban (?:ngày|đêm)|nửa đêm|giữa trưa)(?![^\W_])",
    re.IGNORECASE,
)


_DOCUMENT_KINDS = (
    "Chỉ thị|Kế hoạch|Nghị quyết|Quyết định|Thông tư|Nghị định|Luật|Công văn|Thông báo|Hiệp định|Đề án|"
    "Kết luận|Thông tri"
)
_NAMED_DOCUMENT = re.compile(rf"(?<![^\W_])({_DOCUMENT_KINDS})(?:\s+số)?\s+(\d+)", re.IGNORECASE)


# The question asks about the document itself: its issuing, signing or coming into force.
_ISSUING = re.compile(
    r"(?<![^\W_])(?:ban hành|ký|kí|thông qua|ra đời|công bố|phê duyệt|có hiệu lực)(?![^\W_])", re.I
)


def asked_document_date(question: str) -> re.Pattern[str] | None:
    """For a question about a document itself ("Chỉ thị 25 ban hành ngày nào?": it starts with the
    document or asks its issuing), the pattern of that document followed by its date ("Chỉ thị số
    25-CT/TW ngày 08/8/2018"); None otherwise ("Hội nghị triển khai Chỉ thị 25 diễn ra ngày nào?" asks the
    meeting's date). Read once per question, matched by `document_date_spans` in each sentence."""
    named = _NAMED_DOCUMENT.search(question)
    if named is None or not (named.start() == 0 or _ISSUING.search(question)):
        return None
    kind, number = re.escape(named.group(1)), named.group(2)
    return re.compile(
        rf"(?<![^\W_]){kind}(?:\s+số)?\s+{number}(?![\d])[\w./-]*\s+ngày\s+(\d{{1,2}}/\d{{1,2}}/\d{{4}})",
        re.IGNORECASE,
    )


def document_date_spans(document: re.Pattern[str], sentence: str) -> list[AnswerSpan]:
    """The document's own date where the sentence writes it after the document (`asked_document_date`)."""
    return [
        AnswerSpan(m.start(1), m.end(1), "/".join(str(int(part)) for part in m.group(1).split("/")))
        for m in document.finditer(sentence)
    ]


def document_spans(sentence: str) -> list[AnswerSpan]:
    """Numbered documents: "Chỉ thị số 25-CT/TW ngày 08/8/2018 của Ban Bí thư"."""
    return [AnswerSpan(m.start(), m.end(), m.group().strip()) for m in _DOCUMENT.finditer(sentence)]


_ORGANISATION_VERB = re.compile(
    r"(?<!các)(?<!những)(?<!một)\s(?:đã\s+|sẽ\s+|vừa\s+)?(?:tổ chức|khai mạc|chủ trì|ban hành|tiếp|đón|triển khai)\b"
)


def organisation_spans(sentence: str) -> list[AnswerSpan]:
    """Organisations acting in the sentence: the subject before its verb ("Liên hiệp ... tổ chức"), or
    what follows "do" ("do Sở Ngoại vụ tổ chức")."""
    spans: list[AnswerSpan] = []
    body = _strip_leading_adverbials(sentence)
    offset = len(sentence) - len(body)
    # Every verb, not only the first: "Thực hiện Kế hoạch … về triển khai …, Sở Ngoại vụ đã chủ trì tổ
    # chức …" names its organiser before the second one.
    for verb in _ORGANISATION_VERB.finditer(body):
        if verb.start() == 0:
            continue
        # The subject is the clause right before the verb: "…, tại khách sạn Ariyana, Sở Ngoại vụ
        # phối hợp với Cục Ngoại vụ - Bộ Ngoại giao đã tổ chức …".
        clause_start = max(body.rfind(mark, 0, verb.start()) for mark in ",;:") + 1
        subject = body[clause_start : verb.start()].strip(" ,")
        words = sentence_words(subject)
        if (
            words
            and _is_org_head(words[0].group())
            and is_capitalised(words[0].group())
            and len(subject) <= 160
        ):
            start = (
                offset
                + clause_start
                + (
                    len(body[clause_start : verb.start()])
                    - len(body[clause_start : verb.start()].lstrip(" ,"))
                )
            )
            spans.append(AnswerSpan(start, start + len(subject), capitalise_first(subject)))
            break
    # The agent of a passive: "do Sở Ngoại vụ tổ chức", "được Bộ Y tế và Tổ chức Sáng kiến Việt Nam công bố".
    for match in _PASSIVE_ORGANISATION.finditer(sentence):
        if match.group(1) == "do" or _is_org_head(match.group(2).split()[0]):
            spans.append(AnswerSpan(match.start(2), match.end(2), match.group(2)))
    return spans


_PASSIVE_ORGANISATION = re.compile(
    r"(?<![^\W_])(do|được|bởi)\s+([A-ZĐ][^,;.()]{2,120}?)\s+"
    r"(?:tổ chức|chủ trì|ban hành|công bố|thực hiện|tài trợ|triển khai|phát động|khởi xướng|cấp phép)(?![^\W_])"
)


def _strip_leading_adverbials(sentence: str) -> str:
    """Drops "Sáng nay (7/7), tại Cao Bằng, " and the like from the start of an event sentence."""
    rest = sentence
    for _ in range(4):
        clause = re.match(r"\s*([^,]{1,60}),\s*", rest)
        if not clause:
            break
        head = fold_accents(clause.group(1)).lower().strip()
        if re.match(r"(sang|chieu|toi|trua|ngay|hom|tai|o|trong|vao|nam|thang|tuan|dau|cuoi|\d)", head):
            rest = rest[clause.end() :]
        else:
            break
    return rest
