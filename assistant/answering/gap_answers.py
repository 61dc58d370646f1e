"""The words that fill the question's gap: «Mitterrand lên án hoạt động của ai?» against «… và lên án
hoạt động của tổng thống đương nhiệm.» is answered «tổng thống đương nhiệm».

Encyclopedias and news answer "ai" with a noun phrase as often as with a name («các nhóm người Kanak»,
«Những người Cộng sản», «chính phủ ly khai»), which no capitalisation rule finds. The question itself says
where the answer stands: right after the words before "ai" (`after_the_ask`), right before the words
after a leading "Ai" (`before_the_ask`), or, for «X là ai?», on the other side of "là" from X or in the
brackets after X (`defining_x`). For «X <verb> ở đâu?», the words after a place preposition that follows
the sentence's verb (`place_gap_spans`). Every span is a run of the sentence's own words between its
punctuation. `find_fact` tries the who gap last, when no name, people or group answers; the place gap
competes as a weak span where the sentence names no place by its form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.answer_span import AnswerSpan, capitalise_first, sentence_words
from ingest.vietnamese_text import fold_accents, folded_tokens, word_tokens

# The word before a gap ("của", "là" stand everywhere) must have another question word this close.
SUPPORT_WINDOW = 4
MAX_GAP_WORDS = 12
MAX_SUBJECT_WORDS = 8
# Words of a leading "Ai …" that say nothing about the act: "Ai là người đã …".
_LEAD = ("là những người", "là người", "là", "đã", "sẽ", "đang", "vừa", "được", "mới")
# Words that open a clause before its subject: "Sau đó, rồi Childéric …".
_OPENERS = frozenset("và nhưng rồi khi sau đó thì còn mà chỉ".split())
# Words that end a gap: a new clause or the verb after the subject.
_GAP_ENDS = frozenset("đã sẽ đang vừa nên thì mà nhưng vì để khi nếu".split())
# Adverbs between a subject and "là": "Những người Cộng sản vẫn là …".
_BEFORE_LA = frozenset("vẫn đều cũng chính lại mới".split())
# Words right before "ai" that make it an object: "hoạt động của ai", "do ai", "bởi ai", "là ai".
_PREPOSITIONS = frozenset("của cho với bởi do là về nhờ từ giữa gặp thay".split())
# A gap that opens or ends with these is no noun phrase: "Ở đó", "Bổ nhiệm nội các theo".
_BAD_FIRST = frozenset("ở tại vào trong từ khi để nhưng mà thì với của cho theo nên sau trước".split())
_BAD_LAST = frozenset("của theo với và trong cho là ở tại từ một các những bởi do về như".split())
# Words that open a place: "ở phía nam", "trong điện Aga Khan", "trên những lãnh thổ".
_PLACE_WORDS = frozenset("ở tại trong trên tới đến sang giữa".split())
PLACE_SKIP = 3  # words between the verb and the place ("bị giam hai năm trong …")
# Words that end a place: the time that follows it ("ở thị trấn Hyde Park ngày 15 tháng 4").
_TIME_WORDS = frozenset("ngày tháng năm vào lúc từ".split())
_NUMBER_WORDS = frozenset("hai ba bốn năm sáu bảy tám chín mười trăm nghìn triệu tỷ khoảng gần hơn".split())
_PUNCTUATION = re.compile(r"[,.;:!?()\[\]\"“”«»–—]|\s-\s")


@dataclass(frozen=True)
class _Words:
    """A sentence's words: matches, folded (to match the question's words), lower-cased with their
    accents (to tell function words apart: "những" is not "nhưng")."""

    sentence: str
    matches: list[re.Match[str]]
    folded: list[str]
    lower: list[str]

    def broken(self, left: int, right: int, quote_ok: bool = False) -> bool:
        """Whether punctuation stands between words `left` and `right`; an opening quote does not break
        «bị coi là "người thành lập …"» when `quote_ok`."""
        between = self.sentence[self.matches[left].end() : self.matches[right].start()]
        if quote_ok and re.fullmatch(r"\s*[\"“«]", between):
            return False
        return _PUNCTUATION.search(between) is not None

    @classmethod
    def of(cls, sentence: str) -> _Words:
        matches = sentence_words(sentence)
        return cls(
            sentence,
            matches,
            [fold_accents(w.group()).lower() for w in matches],
            [w.group().lower() for w in matches],
        )

    def span(self, start: int, end: int) -> AnswerSpan:
        begin, finish = self.matches[start].start(), self.matches[end - 1].end()
        return AnswerSpan(begin, finish, capitalise_first(self.sentence[begin:finish]))


def gap_spans(question: str, sentence: str) -> list[AnswerSpan]:
    """Spans of `sentence` in the place of the question's "ai", best first."""
    asked = folded_tokens(question)
    asked_lower = word_tokens(question)
    at = next((i for i, t in enumerate(asked) if t == "ai" and asked[i + 1 : i + 2] != ["cap"]), None)
    if at is None or len(asked_lower) != len(asked):
        return []
    words = _Words.of(sentence)
    before = at - 1 if asked_lower[at - 1 : at] == ["những"] else at  # "… là những ai"
    left = asked[max(0, before - SUPPORT_WINDOW) : before]
    left_word = asked_lower[before - 1] if before > 0 else ""
    # "Ở Hy Lạp cổ đại ai tô son môi đỏ?": "ai" is the subject of an act, after a fronted phrase.
    subject = at == 0 or (len(asked) - at > 3 and bool(left) and left_word not in _PREPOSITIONS)
    spans = []
    if left_word == "là" and at >= len(asked) - 1:
        spans += _defining_x(
            words,
            [t for t, w in zip(asked[: before - 1], asked_lower, strict=False) if w not in ("những", "các")],
        )
    if left and not subject:
        spans += _after_the_ask(words, left, asked[at + 1 : at + 3])
    if subject:
        spans += _before_the_ask(words, _act(asked[at + 1 :], asked_lower[at + 1 :]))
    return [s for s in spans if _phrase_like(s.display)]


