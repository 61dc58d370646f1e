"""What the answering chain consumes and produces.

`SourcePassage` is a retrieved passage numbered for the prompt; `Answer` is what the user (UI, CLI `--json`)
receives. Kept as pydantic models because they are serialised to JSON for the CLI and the web app.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class SourcePassage(BaseModel):
    """A passage given to the answerer as source `[n]`.

    `start`/`end` locate `text` inside the clean article text, so a quote inside it can be mapped back
    to the article (for highlighting)."""

    n: int
    article_id: str
    title: str
    text: str
    start: int = 0
    end: int = 0
    published_date: date | None = None
    url: str | None = None
    author: str | None = None
    outlet: str | None = None
    score: float = 0.0
    dense_similarity: float | None = None  # cosine of question and passage (0.0 without a vector)


class Citation(BaseModel):
    """A source the answer cites: `[n]` in the answer text refers to `n` here."""

    n: int
    article_id: str
    title: str
    published_date: date | None = None
    url: str | None = None
    author: str | None = None
    outlet: str | None = None
    quote: str = Field("", description="The exact passage of the article that supports the claim.")
    span: tuple[int, int] | None = Field(None, description="Character span of `quote` in the article text.")


def citation_from_passage(
    passage: SourcePassage, n: int, quote: str, span: tuple[int, int] | None
) -> Citation:
    """The citation `[n]` of the article `passage` comes from, quoting `quote` at `span`."""
    return Citation(
        n=n,
        article_id=passage.article_id,
        title=passage.title,
        published_date=passage.published_date,
        url=passage.url,
        author=passage.author,
        outlet=passage.outlet,
        quote=quote,
        span=span,
    )


class Suggestion(BaseModel):
    """A closest article, offered when the archive does not hold the answer."""

    article_id: str
    title: str
    published_date: date | None = None


class Answer(BaseModel):
    """The assistant's reply to one question."""

    question: str
    standalone_question: str = ""
    short_answer: str | None = Field(
        None, description="The fact asked, in one short cited line («Sáng 7/7/2022, tại Cao Bằng [1].»)."
    )
    text: str
    citations: list[Citation] = Field(default_factory=list)
    mode: str = "extractive"
    found: bool = True
    notice: str | None = Field(None, description="Shown beside the answer, e.g. an LLM failure.")
    suggestions: list[Suggestion] = Field(default_factory=list)
    unsupported_sentences: list[str] = Field(default_factory=list)
    date_from: date | None = Field(None, description="The user's explicit filter (a hard filter).")
    date_to: date | None = None
    question_date_from: date | None = Field(
        None,
        description="The period the question itself names: matched against the dates the articles state.",
    )
    question_date_to: date | None = None


AnswerEventKind = Literal["delta", "final"]


class AnswerEvent(BaseModel):
    """One step of a streamed answer: text deltas, then the final `Answer` (with verified citations)."""

    kind: AnswerEventKind
    delta: str = ""
    answer: Answer | None = None
