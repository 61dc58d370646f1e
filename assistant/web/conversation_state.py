"""One browser session's conversation, kept on the server in `gr.State` (never taken from the client, so
one session can neither see nor inject another's history).

Besides what the assistant needs to understand a follow-up (`turns`) and what the page shows (`messages`,
the sources panel), it keeps each final `Answer` with the form filters it was asked with: the chip that
removes the question's period re-asks the newest question exactly as it was asked, minus that period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.answering.answer_models import Answer
from assistant.question.follow_up import Turn
from assistant.web.answer_message import question_period
from assistant.web.form_values import period_label
from assistant.web.rendering import sources_panel
from vectorstore.hybrid_retriever import RetrievalFilters

Message = dict[str, str]
# Source sections kept in the panel: enough for a working session, bounded for long ones.
MAX_PANEL_TURNS = 10


@dataclass(frozen=True)
class AnsweredQuestion:
    """A final answer with the user's form filters it was asked with."""

    answer: Answer
    filters: RetrievalFilters

    @property
    def question_period(self) -> tuple[date | None, date | None]:
        return question_period(self.answer)


@dataclass
class Conversation:
    """One session's conversation (the value of the chat tab's `gr.State`)."""

    turns: list[Turn] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    source_sections: list[str] = field(default_factory=list)
    answered: list[AnsweredQuestion] = field(default_factory=list)

    def panel(self) -> str:
        return sources_panel(self.source_sections[-MAX_PANEL_TURNS:])

    def last_question_period(self) -> str:
        """`dd/mm/yyyy – dd/mm/yyyy` of the period the newest answer took from its question, or ""."""
        return period_label(*self.answered[-1].question_period) if self.answered else ""