def place_gap_spans(question: str, sentence: str) -> list[AnswerSpan]:
    """For "X <verb> ở đâu?": what follows the sentence's match of the verb after a place preposition
    ("được giảng dạy trong các chủng viện", "bị giam hai năm trong điện Aga Khan tại Pune")."""
    asked = folded_tokens(question)
    asked_lower = word_tokens(question)
    if len(asked_lower) != len(asked):
        return []
    at = next(
        (
            i
            for i, t in enumerate(asked)
            if t == "dau" or (t == "nao" and i > 0 and asked[i - 1] in ("noi", "dau"))
        ),
        None,
    )
    if at is None:
        return []
    before = at - 1 if asked[at] == "nao" else at
    while before > 0 and asked_lower[before - 1] in _PLACE_WORDS:
        before -= 1  # "ở đâu", "tại nơi nào"
    left = asked[max(0, before - SUPPORT_WINDOW) : before]
    if len(left) < 2:
        return []
    words = _Words.of(sentence)
    for p, token in enumerate(words.folded):
        if token != left[-1] or not any(t in left[:-1] for t in words.folded[max(0, p - SUPPORT_WINDOW) : p]):
            continue
        k = p + 1
        while k < min(len(words.lower), p + 1 + PLACE_SKIP) and words.lower[k] not in _PLACE_WORDS:
            if words.broken(k - 1, k):
                break
            k += 1
        if k >= len(words.lower) or words.lower[k] not in _PLACE_WORDS or words.broken(k - 1, k):
            continue
        start = end = k + 1
        while end < len(words.lower) and end - start < MAX_GAP_WORDS and not words.broken(end - 1, end):
            if end > start and (words.lower[end] in _GAP_ENDS or words.lower[end] in _TIME_WORDS):
                break
            end += 1
        if end > start:
            span = words.span(start, end)
            return [span] if _phrase_like(span.display) else []
    return []


def _phrase_like(display: str) -> bool:
    """Whether a gap reads as a noun phrase: not "Ở đó", not cut after "một trong" or "theo"."""
    tokens = word_tokens(display)
    return (
        bool(tokens)
        and tokens[0] not in _BAD_FIRST
        and tokens[-1] not in _BAD_LAST
        and tokens[0] not in _NUMBER_WORDS
        and not tokens[0][:1].isdigit()  # "Hai triệu", "Khoảng 1.020 …": an amount, not a noun phrase
    )


