"""Event sentences of an article: who did what, when, where — the lines a briefing is made of.

A briefing officer writes down events, not context ("Năm 2020, tình hình quốc tế …"). A sentence is an
event when it carries an action verb (pyvi's verb tag, or a known event verb such as "khai mạc") and a
day or month date or a place ("Ngày 23/6/2020, tại nhà khách Đầm Vạc
Liên hiệp … đã tổ chức Hội nghị …"); a date of the event itself counts most. The event's date is the
first day or month mention of the sentence that is not the date of a cited document ("Kế hoạch số
109-KH/TU ngày 17/10/2018"), not a later target ("đến năm 2030") and not an anniversary range,
resolved against the publication date by `ingest.event_dates`. Long sentences lose a leading
preamble ("Thực hiện …, được sự ủy quyền …, ngày 26/6 …" starts at "Ngày 26/6") and are cut at a
clause boundary after the verb, never inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.briefing.pos_tags import TaggedWord, tagged_words
from ingest.event_dates import DateMention, find_date_mentions, format_date, resolve_in_sentence
from ingest.sentence_splitter import split_sentences
from ingest.vietnamese_text import fold_accents, has_diacritics

MAX_LINE_CHARS = 220  # sentence part of a timeline line; with its date and marker about 250
_MIN_WORDS = 8
# Event verbs that pyvi may tag as nouns ("khai_mạc"); other lower-case words it tags as verbs count too,
# except these, which report no action ("là", "có", "được" …). Words are pyvi's: "dự_án" is not "dự".
_EVENT_VERBS = frozenset(
    "khai_mạc bế_mạc diễn_ra chủ_trì ký_kết ký tiếp_đón tiếp thăm trao_tặng trao phát_biểu trình_bày "
    "phối_hợp ra_mắt công_bố ban_hành thông_qua khánh_thành phát_động tham_dự dự họp gặp đón làm_việc "
    "khai_giảng chia_sẻ tổ_chức tập_huấn kỷ_niệm hội_đàm điện_đàm".split()
)
_NOT_ACTIONS = frozenset("là có được bị cần phải nên gồm thuộc đến kể còn".split())
_PLACE_PATTERN = (
    r"\b(?:tại|ở)\s+(?:(?:nhà khách|khách sạn|trụ sở|hội trường|trung tâm|thành phố|tỉnh|thủ đô|huyện|xã)\b"
    r"|(?!Hội nghị|Hội thảo|Lễ\b|Buổi|Đại hội|Kỳ họp|Hội\b|đây\b)[A-ZĐ])"
)
_PLACES = (re.compile(_PLACE_PATTERN), re.compile(fold_accents(_PLACE_PATTERN)))
_DOCUMENT_BEFORE = re.compile(
    r"(?:\d+[-/][A-ZĐ]{1,6}(?:/[A-ZĐ]{1,6})?|\b(?:Chi thi|Ke hoach|Quyet dinh|Nghi quyet|Nghi dinh|Thong tu|"
    r"Cong van|Luat|Phap lenh)(?:\s+so)?\s+[\w\-/]+)\s*,?\s*$",
)
# A written sentence ends with its punctuation (before any closing quote); captions and headlines do not.
_FINISHED = re.compile(r"[.!?…][\"”’»]?$")
_PREAMBLE = re.compile(r"^(?:nham|de|thuc hien|voi|theo|trong khuon kho|can cu|duoc|huong toi|chao mung)\b")
# Where a long sentence may be cut: commas, semicolons, a dash before a lower-case clause (not the dash
# of "Tỉnh uỷ – UBND"), and before a purpose clause.
_CLAUSE_END = re.compile(r",\s|;\s|\s[–-]\s(?=[a-zà-ỹđ])|\s(?=(?:nhằm|để|với mục đích|qua đó|trong đó)\s)")


@dataclass(frozen=True)
class EventLine:
    """One event of one article, ready to print: `when_text` is "" when the text gives no date."""

    article_id: str
    sentence: str  # the core of the sentence, relative dates resolved, trimmed; starts with its date
    body: str  # the same without its leading date ("Tại nhà khách Đầm Vạc, …"), for the timeline
    when: date | None
    when_text: str  # "23/6/2020", "7/7/2022 (sáng)", "6/2022"
    score: float
    position: int  # sentence index in the article (lead first)


def event_lines(article_id: str, text: str, published: date | None) -> list[EventLine]:
    """The event sentences of an article, best first."""
    events: list[EventLine] = []
    for position, (start, end) in enumerate(split_sentences(text)):
        sentence = text[start:end]
        if len(sentence.split()) < _MIN_WORDS or not _FINISHED.search(sentence):
            continue  # too short, or a caption or a related article's headline ("… thịt gà(25/02/2004)")
        has_verb = _first_action(sentence) is not None
        has_place = _search(_PLACES, sentence) is not None
        mention = event_date(sentence, published)
        dated = mention is not None and mention.precision != "year"
        if not has_verb or not (dated or has_place):
            continue
        event_verb = any(w.lower_case and w.word in _EVENT_VERBS for w in tagged_words(sentence))
        score = 3.0 * dated + 2.0 * has_place + 1.0 * event_verb + (1.0 if position < 2 else 0.0)
        score += 0.5 * bool(mention is not None and mention.precision == "day")
        events.append(_event_line(article_id, sentence, mention, published, score, position))
    return sorted(events, key=lambda event: (-event.score, event.position))


def event_date(sentence: str, published: date | None) -> DateMention | None:
    """The mention that dates the event the sentence reports (see the module docstring)."""
    candidates = []
    for mention in find_date_mentions(sentence, published):
        before = fold_accents(sentence[max(0, mention.start - 50) : mention.start])
        before = re.sub(r"\bngay\s*$", "", before, flags=re.IGNORECASE).rstrip()
        after = sentence[mention.end : mention.end + 4]
        if _DOCUMENT_BEFORE.search(before) or re.match(r"\s*[-–]\s*\d", after) or before.endswith(("-", "–")):
            continue  # a cited document's date, or one end of an anniversary range
        if (
            mention.value is not None
            and published is not None
            and mention.value > published
            and (mention.precision == "year" or (mention.value - published).days > 60)
        ):
            continue  # a later date is a target ("đến năm 2030"), not the event reported
        candidates.append(mention)
    order = {"day": 0, "month": 1, "year": 2}
    return min(candidates, key=lambda m: (order[m.precision], m.start)) if candidates else None


def lead_line(article_id: str, text: str, published: date | None) -> EventLine:
    """The article's first sentence as a line, for an article without event sentences."""
    spans = split_sentences(text)
    sentence = text[spans[0][0] : spans[0][1]] if spans else text.strip()
    return _event_line(article_id, sentence, event_date(sentence, published), published, 0.0, 0)


