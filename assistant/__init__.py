"""Archive Assistant: answers with citations over a Vietnamese news archive.

Public entry points (imported lazily so that `import assistant.settings` stays light):
`build_assistant(settings)`, `answer(question, settings)`, `Settings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answering.answer_models import Answer
    from assistant.settings import Settings

__all__ = ["Settings", "answer", "build_assistant"]


def answer(question: str, settings: Settings | None = None) -> Answer:
    """Answer one question over the archive configured by `settings` (environment by default)."""
    from assistant.build import build_assistant
    from assistant.settings import Settings

    return build_assistant(settings or Settings()).ask(question)


def __getattr__(name: str) -> Any:
    if name == "build_assistant":
        from assistant.build import build_assistant

        return build_assistant
    if name == "Settings":
        from assistant.settings import Settings

        return Settings
    raise AttributeError(name)
