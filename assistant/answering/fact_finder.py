"""The fact a typed question asks for, cut from the best sentence that states it, or an honest "not stated".

`extract_answer` scores sentences by overlap with the question; for a typed question (who, when, where,
how many, which document, what role) that is not enough: the lead sentence of the right article shares
the most words but rarely names the chair. Here a sentence only qualifies if it holds a span of the
asked type (`answer_spans`) and the question's *relation* words: the words that are not the topic (not
in the article's headline) nor generic event verbs ("chủ trì" in "Ai chủ trì hội nghị …", the counted
noun in "bao nhiêu đại biểu"). Within the sentence the span nearest to those words wins.

When the best articles are on topic but no sentence qualifies, the answer says so ("Bài [1] không nêu
người chủ trì") rather than quoting a sentence about something else.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.answering.answer_models import SourcePassage
from assistant.answering.answer_spans import (
    AnswerSpan,
    agent_spans,
    date_spans,
    document_spans,
    era_spans,
    number_spans,
    organisation_spans,
    person_spans,
    place_spans,
)
from assistant.answering.organisation_names import organisation_names
from assistant.answering.people_groups import asks_for_group, group_spans
from assistant.answering.topic_gate import pyvi_word_numbers, question_names
from assistant.question.analysis import QuestionAnalysis, is_stopword
from ingest.vietnamese_text import fold_accents, word_tokens

# Event verbs every event sentence has: they do not say which fact is asked.
# And the words of the question phrase itself ("hôm nào", "thời gian nào", "địa điểm nào", "số lượng").
GENERIC_WORDS = frozenset(
    (
        "tổ chức diễn ra khai mạc được bắt đầu tiến hành bài viết báo ban hành ký thông qua "
        "hôm thời gian lúc dịp địa điểm nơi người số lượng vị trí"
    ).split()
)
MIN_RELATION_COVERAGE = 0.5
# The best-ranked article is the one the topic gate checked: its fact wins over another article's.
FIRST_ARTICLE_BONUS = 0.2
# Sentences looked at: the best-scored of the two best articles.
MAX_SENTENCES = 14


class ScoredSentence(Protocol):
    passage: SourcePassage
    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Fact:
    """`short` is the fact as the reader sees it (no citation marker), stated in `sentence`."""

    short: str
    sentence: ScoredSentence


@dataclass(frozen=True)
class MissingFact:
    """The articles are on topic but none states the fact: `what` names it ("người chủ trì")."""

    what: str
    context: str | None  # what the best sentence does say, when a span of it helps ("đơn vị tổ chức: …")
    sentence: ScoredSentence


def relation_terms(analysis: QuestionAnalysis, headline: str) -> list[str]:
    """The question's words that say which fact is asked: not in the headline, not generic."""
    title = {fold_accents(t).lower() for t in word_tokens(headline)}
    return [
        t
        for t in analysis.content_terms
        if fold_accents(t).lower() not in title
        and t.lower() not in GENERIC_WORDS
        and not any(c.isdigit() for c in t)
    ]


def relation_phrases(question: str, relation: list[str]) -> list[str]:
    """Runs of adjacent relation words as the question has them, folded: "chủ trì" must stand together
    in a sentence ("Phó Chủ tịch" does not say who chaired)."""
    wanted = {fold_accents(t).lower() for t in relation}
    phrases: list[str] = []
    run: list[str] = []
    for token in [*word_tokens(question), ""]:
        folded = fold_accents(token).lower()
        if folded and folded in wanted:
            run.append(folded)
            continue
        # Long runs in two-word pieces: "đại biểu tham dự" is said "tham dự của hơn 200 đại biểu".
        phrases += [" ".join(run[i : i + 2]) for i in range(0, len(run), 2)]
        run = []
    return list(dict.fromkeys(phrases))


def counted_noun(question: str) -> str | None:
    """ "bao nhiêu đại biểu" -> "đại biểu" (one or two syllables after the question word). Matched on
    the folded question: a restored "bảo nhiêu" is still "bao nhiêu"."""
    folded = fold_accents(question).lower()
    match = re.search(r"(?:bao nhieu|may)\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)", folded)
    if not match or len(folded) != len(question):
        return None
    words = [w for w in question[match.start(1) : match.end(1)].split() if not is_stopword(w)]
    if len(words) == 2 and words[1].lower() in {"tham", "dự", "được", "người", "đã"}:
        words = words[:1]
    return " ".join(words) or None