def _event_line(
    article_id: str,
    sentence: str,
    mention: DateMention | None,
    published: date | None,
    score: float,
    position: int,
) -> EventLine:
    core_start = _core_start(sentence, mention)
    core = sentence[core_start:]
    core = core[:1].upper() + core[1:]
    body = core
    when_text = ""
    if mention is not None and mention.value is not None:
        when_text = format_date(mention.value, mention.precision)
        if mention.part_of_day:
            when_text = f"{when_text} ({mention.part_of_day.lower()})"
        if mention.start == core_start:  # the sentence opens with its date: the line's date says it
            body = sentence[mention.end :].lstrip(" ,:")
            body = body[:1].upper() + body[1:]
    resolved_core = resolve_in_sentence(core, published)
    return EventLine(
        article_id=article_id,
        sentence=trim_sentence(resolved_core, keep=_written(mention)),
        body=trim_sentence(resolve_in_sentence(body, published), keep=_written(mention)),
        when=mention.value if mention is not None else None,
        when_text=when_text,
        score=score,
        position=position,
    )


def _core_start(sentence: str, mention: DateMention | None) -> int:
    """Where the event starts: at its date when a preamble ("Nhằm …, ngày 04/10/2019, tại …") leads."""
    if mention is None or mention.start == 0:
        return 0
    before = sentence[: mention.start].rstrip()
    if not before.endswith(","):
        return 0
    if _PREAMBLE.match(fold_accents(sentence).lower()) or len(before) > 60:
        return mention.start
    return 0


def _written(mention: DateMention | None) -> str | None:
    """How the event's date reads in a resolved sentence ("sáng 7/7/2022" for "sáng 7/7")."""
    if mention is None:
        return None
    return mention.display if mention.relative and mention.value is not None else mention.text


def trim_sentence(sentence: str, limit: int = MAX_LINE_CHARS, keep: str | None = None) -> str:
    """`sentence` if short enough, else cut at the first clause boundary after its verb, after `keep`
    (the event's date) and at least `limit // 3` characters in (ending with "."), else at the last
    whole word (ending with "…")."""
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    verb = _first_action(sentence)
    kept = sentence.find(keep) + len(keep) if keep and keep in sentence else 0
    after_verb = max(verb.end if verb else 0, kept, limit // 3)
    cuts = [m.start() for m in _CLAUSE_END.finditer(sentence) if after_verb <= m.start() <= limit - 1]
    if cuts:
        return sentence[: cuts[0]].rstrip(" ,;–-") + "."
    head = sentence[: limit - 1]
    return head.rsplit(" ", 1)[0].rstrip(" ,;–-") + "…"


def _first_action(sentence: str) -> TaggedWord | None:
    """The first word of `sentence` that reports an action (see `_EVENT_VERBS`)."""
    for word in tagged_words(sentence):
        if not word.lower_case or word.word in _NOT_ACTIONS:
            continue
        if word.tag == "V" or word.word in _EVENT_VERBS:
            return word
    return None


def _search(patterns: tuple[re.Pattern[str], re.Pattern[str]], sentence: str) -> re.Match[str] | None:
    """The accented pattern on accented text, its folded twin on text written without accents."""
    accented, folded = patterns
    return accented.search(sentence) if has_diacritics(sentence) else folded.search(sentence)
