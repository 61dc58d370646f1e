"""The pieces of an LLM's answer text the citation checker works with: `[n]` marker groups, sentences
that keep the markers written after their full stop, and the «(chưa kiểm chứng)» mark.

An answer is rebuilt from pieces (text, and marker groups holding the model's source numbers), so the
checker can drop a citation, or renumber them all, without re-parsing the text it has already checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sentence_splitter import split_sentences

NOT_VERIFIED = "chưa kiểm chứng"

MARKER = re.compile(r"\[(\d+(?:\s*[-,–]\s*\d+)*)\]")
# One or more markers side by side: "[1][2]", "[1], [3]".
GROUP = re.compile(r"\[\d+(?:\s*[-,–]\s*\d+)*\](?:[ \t]*,?[ \t]*\[\d+(?:\s*[-,–]\s*\d+)*\])*")
_LEADING_GROUP = re.compile(r"[ \t]*[”\"»]?[ \t]*" + GROUP.pattern + r"[ \t]*[.!?;:]?")  # used with match()
END_PUNCTUATION = re.compile(r"[.!?…:;]+$")
# "Bài [1] không nêu …" (on accent-folded, lower-case text): a sentence about what a source lacks.
NOT_STATED = re.compile(r"\bkhong (?:neu|de cap|noi ro|cho biet|ghi)\b")


@dataclass
class Markers:
    """A citation group in the output, holding source numbers as the model wrote them (valid ones)."""

    numbers: list[int]


Piece = str | Markers


def marker_numbers(group: str) -> list[int]:
    """The numbers of one marker's inside: "1", "1, 3", "2-4" (ranges capped at 20)."""
    found: list[int] = []
    for part in re.split(r"\s*,\s*", group):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            found.extend(range(low, min(high, low + 20) + 1))
        elif part.strip().isdigit():
            found.append(int(part))
    return found


def sentence_spans(line: str) -> list[tuple[int, int]]:
    """Sentences of one line, a marker group after a sentence's full stop kept with that sentence."""
    spans = [list(span) for span in split_sentences(line)] or [[0, len(line)]]
    for index in range(1, len(spans)):
        lead = _LEADING_GROUP.match(line, spans[index][0])
        if lead:
            spans[index - 1][1] = lead.end()
            spans[index][0] = lead.end()
    return [(start, end) for start, end in spans if line[start:end].strip()]


def substantive(claim: str) -> bool:
    """A statement worth checking: three words or a number (not "Cụ thể:" or a bare heading)."""
    words = re.findall(r"[^\W\d_]+", claim)
    return len(words) >= 3 or (any(c.isdigit() for c in claim) and bool(words))


def mark_unverified(pieces: list[Piece]) -> list[Piece]:
    """Put «(chưa kiểm chứng)» before the sentence's final punctuation."""
    for index in range(len(pieces) - 1, -1, -1):
        piece = pieces[index]
        if isinstance(piece, str) and piece.strip():
            stripped = piece.rstrip()
            ending = END_PUNCTUATION.search(stripped)
            cut = ending.start() if ending else len(stripped)
            pieces[index] = (
                f"{stripped[:cut].rstrip()} ({NOT_VERIFIED}){stripped[cut:]}{piece[len(stripped) :]}"
            )
            return pieces
    return [*pieces, f" ({NOT_VERIFIED})"]


def tidy(text: str) -> str:
    """No space before punctuation, single spaces (markers removed leave gaps)."""
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