def find_fact(
    analysis: QuestionAnalysis,
    question: str,
    sentences: Sequence[ScoredSentence],
    headline: str,
) -> Fact | MissingFact | None:
    """The fact for a typed question among `sentences` (best first); None when nothing applies."""
    relation = relation_terms(analysis, headline)
    # Only "who" asks through a verb ("Ai chủ trì"); for the other kinds the type of the span is the
    # relation, and leftover words usually describe the event ("toàn quốc") rather than the fact.
    phrases = relation_phrases(question, relation) if analysis.kind == "who" else []
    counted = counted_noun(question) if analysis.kind == "how_many" else None
    names = [fold_accents(n).lower() for n in question_names(question)]
    asking = re.search(r"\b(co quan|don vi|to chuc|ben) nao\b", fold_accents(question).lower())
    asks_organisation = asking is not None
    asks_group = asks_for_group(question)
    if asking is not None:
        # "Cơ quan nào tổ chức …": "cơ quan" asks, it is not a word the answer sentence must hold.
        asked = set(asking.group(1).split())
        relation = [t for t in relation if fold_accents(t).lower() not in asked]
        phrases = relation_phrases(question, relation) if analysis.kind == "who" else []
    passive = re.search(r"\b(?:boi|do) ai\b", fold_accents(question).lower()) is not None
    asked_words = _folded_words(question)
    top_articles = list(dict.fromkeys(s.passage.article_id for s in sentences))[:2]
    pool = [s for s in sentences if s.passage.article_id in top_articles][:MAX_SENTENCES]
    # A count of the asked noun anywhere in the pool beats a count of something else.
    strict_counts = counted is not None and any(number_spans(s.text, counted) for s in pool)
    best: tuple[float, Fact] | None = None
    for sentence in pool:
        folded = _folded_words(sentence.text)
        covered = sum(f" {p} " in folded for p in phrases) / len(phrases) if phrases else 1.0
        agents_of_named = (
            _owners_of_asked_act(sentence.text, phrases) or _agents_of_named(sentence.text, folded, names)
            if analysis.kind == "who" and not asks_organisation
            else []
        )
        if covered < MIN_RELATION_COVERAGE and not (asks_group and covered > 0) and not agents_of_named:
            # "Những ai dễ mắc …" describes the group in words the article rephrases ("khởi phát … ở
            # người trẻ"): one of its phrases in the sentence is enough there.
            continue
        spans = (
            agents_of_named
            if covered < MIN_RELATION_COVERAGE and agents_of_named
            else _spans(analysis.kind, sentence, counted, names, asks_organisation, strict_counts, asks_group)
        )
        spans = _not_in_question(spans, asked_words, sentence.text, analysis.kind, passive)
        if not spans:
            continue
        span = _nearest(spans, sentence.text, relation or analysis.content_terms)
        # The best-ranked article is the one the question is about: its fact wins a near tie.
        value = (
            sentence.score
            + 0.3 * covered
            + (FIRST_ARTICLE_BONUS if sentence.passage.article_id == top_articles[0] else 0.0)
        )
        if asks_organisation and any(a.display == span.display for a in _organisations(sentence.text)):
            # The organisation that acts ("X phối hợp Y tổ chức …") answers "cơ quan nào tổ chức"; one
            # merely named in a sentence about the event ("… cán bộ Cơ quan Thường trực …") does not.
            value += ACTING_ORGANISATION_BONUS
        if best is None or value > best[0]:
            best = (value, Fact(span.display, sentence))
    if best is not None:
        return best[1]
    if not pool:
        return None
    context = next((c for c in (_context(s) for s in pool[:4]) if c), None)
    what = "đối tượng được hỏi" if asks_group else _what(analysis.kind, question, relation, counted)
    return MissingFact(what, context, pool[0])


