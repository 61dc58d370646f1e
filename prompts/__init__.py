"""Vietnamese prompt templates, loaded from the `.txt` files beside this module.

Each template's `{placeholders}` are checked at load against the set the code fills in, so a template
edited by hand cannot silently drop the sources or the question.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

EXPECTED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "answer": frozenset({"sources", "question", "today"}),
    "condense": frozenset({"history", "question"}),
    "briefing": frozenset({"topic", "date_range", "sources"}),
}


class PromptTemplateError(ValueError):
    """A template is missing, or its placeholders are not the ones the code fills in."""


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_template(name: str, template: str) -> str:
    expected = EXPECTED_PLACEHOLDERS[name]
    found = placeholders(template)
    if found != expected:
        missing, unexpected = sorted(expected - found), sorted(found - expected)
        raise PromptTemplateError(
            f"Mẫu lời nhắc «{name}» sai chỗ điền: thiếu {missing or 'không'}, thừa {unexpected or 'không'}."
        )
    return template


@cache
def load_prompt(name: str) -> str:
    """The template text of `prompts/<name>.txt`, checked. Fill it with `str.format(**values)`."""
    if name not in EXPECTED_PLACEHOLDERS:
        raise PromptTemplateError(f"Không có mẫu lời nhắc «{name}».")
    try:
        text = resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptTemplateError(f"Thiếu tệp mẫu lời nhắc prompts/{name}.txt.") from exc
    return check_template(name, text)
