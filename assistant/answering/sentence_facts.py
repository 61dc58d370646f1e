"""The fact one sentence states for a typed question, with its value against the other sentences'.

`fact_finder` calls `sentence_fact` for each sentence that may answer, in passes from the strictest (the
question's relation words and a span of the asked type) to the loosest (a people, a gap the question's
words leave, a clause of time); the span is chosen here (`_spans`) and shown as the reader will see it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.answer_spans import (
    AnswerSpan,
    document_spans,
    era_spans,
    person_spans,
    time_of_day_spans,
)
from assistant.answering.count_answers import count_spans, with_whole_unit
from assistant.answering.fact_question import FactQuestion, ScoredSentence, pair_share
from assistant.answering.gap_answers import gap_spans, place_gap_spans
from assistant.answering.lone_names import acting_lone_names, lone_names
from assistant.answering.organisation_names import organisation_names
from assistant.answering.people_groups import group_spans, peoples_spans
from assistant.answering.place_answers import destination_spans, landmark_spans, place_spans, with_setting
from assistant.answering.place_names import named_place_spans
from assistant.answering.span_choice import (
    asked_dates,
    at_asked_precision,
    condition_spans,
    echoes,
    lifespan_years,
    nearest_span,
    not_in_question,
)
from assistant.answering.who_answers import (
    acting_organisations,
    agents_of_named,
    holds_title,
    named_people,
    owners_of_asked_act,
    people,
    titled_context,
    with_listed_names,
    without_asked_role,
)
from ingest.vietnamese_text import fold_accents, folded_words

MIN_RELATION_COVERAGE = 0.5
# When no sentence has half the relation phrases: one phrase, in one of the first article's best three.
RELAXED_COVERAGE = 0.01
# The best-ranked article is the one the topic gate checked: its fact wins over another article's.
FIRST_ARTICLE_BONUS = 0.2
# Replayed on the typed questions of ViQuAD 1.0 dev and ViNewsQA dev (0.2, 0.4, 0.6, 1.0): 0.4 is best on
# the whole (0.6 ties on ViQuAD, loses on ViNewsQA).
PAIR_WEIGHT = 0.4


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


def titled_person(ask: FactQuestion, sentences: Sequence[ScoredSentence]) -> tuple[float, Fact] | None:
    """ "… dưới thời tổng thống nào?": the article's best-ranked person holding the asked title, when no
    sentence words the question's act ("Trong nhiệm kỳ của tổng thống Charles de Gaulle, …")."""
    assert ask.title is not None
    for sentence in sentences:
        titled = [
            s
            for s in person_spans(sentence.text)
            if holds_title(titled_context(sentence.text, s), ask.title)
            and not echoes(s.display, ask.asked_words, "who")
        ]
        if titled:
            return sentence.score, Fact(without_asked_role(titled[0].display, ask.title), sentence)
    return None


def _holds_act(folded: str, act: str) -> bool:
    """Whether two adjacent words of the act ("đứng ra chủ trì": "chủ trì") stand in the sentence."""
    words = act.split()
    return any(f" {' '.join(words[i : i + 2])} " in folded for i in range(len(words) - 1))


