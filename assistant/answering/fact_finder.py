"""The fact a typed question asks for, cut from the best sentence that states it, or an honest "not stated".

`extract_answer` scores sentences by overlap with the question; for a typed question (who, when, where,
how many, which document, what role) that is not enough: the lead sentence of the right article shares
the most words but rarely names the chair. Here a sentence only qualifies if it holds a span of the
asked type (`answer_spans`) and the question's *relation* words: the words that are not the topic (not
in the article's headline) nor generic event verbs ("chủ trì" in "Ai chủ trì hội nghị …", the counted
noun in "bao nhiêu đại biểu"). Within the sentence the span nearest to those words wins.

When the best articles are on topic but no sentence qualifies, the answer says so ("Bài [1] không nêu
người chủ trì") rather than quoting a sentence about something else.

This module picks the articles and runs the passes; `fact_question` reads the question once and
`sentence_facts` cuts each sentence's span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.answer_spans import asked_document_date, document_date_spans
from assistant.answering.fact_question import ScoredSentence, read_fact_question, relation_terms
from assistant.answering.missing_facts import missing_what, organiser_context
from assistant.answering.sentence_facts import (
    RELAXED_COVERAGE,
    Fact,
    MissingFact,
    sentence_fact,
    titled_person,
)
from assistant.answering.topic_gate import question_names, topical_phrases
from assistant.answering.who_answers import asked_title
from assistant.question.analysis import QuestionAnalysis
from ingest.vietnamese_text import fold_accents, folded_words

# The relaxed who pass reads the first article's best three sentences (`RELAXED_COVERAGE`).
RELAXED_SENTENCES = 3
# Another article's fact needs this share of the question's relation words in its sentence or title.
# Replayed on the typed questions of ViQuAD 1.0 dev (300–900) and ViNewsQA dev (0–600): of the short
# answers from another article that 0.3 removes, all but one (a partial «Bệnh viện Westchester») were
# wrong; 0.5 and 0.7 also removed right ones.
OTHER_ARTICLE_TOPIC_SHARE = 0.3
# Sentences looked at: the best-scored of the two best articles.
MAX_SENTENCES = 14

__all__ = ["Fact", "MissingFact", "ScoredSentence", "find_fact"]


def find_fact(
    analysis: QuestionAnalysis,
    question: str,
    sentences: Sequence[ScoredSentence],
    headline: str,
) -> Fact | MissingFact | None:
    """The fact for a typed question among `sentences` (best first); None when nothing applies."""
    relation = relation_terms(analysis, headline)
    asking = re.search(r"\b(co quan|don vi|to chuc|ben) nao\b", fold_accents(question).lower())
    if asking is not None:
        # "Cơ quan nào tổ chức …": "cơ quan" asks, it is not a word the answer sentence must hold.
        asked = set(asking.group(1).split())
        relation = [t for t in relation if fold_accents(t).lower() not in asked]
    # `headline` is the article the topic gate checked; the best-scored sentence may be another's. The
    # phrases by which the question names that article's event ("toàn quốc" of "Hội nghị toàn quốc …")
    # must be in another article's sentence or title, or it is about another event: the 2020 refresher
    # course's chair did not chair the national conference.
    # A title the question asks by ("Ai là Đại sứ …") singles the person out in any article.
    asks_by_title = analysis.kind == "who" and asked_title(question) is not None
    event_phrases = (
        [] if asks_by_title else [p for p in topical_phrases(question) if f" {p} " in folded_words(headline)]
    )
    sentences = [
        s
        for s in sentences
        if s.passage.title == headline or all(f" {p} " in _with_title(s) for p in event_phrases)
    ]
    top_articles = list(dict.fromkeys(s.passage.article_id for s in sentences))[:2]
    pool = [s for s in sentences if s.passage.article_id in top_articles][:MAX_SENTENCES]
    names = [fold_accents(n).lower() for n in question_names(question)]
    # The sentences that may answer: the best-ranked article's, and another article's about what the
    # question names ("Phó Chủ tịch Liên hiệp … tỉnh Vĩnh Phúc", not the national body's).
    eligible = [
        s
        for s in pool
        if s.passage.article_id == top_articles[0]
        or (_holds_names(names, s) and _shares_topic(relation or analysis.content_terms, s))
    ]
    ask = read_fact_question(
        analysis,
        question,
        headline,
        relation,
        asking,
        names,
        (s.text for s in eligible),
        [s.text for s in pool],
    )
    document = asked_document_date(question) if ask.kind == "when" else None
    if document is not None:
        # "Chỉ thị 25 được ban hành ngày nào?": the date written with the document, wherever it stands.
        dated = next(((s, d) for s in eligible for d in document_date_spans(document, s.text)), None)
        if dated is not None:
            return Fact(dated[1].display, dated[0])
    found = [sentence_fact(ask, s, s.passage.article_id == top_articles[0]) for s in eligible]
    best = max((f for f in found if f is not None), key=lambda f: f[0], default=None)
    if best is None and ask.kind == "who":
        # The article words the act its own way ("thoát khỏi sự cai trị … rồi Childéric I tới chiếm"):
        # one of the question's relation phrases in one of the first article's best sentences will do.
        own = [s for s in pool if s.passage.article_id == top_articles[0]][:RELAXED_SENTENCES]
        relaxed = [sentence_fact(ask, s, True, min_coverage=RELAXED_COVERAGE) for s in own]
        best = max((f for f in relaxed if f is not None), key=lambda f: f[0], default=None)
    if best is None and ask.kind == "who" and not (ask.asks_group or ask.asks_organisation):
        # No sentence names the one who did it: a people, an army or a government may have ("quân Phổ").
        by_peoples = [
            sentence_fact(ask, s, s.passage.article_id == top_articles[0], peoples=True) for s in eligible
        ]
        best = max((f for f in by_peoples if f is not None), key=lambda f: f[0], default=None)
    if best is None and ask.kind == "when":
        # No date anywhere: advice is timed by the day ("Nên uống khi nào?" - "vào buổi sáng").
        timed = [
            sentence_fact(ask, s, s.passage.article_id == top_articles[0], times_of_day=True)
            for s in eligible
        ]
        best = max((f for f in timed if f is not None), key=lambda f: f[0], default=None)
    if best is None and ask.title is not None:
        best = titled_person(ask, [s for s in pool if s.passage.article_id == top_articles[0]])
    if best is None and ask.kind == "who":
        # No name at all: the words filling the question's gap («… hoạt động của tổng thống đương nhiệm»).
        gaps = [sentence_fact(ask, s, s.passage.article_id == top_articles[0], gaps=True) for s in eligible]
        best = max((f for f in gaps if f is not None), key=lambda f: f[0], default=None)
    if best is not None:
        return best[1]
    if not pool:
        return None
    if ask.kind == "role" and any(_holds_names(names, s) for s in pool):
        # "Michel Cailliau là ai?": the article speaks of the person in its own words ("cháu của …"), which
        # the sentences below show; "không nêu chức vụ" would be a claim the reader cannot trust.
        return None
    context = next((c for c in (organiser_context(s.text) for s in pool[:4]) if c), None)
    what = (
        "đối tượng được hỏi"
        if ask.asks_group
        else missing_what(analysis.kind, question, relation, ask.count.counted if ask.count else None)
    )
    return MissingFact(_with_asked_act(what, question, ask.opposed_act), context, pool[0])


def _with_asked_act(what: str, question: str, opposed_act: tuple[str, str] | None) -> str:
    """ "người phát biểu bế mạc", not "người phát biểu": the article may well name who spoke at the
    opening, so the act it does not state is said (as the question spells it)."""
    if opposed_act is None or opposed_act[0] in fold_accents(what).lower():
        return what
    folded = fold_accents(question).lower()
    match = re.search(rf"\b{opposed_act[0]}\b", folded)
    if match is None or len(folded) != len(question):
        return what
    return f"{what} {question[match.start() : match.end()].lower()}"


def _shares_topic(terms: list[str], sentence: ScoredSentence) -> bool:
    """Whether another article's sentence (with its title) holds a share of the question's words that
    are not the first article's topic: "tại khách sạn Ariyana" in an article about another course does not
    say where this one was held."""
    text = _with_title(sentence)
    folded = [fold_accents(t).lower() for t in terms]
    return not folded or sum(f" {t} " in text for t in folded) / len(folded) >= OTHER_ARTICLE_TOPIC_SHARE


def _holds_names(names: list[str], sentence: ScoredSentence) -> bool:
    """Whether the sentence or its article's title holds every (folded) name the question gives."""
    text = _with_title(sentence)
    return all(folded_words(name) in text for name in names)


def _with_title(sentence: ScoredSentence) -> str:
    """The sentence's and its article title's words, folded (`folded_words`)."""
    return f"{folded_words(sentence.text)} {folded_words(sentence.passage.title)}"
