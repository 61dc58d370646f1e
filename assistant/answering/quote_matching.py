"""Whether a quote in an LLM's answer stands in its source, word for word or nearly (issue 14 §4).

A model that puts words between “…” claims the article said them. The quote is compared with stretches
of the source of its own length, anchored where the quote's first and last words occur, by difflib's
ratio (case-insensitive, spaces collapsed); below `QUOTE_RATIO` it is not the article's wording and the
checker removes it. A typo or a changed tone mark stays above; a changed word or a made-up sentence
does not.
"""

from __future__ import annotations

import difflib
import re

QUOTE_RATIO = 0.9
MIN_QUOTE_CHARS = 8  # shorter quoted bits («Sáng», "4.0") are names or terms, checked as such
_MAX_ANCHORS = 400


def quote_match(quote: str, source: str) -> tuple[float, tuple[int, int] | None]:
    """The best ratio of `quote` against a stretch of `source` of its length, and that stretch's span."""
    wanted = " ".join(quote.lower().split())
    text = source.lower()
    exact = text.find(wanted)
    if exact >= 0:
        return 1.0, (exact, exact + len(wanted))
    words = list(re.finditer(r"\w+", wanted))
    if not words:
        return 0.0, None
    anchors: set[int] = set()
    for word in words[:4] + words[-4:]:
        for hit in re.finditer(rf"(?<!\w){re.escape(word.group(0))}(?!\w)", text):
            anchors.add(max(hit.start() - word.start(), 0))
            if len(anchors) > _MAX_ANCHORS:
                break
    best, best_span = 0.0, None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for start in sorted(anchors):
        for shift in (0, -len(wanted) // 10, len(wanted) // 10):
            begin = max(start + shift, 0)
            matcher.set_seq1(" ".join(text[begin : begin + len(wanted)].split()))
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, best_span = ratio, (begin, begin + len(wanted))
    return best, best_span
