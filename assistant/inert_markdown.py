"""Markdown that cannot make a reader's browser fetch anything: article and LLM text shown as text.

The chat bubble, the briefing preview and a `.md` export are rendered as Markdown. HTML escaping alone left
`![x](http://beacon/…)` a real `<img>` (the browser fetches it on display, which tells an outside server
that someone read the article, and with a planted LLM instruction can carry the question out). Here the few
Markdown constructs that make an image or a link are backslash-escaped, so they render as the literal text
the article contains: `![`, `](`, a reference definition's `]:`, and bare `http://`/`www.` that GFM would
autolink. A backslash in the text is escaped first, so the text itself can never cancel these escapes.
Everything else (lists, emphasis, our own `[n]` markers) is left alone.
"""

from __future__ import annotations

import html
import re

_BACKSLASH = re.compile(r"\\")
_IMAGE = re.compile(r"!\[")
# `](` ends an inline link or image, `]:` starts a reference definition (`[x]: http://…`).
_LINK_END = re.compile(r"\]([(:])")
_AUTOLINK_SCHEME = re.compile(r"\b(https?|ftp)(:)(?=//)", re.IGNORECASE)
_AUTOLINK_WWW = re.compile(r"\b(www)(\.)", re.IGNORECASE)
_ANGLE = re.compile(r"([<>])")


def inert_markdown(text: str, *, keep_urls: bool = False) -> str:
    """`text` (already HTML-escaped, or free of `<`) with every image and link construct escaped.
    `keep_urls` leaves bare URLs as they are (a link the reader must click, e.g. an article's own URL in
    a file); by default they are broken so GFM does not turn them into links."""
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _IMAGE.sub(r"!\\[", text)
    text = _LINK_END.sub(r"\\]\1", text)
    if not keep_urls:
        text = _AUTOLINK_SCHEME.sub(r"\1\\\2", text)
        text = _AUTOLINK_WWW.sub(r"\1\\\2", text)
    return text


def inert_html_markdown(text: str) -> str:
    """For Markdown that also renders HTML (the Gradio chatbot, gr.Markdown): HTML-escaped, then inert."""
    return inert_markdown(html.escape(text, quote=False))


def markdown_file_text(markdown: str) -> str:
    """A `.md` file for any Markdown viewer: raw HTML shown literally (`\\<`), images and inline or
    reference links escaped; bare URLs (the articles' own addresses in the source list) stay clickable."""
    return _ANGLE.sub(r"\\\1", inert_markdown(markdown, keep_urls=True))