def _spans(
    kind: str,
    sentence: ScoredSentence,
    counted: str | None,
    names: list[str],
    asks_organisation: bool = False,
    strict_counts: bool = False,
    asks_group: bool = False,
) -> list[AnswerSpan]:
    text = sentence.text
    finders: dict[str, Callable[[], list[AnswerSpan]]] = {
        "when": lambda: _best_precision(date_spans(text, sentence.passage.published_date)) or era_spans(text),
        "where": lambda: place_spans(text),
        # The counted noun first ("bao nhiêu đại biểu"); failing that any count in the sentence, since
        # articles say "12%" for "bao nhiêu phần trăm" and "3.888 yen" for "giá bao nhiêu".
        "how_many": lambda: (
            number_spans(text, counted) or ([] if strict_counts else number_spans(text, None))
        ),
        "document": lambda: document_spans(text),
        "who": lambda: (
            _organisations(text) or organisation_names(text) or person_spans(text)
            if asks_organisation
            else group_spans(text)
            if asks_group  # a kind of people, not the experts quoted about them
            else _people(text)
        ),
        "role": lambda: [
            s for s in person_spans(text) if any(n in fold_accents(s.display).lower() for n in names)
        ],
    }
    finder = finders.get(kind)
    return finder() if finder else []


ACTING_ORGANISATION_BONUS = 0.5
# Kinds whose answer is never something the question already names ("Cung điện Tuileries nằm ở đâu?"
# is not answered "Cung điện Tuileries"; "Ai thiết kế La Villette?" not "La Villette").
_ECHO_KINDS = frozenset({"who", "where", "when"})


def _owners_of_asked_act(text: str, phrases: list[str]) -> list[AnswerSpan]:
    """Who the asked act belongs to, in the article's nominal wording: "Ai quy hoạch …?" against "…
    quy hoạch của nam tước Haussmann" (the verb is there, so the sentence is about the asked act)."""
    plain = {(a.start, a.end) for a in agent_spans(text)}
    return [a for a in agent_spans(text, phrases) if (a.start, a.end) not in plain]


def _agents_of_named(text: str, folded_text: str, names: list[str]) -> list[AnswerSpan]:
    """Who acts in a passive clause of a sentence holding every name the question gives: "Ai đã thành
    lập La Taverne Anglaise?" against "La Taverne Anglaise, được khai trương … bởi Antoine
    Beauvilliers". The name anchors the sentence when the question words the verb its own way."""
    if not names or not all(_folded_words(name) in folded_text for name in names):
        return []
    return agent_spans(text)


def _people(text: str) -> list[AnswerSpan]:
    """People the sentence names, and who acts in its passive clause ("bởi kiến trúc sư …", "do
    Haussmann …"); failing both, the acting organisation."""
    people = person_spans(text)
    agents = [a for a in agent_spans(text) if not any(p.start <= a.end and a.start <= p.end for p in people)]
    return sorted(people + agents, key=lambda s: s.start) or _organisations(text)


def _folded_words(text: str) -> str:
    """`text`'s words folded and lower-cased, space-joined with a space at each end, so that
    `_folded_words(a) in _folded_words(b)` says whether a's words stand together in b."""
    return f" {' '.join(fold_accents(t).lower() for t in word_tokens(text))} "


def _not_in_question(
    spans: list[AnswerSpan], asked_words: str, text: str, kind: str, passive: bool
) -> list[AnswerSpan]:
    """Spans that tell the reader something new: an echo of the question (`asked_words`, see
    `_folded_words`) is no answer. For "… bởi ai?", the agent of the passive clause when the sentence
    has one."""
    if kind not in _ECHO_KINDS:
        return spans
    kept = [s for s in spans if _folded_words(text[s.start : s.end]) not in asked_words]
    if passive and kind == "who":
        agents = {(a.start, a.end) for a in agent_spans(text)}
        kept = [s for s in kept if (s.start, s.end) in agents] or kept
    return kept