def sentence_fact(
    ask: FactQuestion,
    sentence: ScoredSentence,
    first_article: bool,
    min_coverage: float = MIN_RELATION_COVERAGE,
    times_of_day: bool = False,
    peoples: bool = False,
    gaps: bool = False,
) -> tuple[float, Fact] | None:
    """The fact `sentence` states for `ask` with its value (higher is better), or None."""
    folded = folded_words(sentence.text)
    phrases = ask.phrases
    if ask.opposed_act is not None:
        act, opposite = ask.opposed_act
        if f" {opposite} " in folded and f" {act} " not in folded:
            return None  # "Ai phát biểu bế mạc?" is not answered by who spoke at the opening
    covered = sum(f" {p} " in folded for p in phrases) / len(phrases) if phrases else 1.0
    if ask.act is not None and not _holds_act(folded, ask.act) and min_coverage >= MIN_RELATION_COVERAGE:
        covered = 0.0  # "Ai phát biểu … ở khách sạn Ariyana?": the place's words are not the asked act
    if ask.dates and all(f" {d} " in folded for d in ask.dates):
        # "Ai … kể từ ngày 26 tháng 1 năm 1952?": the sentence of that very day says who, in its own words.
        covered = max(covered, MIN_RELATION_COVERAGE)
    agents = (
        owners_of_asked_act(sentence.text, phrases) or agents_of_named(sentence.text, folded, ask.names)
        if ask.kind == "who" and not ask.asks_organisation
        else []
    )
    if covered < min_coverage and not (ask.asks_group and covered > 0) and not agents:
        # "Những ai dễ mắc …" describes the group in words the article rephrases ("khởi phát … ở
        # người trẻ"): one of its phrases in the sentence is enough there.
        return None
    relaxed = min_coverage < MIN_RELATION_COVERAGE
    if covered < min_coverage and agents:
        spans = agents
    elif relaxed and ask.kind == "who":
        # The relaxed pass names people only: an organisation in a sentence sharing one phrase with the
        # question ("… tại khách sạn Ariyana, Sở Ngoại vụ … tổ chức") did not do the asked act.
        asks_people = not (ask.asks_group or ask.asks_organisation)
        spans = (named_people(sentence.text) or agents) if asks_people else []
    else:
        # "… nhờ những cải tạo của Haussmann": no name but the act's owner.
        spans = _spans(ask, sentence) or agents
    weak_span = False
    if not spans and gaps:
        spans = gap_spans(ask.question, sentence.text)
    if not spans and peoples:
        spans = peoples_spans(sentence.text, ask.asked_words) or acting_lone_names(
            sentence.text, ask.known_places
        )
    if not spans and ask.kind == "when" and times_of_day:
        spans, weak_span = time_of_day_spans(sentence.text), True
    if not spans and ask.kind == "when" and ask.precision is None and not times_of_day:
        # "… là khi Pháp lập một thuộc địa hình sự": the article times the event by another one.
        spans, weak_span = condition_spans(sentence.text), True
    if not spans and ask.kind == "where":
        # "Thần học được giảng dạy ở đâu?" - "… được giảng dạy trong các chủng viện, …".
        spans, weak_span = place_gap_spans(ask.question, sentence.text), True
    if not spans and ask.kind == "where" and first_article:
        # A bare name is weak evidence: only the best-ranked article's. One sharing a word with a name the
        # question gives is that name's kin ("Ngọc Hòa" for "Tiến sĩ Ngọc … ở đâu?"), not where it is.
        spans = [
            s
            for s in named_place_spans(sentence.text)
            if not set(folded_words(s.display).split()) & ask.capitalised
        ]
        weak_span = True
    if ask.precision is not None:
        spans = at_asked_precision(spans, ask.precision)
    spans = not_in_question(spans, ask.asked_words, sentence.text, ask.kind, ask.passive)
    if not spans:
        return None
    title = ask.title
    titled = [s for s in spans if title is not None and holds_title(titled_context(sentence.text, s), title)]
    span = nearest_span(titled or spans, sentence.text, ask.relation, ask.asked_words)
    if (ask.kind == "who" and not titled) or (ask.kind == "where" and _asks_for_places(ask.asked_words)):
        span = with_listed_names(span, spans, sentence.text)
    elif ask.kind == "where":
        span = with_setting(span, sentence.text)
    elif ask.kind == "how_many" and ask.count is not None and ask.count.rank is None:
        span = with_whole_unit(span, sentence.text)
    # The best-ranked article's fact wins a near tie; the sentence saying more of the question wins.
    value = sentence.score + 0.3 * covered + (FIRST_ARTICLE_BONUS if first_article else 0.0)
    value += PAIR_WEIGHT * pair_share(ask.pairs, folded)
    value -= WEAK_SPAN_PENALTY if weak_span else 0.0
    if ask.asks_organisation and any(a.display == span.display for a in acting_organisations(sentence.text)):
        # The organisation that acts ("X phối hợp Y tổ chức …") answers "cơ quan nào tổ chức"; one
        # merely named in a sentence about the event ("… cán bộ Cơ quan Thường trực …") does not.
        value += ACTING_ORGANISATION_BONUS
    if titled and title is not None:
        # "Ai là Đại sứ phát biểu …": the person the article calls "Đại sứ" beats any other speaker.
        value += ASKED_TITLE_BONUS
        return value, Fact(without_asked_role(span.display, title), sentence)
    return value, Fact(span.display, sentence)


# "Hai thành phố nào", "những tỉnh nào", "Ngoài Paris, còn có thành phố nào …": more than one place.
_PLACES_ASKED = re.compile(
    r" (?:(?:hai|ba|bon|nhung|cac) (?:thanh pho|tinh|noi|nuoc|quoc gia|dia diem|vung|khu vuc)"
    r"|con (?:co )?(?:thanh pho|tinh|noi|nuoc|quoc gia|dia diem) nao) "
)


def _asks_for_places(asked_words: str) -> bool:
    return _PLACES_ASKED.search(asked_words) is not None


def _spans(ask: FactQuestion, sentence: ScoredSentence) -> list[AnswerSpan]:
    text = sentence.text
    finders: dict[str, Callable[[], list[AnswerSpan]]] = {
        "when": lambda: (
            (time_of_day_spans(text) or condition_spans(text))  # "vào buổi sáng", "trước khi đánh răng"
            if ask.condition
            else lifespan_years(text, ask.asked_words, ask.capitalised)
            or asked_dates(text, sentence.passage.published_date, ask.precision)
            or era_spans(text)
        ),
        "where": lambda: place_spans(text) or landmark_spans(text) or destination_spans(text),
        "how_many": lambda: count_spans(ask.count, text) if ask.count else [],
        "document": lambda: document_spans(text),
        "who": lambda: (
            acting_organisations(text) or organisation_names(text) or person_spans(text)
            if ask.asks_organisation
            else group_spans(text)
            if ask.asks_group  # a kind of people, not the experts quoted about them
            else (group_spans(text) or people(text) or _lone_names(ask, text))
            if ask.may_ask_group
            else people(text) or _lone_names(ask, text)
        ),
        "role": lambda: [
            s for s in person_spans(text) if any(n in fold_accents(s.display).lower() for n in ask.names)
        ],
    }
    finder = finders.get(ask.kind)
    return finder() if finder else []


def _lone_names(ask: FactQuestion, text: str) -> list[AnswerSpan]:
    """One-word names of people the article names in full, but not the one the question names: "Gandhi
    ủng hộ ai?" leaves the peoples pass its chance ("người Anh")."""
    return [s for s in lone_names(text, ask.known_people) if folded_words(s.display) not in ask.asked_words]


ACTING_ORGANISATION_BONUS = 0.5
WEAK_SPAN_PENALTY = 0.1
ASKED_TITLE_BONUS = 0.5
