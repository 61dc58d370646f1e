"""What the articles do not state, in the question's own words: the honest "Bài [1] không nêu người chủ
trì" of a typed question whose articles are on topic but name no answer.

Never a list of the question's leftover words ("người bà lambert muốn"): one or two relation words
beside the question word, or "… được hỏi".
"""

from __future__ import annotations

import itertools
import re

from assistant.answering.count_kinds import asked_quantity
from assistant.answering.topic_gate import pyvi_word_numbers
from assistant.answering.who_answers import acting_organisations
from ingest.vietnamese_text import fold_accents, word_tokens

_NOUN_OF_KIND = {"who": "người", "when": "thời gian", "where": "địa điểm"}
# The question word each kind is asked with, folded: the asked relation stands right beside it.
_ASKING_WORDS = {
    "who": r"(?:nhung )?ai(?: la)?",
    "when": r"khi nao|bao gio|ngay nao|luc nao|thoi gian nao",
    "where": r"o dau|tai dau|noi nao|dia diem nao",
}


def missing_what(kind: str, question: str, relation: list[str], counted: str | None) -> str:
    """What the articles do not state, in the question's own words: "người chủ trì" for "Ai chủ trì …",
    "địa điểm tổ chức" for "… tổ chức ở đâu?"; "… được hỏi" when the question words it otherwise
    (never a list of its leftover words, "người bà lambert muốn")."""
    if kind == "how_many":
        return f"số {counted}" if counted else asked_quantity(question) or "con số được hỏi"
    if kind == "document":
        return "văn bản được hỏi"
    if kind == "role":
        return "chức vụ được hỏi"
    noun = _NOUN_OF_KIND.get(kind)
    if noun is None:
        return "thông tin được hỏi"
    phrase = asked_phrase(kind, question, relation)
    return f"{noun} {phrase}" if phrase else f"{noun} được hỏi"


def asked_phrase(kind: str, question: str, relation: list[str]) -> str | None:
    """One or two relation words right after a leading question word ("Ai chủ trì") or, except for
    "ai" (there the words before it name the one who acts: "… muốn bảo vệ ai"), right before a final one
    ("tổ chức ở đâu"), as the question spells them."""
    tokens = word_tokens(question)
    folded = [fold_accents(t).lower() for t in tokens]
    wanted = {fold_accents(t).lower() for t in relation}
    asking = re.compile(rf"^(?:{_ASKING_WORDS[kind]})$")
    words = pyvi_word_numbers(question, tokens)
    names = {w.lower() for w in re.findall(r"[^\W\d_]+", question)[1:] if w[:1].isupper()}
    for size in (3, 2, 1):
        if len(folded) > size and asking.match(" ".join(folded[:size])):
            run = len(list(itertools.takewhile(lambda t: t in wanted, folded[size : size + 3])))
            while run and words and size + run < len(words) and words[size + run] == words[size + run - 1]:
                run -= 1  # never end inside a word: "nên quan tâm", not "nên quan"
            return " ".join(tokens[size : size + run]).lower() or None
        if kind != "who" and len(folded) > size and asking.match(" ".join(folded[-size:])):
            before = folded[: len(folded) - size]
            # Never a name ("địa điểm nouurul hassan"): the relation is what the question asks about it.
            pairs = reversed(list(zip(before, tokens, strict=False))[-2:])
            run = len(list(itertools.takewhile(lambda p: p[0] in wanted and p[1] not in names, pairs)))
            return " ".join(tokens[len(before) - run : len(before)]).lower() or None
    return None


def organiser_context(sentence: str) -> str | None:
    """What the best sentence does say when the fact is missing: its organiser ("đơn vị tổ chức: …")."""
    organisers = acting_organisations(sentence)
    return f"đơn vị tổ chức: {organisers[0].display}" if organisers else None
