"""An answer known at once, shown in steps: without an LLM the extractive answer is ready in one go,
yet the bubble shows the short answer first and then each cited sentence, `STREAM_PAUSE_S` apart, so it
reads like the LLM's stream; the last step is the final answer itself, unchanged (issue 16 §4).
"""

from __future__ import annotations

import re

from assistant.answering.answer_models import Answer

# Between the steps in the web app: enough for the eye to follow, about 0.2 s in all for a typical
# answer (the answer itself is ready at once).
STREAM_PAUSE_S = 0.04
# Where the text is cut into steps: after each `[n]` (or `[n].`) and at each line.
_PIECE_END = re.compile(r"(?:(?<=\])|(?<=\][.!?…]))[ \t]+(?=\S)|\n")


def answer_steps(answer: Answer) -> list[Answer]:
    """What the bubble shows, step by step, of an answer known at once: the short answer alone, then the
    supporting text up to each cited sentence or line. Steps carry no citations (their markers are not
    yet links; the cards come with the final answer). Empty for an answer of a single piece."""
    text = answer.text
    cuts = [match.start() for match in _PIECE_END.finditer(text) if text[: match.start()].strip()]
    prefixes = [text[:cut].rstrip() for cut in cuts]
    steps = ([""] if answer.short_answer else []) + prefixes
    return [answer.model_copy(update={"text": prefix, "citations": []}) for prefix in steps]


def step_bubble(bubble: str) -> str:
    """A step's bubble is the answer's body only: the header line (mode, filters, the period chip and its
    ✕) comes with the final answer, so nothing on the page takes a step for the finished answer."""
    header, _, body = bubble.partition("\n\n")
    return body if header.startswith("<small") and body else bubble