def _organisations(text: str) -> list[AnswerSpan]:
    """Acting organisations, each cut to its name when the clause runs on into the verb's words ("Bộ Y
    tế vừa cho phép bệnh viện …" -> "Bộ Y tế"); a clause naming partners ("… phối hợp Tỉnh uỷ – UBND
    tỉnh Cao Bằng") is kept whole."""
    trimmed = []
    for span in organisation_spans(text):
        names = organisation_names(span.display)
        if not names or names[0].start != 0:
            continue  # "Hội nghị được (tổ chức)": a clause before the verb, no organisation's name
        rest = span.display[names[0].end :]
        if rest and not any(word[:1].isupper() for word in rest.split()):
            span = AnswerSpan(span.start, span.start + names[0].end, names[0].display)
        trimmed.append(span)
    return trimmed


def _best_precision(spans: list[AnswerSpan]) -> list[AnswerSpan]:
    """A day beats a month beats a bare year ("năm 2022" in an event's name is rarely the answer)."""
    full = [s for s in spans if s.display.count("/") == 2]
    return full or spans


def _nearest(spans: list[AnswerSpan], text: str, terms: list[str]) -> AnswerSpan:
    folded = fold_accents(text).lower()
    positions = [
        m.start() for t in terms for m in re.finditer(rf"\b{re.escape(fold_accents(t).lower())}\b", folded)
    ]
    if not positions:
        return spans[0]
    return min(spans, key=lambda s: min(min(abs(p - s.start), abs(p - s.end)) for p in positions))


_NOUN_OF_KIND = {"who": "người", "when": "thời gian", "where": "địa điểm"}
# The question word each kind is asked with, folded: the asked relation stands right beside it.
_ASKING_WORDS = {
    "who": r"(?:nhung )?ai(?: la)?",
    "when": r"khi nao|bao gio|ngay nao|luc nao|thoi gian nao",
    "where": r"o dau|tai dau|noi nao|dia diem nao",
}


def _what(kind: str, question: str, relation: list[str], counted: str | None) -> str:
    """What the articles do not state, in the question's own words: "người chủ trì" for "Ai chủ trì …",
    "địa điểm tổ chức" for "… tổ chức ở đâu?"; "… được hỏi" when the question words it otherwise
    (never a list of its leftover words, "người bà lambert muốn")."""
    if kind == "how_many":
        return f"số {counted}" if counted else "con số được hỏi"
    if kind == "document":
        return "văn bản được hỏi"
    if kind == "role":
        return "chức vụ được hỏi"
    noun = _NOUN_OF_KIND.get(kind)
    if noun is None:
        return "thông tin được hỏi"
    phrase = _asked_phrase(kind, question, relation)
    return f"{noun} {phrase}" if phrase else f"{noun} được hỏi"


def _asked_phrase(kind: str, question: str, relation: list[str]) -> str | None:
    """One or two relation words right after a leading question word ("Ai chủ trì") or, except for
    "ai" (there the words before it name the one who acts: "… muốn bảo vệ ai"), right before a final one
    ("tổ chức ở đâu"), as the question spells them."""
    tokens = word_tokens(question)
    folded = [fold_accents(t).lower() for t in tokens]
    wanted = {fold_accents(t).lower() for t in relation}
    asking = re.compile(rf"^(?:{_ASKING_WORDS[kind]})$")
    words = pyvi_word_numbers(question, tokens)
    for size in (3, 2, 1):
        if len(folded) > size and asking.match(" ".join(folded[:size])):
            run = len(list(itertools.takewhile(lambda t: t in wanted, folded[size : size + 3])))
            while run and words and size + run < len(words) and words[size + run] == words[size + run - 1]:
                run -= 1  # never end inside a word: "nên quan tâm", not "nên quan"
            return " ".join(tokens[size : size + run]).lower() or None
        if kind != "who" and len(folded) > size and asking.match(" ".join(folded[-size:])):
            before = folded[: len(folded) - size]
            run = len(list(itertools.takewhile(lambda t: t in wanted, reversed(before[-2:]))))
            return " ".join(tokens[len(before) - run : len(before)]).lower() or None
    return None


def _context(sentence: ScoredSentence) -> str | None:
    organisers = _organisations(sentence.text)
    return f"đơn vị tổ chức: {organisers[0].display}" if organisers else None