def _act(after: list[str], after_lower: list[str]) -> list[str]:
    """The act after a leading "Ai" (folded), without "là người", "đã"; empty when it is no verb."""
    joined = " ".join(after_lower)
    for lead in _LEAD:
        if joined.startswith(f"{lead} "):
            n = len(lead.split())
            return _act(after[n:], after_lower[n:])
    if not after_lower or after_lower[0] in _PREPOSITIONS or after_lower[0] in _BAD_FIRST:
        return []  # "có những ai của đảng …": "của đảng" is no act
    return after[:2]


def _after_the_ask(words: _Words, left: list[str], right: list[str]) -> list[AnswerSpan]:
    """The run after the sentence's match of the word before "ai", backed by another question word just
    before it ("hoạt động của" for "của")."""
    best: tuple[int, int] | None = None
    for p, token in enumerate(words.folded):
        if token != left[-1] or p + 1 >= len(words.folded) or words.broken(p, p + 1, quote_ok=True):
            continue
        support = sum(t in left[:-1] for t in words.folded[max(0, p - SUPPORT_WINDOW) : p])
        if (len(left) > 1 and support == 0) or (best is not None and support <= best[0]):
            continue
        best = (support, p)
    if best is None:
        return []
    start = end = best[1] + 1
    while end < len(words.folded) and end - start < MAX_GAP_WORDS and not words.broken(end - 1, end):
        if end > start and (words.lower[end] in _GAP_ENDS or words.folded[end : end + 2] == right[:2]):
            break
        end += 1
    return [words.span(start, end)]


def _before_the_ask(words: _Words, act: list[str]) -> list[AnswerSpan]:
    """The subject before the act of "Ai <act> …?": the clause's words before it, up to "là"."""
    if len(act) < 2:
        return []
    for p in range(1, len(words.folded) - 1):
        if words.folded[p : p + 2] != act or words.lower[p + 2 : p + 3] == ["của"]:
            continue  # "Bản quy hoạch của thành phố": a noun, not the act
        start = p
        while start > 0 and not words.broken(start - 1, start):
            start -= 1
        while start < p and words.lower[start] in _OPENERS:
            start += 1
        end = next((k for k in range(start, p) if words.lower[k] == "là"), p)
        while end > start and words.lower[end - 1] in _BEFORE_LA:
            end -= 1
        if end == p - 1 and words.lower[end] == "là":
            continue  # "đặc biệt là tô son": what comes before "là" is no subject
        if 0 < end - start <= MAX_SUBJECT_WORDS:
            return [words.span(start, end)]
    return []


def _defining_x(words: _Words, x: list[str]) -> list[AnswerSpan]:
    """For «X là ai?»: the subject before "… là X" («Những người Cộng sản vẫn là nhóm cánh tả lớn
    nhất»), or the brackets after X («thường trú nhân gốc Ý (công dân Ý …)»)."""
    whole, x = x, x[:3]
    if not x:
        return []
    for p in range(len(words.folded) - len(x) + 1):
        if words.folded[p : p + len(x)] != x:
            continue
        if words.folded[p : p + len(whole)] == whole:
            close = words.matches[p + len(whole) - 1].end()
            bracket = re.match(r"\s*\(([^()]{3,120})\)", words.sentence[close:])
            if bracket is not None:
                offset = close + bracket.start(1)
                return [
                    AnswerSpan(offset, offset + len(bracket.group(1)), capitalise_first(bracket.group(1)))
                ]
        k = p - 1
        while k >= 0 and words.lower[k] in _BEFORE_LA:
            k -= 1
        if k > 0 and words.lower[k] == "là":
            end = k
            while end > 0 and words.lower[end - 1] in _BEFORE_LA:
                end -= 1
            start = end
            while start > 0 and not words.broken(start - 1, start):
                start -= 1
            if 0 < end - start <= MAX_SUBJECT_WORDS:
                return [words.span(start, end)]
    return []
