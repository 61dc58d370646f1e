"""Citations an LLM writes, checked against the sources it was given (issue 14 §4).

The model's text is split into sentences and each sentence into claims: the words before each `[n]`
group (a marker after "bài", "nguồn" or "theo" names a source inside the claim and is not a claim's end).
Then:
- images, raw HTML and outside links are removed first (`llm_markup`);
- an `[n]` that names no given source is removed;
- a claim keeps a citation only if that source supports it (`claim_support`: its numbers, dates and names
  in the source near the words it shares with it, and strong overlap of its content words); otherwise
  the citation is dropped and the sentence is flagged. Names the question gives need only be in the
  article: the answer repeats them, the source may call them «ông» or «sản phụ» where it states the fact;
- a quote in “…” must match the cited source (difflib ratio ≥ 0.9) or it is removed;
- a sentence that states something without any citation is flagged;
- "Bài [n] không nêu …" says what a source lacks: only the rest of such a sentence is checked;
- the short answer line («Trả lời ngắn: … [n]») needs a real source whose text states its facts where the
  answer's own claims from that source stand (anywhere in the article when the body does not cite it).

Flagged sentences stay in the text, marked «(chưa kiểm chứng)», and are listed in
`unsupported_sentences`; the caller adds a notice, or falls back to the extractive answer when most
claims fail. Citations are per article, renumbered by first citation (the short answer's first), with
the supporting passage of the article as the citation's quote; briefings keep their numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.answering.answer_models import Citation, SourcePassage, citation_from_passage
from assistant.answering.citation_markers import (
    END_PUNCTUATION,
    GROUP,
    MARKER,
    NOT_STATED,
    Markers,
    Piece,
    mark_unverified,
    marker_numbers,
    sentence_spans,
    substantive,
    tidy,
)
from assistant.answering.claim_support import SourceText, Support, check_claim, prepare_source
from assistant.answering.llm_markup import strip_markup
from assistant.answering.quote_matching import MIN_QUOTE_CHARS, QUOTE_RATIO, quote_match
from ingest.vietnamese_text import fold_accents

QUOTE_REMOVED = "(trích dẫn không khớp với bài gốc, đã lược bỏ)"

_REFERENCE_WORD = re.compile(r"(?:^|\W)(?:bài|bai|nguồn|nguon|theo|bản tin|ban tin)\s*$", re.IGNORECASE)
_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|«([^»\n]+)»")
_REFUSAL = re.compile(r"^khong tim thay thong tin")


@dataclass(frozen=True)
class CheckedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    unsupported_sentences: list[str] = field(default_factory=list)
    short_answer: str | None = None
    claims: int = 0  # claims checked (the short answer counts as one)
    failed: int = 0  # of which not supported (uncited, wrong citation, quote removed)
    removed_quotes: int = 0
    removed_markup: int = 0

    @property
    def mostly_unsupported(self) -> bool:
        """More than half of the claims failed: the answer is not worth showing."""
        return self.claims > 0 and 2 * self.failed > self.claims


def check_citations(
    answer_text: str,
    sources: list[SourcePassage],
    article_texts: Mapping[str, str] | None = None,
    *,
    short_answer: str | None = None,
    renumber: bool = True,
    question: str = "",
) -> CheckedAnswer:
    """Check `answer_text` (and the model's `short_answer` line, cited like the text) against `sources`,
    numbered `n` as the model saw them; `article_texts` are the whole articles by id (else passages).
    Names the `question` gives are the user's premise: they need be in the cited article, not in the
    passage the claim rests on (an answer that repeats «… của Mitterrand …» from the question is not
    wrong because the passage says «ông»)."""
    checker = _Checker(sources, article_texts or {}, question)
    urls = [p.url for p in sources if p.url]
    cleaned = strip_markup(answer_text, urls)
    short = strip_markup(short_answer or "", urls)
    body = checker.body(cleaned.text.strip())
    short_pieces = checker.short(short.text) if short.text.strip() else None  # after: it leans on the body
    return checker.result(short_pieces, body, renumber, cleaned.removed + short.removed)


class _Checker:
    def __init__(self, sources: list[SourcePassage], article_texts: Mapping[str, str], question: str) -> None:
        self.question = question
        self.by_number: dict[int, SourcePassage] = {}
        for passage in sources:
            self.by_number.setdefault(passage.n, passage)
        self.passages_of = {
            n: [p for p in sources if p.n == n] for n in self.by_number
        }  # several chunks of one article share its number
        self.article_texts = article_texts
        self._prepared: dict[int, SourceText] = {}
        self.spans: dict[int, tuple[str, tuple[int, int] | None]] = {}  # first supporting quote per source
        self.unsupported: list[str] = []
        self.body_windows: dict[int, list[tuple[int, int]]] = {}  # where each source supports the body
        self.claims = self.failed = self.removed_quotes = 0

    def source(self, n: int) -> SourceText:
        if n not in self._prepared:
            passage = self.by_number[n]
            text = self.article_texts.get(passage.article_id) or "\n".join(
                p.text for p in self.passages_of[n]
            )
            self._prepared[n] = prepare_source(text, passage.published_date, passage.title)
        return self._prepared[n]

    def short(self, line: str) -> list[Piece] | None:
        """The short answer's pieces when its citation is real and its facts are in that article."""
        pieces, flagged = self.sentence(line.strip(), short=True)
        return None if flagged else pieces

    def body(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        for index, line in enumerate(text.split("\n")):
            if index:
                pieces.append("\n")
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or _REFUSAL.match(fold_accents(stripped).lower()):
                pieces.extend(self.valid_markers_only(line))
                continue
            previous = 0
            for start, end in sentence_spans(line):
                pieces.append(line[previous:start])
                pieces.extend(self.sentence(line[start:end])[0])
                previous = end
            pieces.append(line[previous:])
        return pieces

    def valid_markers_only(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        previous = 0
        for match in GROUP.finditer(text):
            pieces.append(text[previous : match.start()])
            pieces.append(Markers(self.valid(match.group(0))))
            previous = match.end()
        pieces.append(text[previous:])
        return pieces

    def valid(self, group: str) -> list[int]:
        numbers = [n for m in MARKER.finditer(group) for n in marker_numbers(m.group(1))]
        return [n for n in dict.fromkeys(numbers) if n in self.by_number]

    def sentence(self, sentence: str, short: bool = False) -> tuple[list[Piece], bool]:
        """The sentence's output pieces, and whether it was flagged."""
        groups = list(GROUP.finditer(sentence))
        ends = [g for g in groups if not _REFERENCE_WORD.search(sentence[: g.start()])]
        references = [g for g in groups if g not in ends]
        pieces: list[Piece] = []
        flagged = False
        any_claim = False
        previous = 0
        trailing = sentence[ends[-1].end() :] if ends else ""
        for index, group in enumerate(ends or [None]):
            start = group.start() if group else len(sentence)
            clause = sentence[previous:start]
            cited = [n for g in references if previous <= g.start() < start for n in self.valid(g.group(0))]
            cited += self.valid(group.group(0)) if group else []
            checked = clause + (trailing if group is not None and index == len(ends) - 1 else "")
            clause, kept, failed, counted = self.clause(clause, checked, list(dict.fromkeys(cited)), short)
            any_claim = any_claim or counted
            flagged = flagged or failed
            pieces.extend(self.with_references(clause, kept))
            if group is not None:
                pieces.append(Markers([n for n in self.valid(group.group(0)) if n in kept]))
            previous = group.end() if group else len(sentence)
        pieces.append(trailing)
        if any_claim:
            self.claims += 1
            if flagged:
                self.failed += 1
                shown = "".join(p for p in pieces if isinstance(p, str))
                self.unsupported.append(tidy(MARKER.sub("", shown)))
                if not short:
                    pieces = mark_unverified(pieces)
        return pieces, flagged

    def with_references(self, clause: str, kept: list[int]) -> list[Piece]:
        """The clause with its inside markers ("Bài [1] …", "Theo [2], …"): only the supported ones stay."""
        pieces: list[Piece] = []
        previous = 0
        for match in GROUP.finditer(clause):
            pieces.append(clause[previous : match.start()])
            pieces.append(Markers([n for n in self.valid(match.group(0)) if n in kept]))
            previous = match.end()
        pieces.append(clause[previous:])
        return pieces

    def clause(
        self, clause: str, checked: str, cited: list[int], short: bool
    ) -> tuple[str, list[int], bool, bool]:
        """(output clause, citations kept, failed, counted as a claim) for one claim."""
        claim = " ".join(MARKER.sub(" ", checked).split()).strip(" ,;")
        folded = fold_accents(claim).lower()
        if NOT_STATED.search(folded):
            # "Bài [1] không nêu người chủ trì; hội nghị do … tổ chức": only what follows is a claim.
            rest = [part for part in claim.split(";") if not NOT_STATED.search(fold_accents(part).lower())]
            claim = "; ".join(rest).strip()
            if not substantive(claim):
                return clause, cited, False, False
        if not substantive(claim) and not short:
            return clause, cited, False, False
        failed = False
        for match in list(_QUOTE.finditer(claim)):
            quote = next(g for g in match.groups() if g is not None)
            if len(quote) < MIN_QUOTE_CHARS:
                continue
            matches = [(quote_match(quote, self.source(n).text), n) for n in cited]
            good = [(span, n) for (ratio, span), n in matches if ratio >= QUOTE_RATIO]
            if good:
                for span, n in good:
                    if span is not None:
                        self.spans.setdefault(n, (self.source(n).text[span[0] : span[1]], span))
                continue
            failed = True
            self.removed_quotes += 1
            clause = clause.replace(match.group(0), QUOTE_REMOVED)
            claim = claim.replace(match.group(0), "")
        if not cited:
            return clause, [], True, True
        # The fact line's facts must stand where the answer's claims from that source stand, not
        # anywhere in the article (a number of another paragraph); alone when the body cites it nowhere.
        supports = {
            n: check_claim(claim, self.source(n), self.body_windows.get(n) if short else None, self.question)
            for n in cited
        }
        kept = [n for n, support in supports.items() if support.supported]
        if not kept and len(cited) > 1 and self.together(claim, cited).supported:
            kept = cited
        for n in kept:
            window = supports[n].window
            if not short and window is not None:
                self.body_windows.setdefault(n, []).append(window)
            span = supports[n].span
            if span is not None:
                self.spans.setdefault(n, (self.source(n).text[span[0] : span[1]], span))
        return clause, kept, failed or not kept, True

    def together(self, claim: str, cited: list[int]) -> Support:
        """A claim that joins facts of several cited sources: checked against them as one text."""
        texts = [self.source(n).text for n in cited]
        first = self.by_number[cited[0]]
        return check_claim(
            claim, prepare_source("\n".join(texts), first.published_date), question=self.question
        )

    def result(
        self, short: list[Piece] | None, body: list[Piece], renumber: bool, removed_markup: int
    ) -> CheckedAnswer:
        numbers: dict[str, int] = {}
        first_number: dict[str, int] = {}

        def render(pieces: list[Piece]) -> str:
            out = []
            for piece in pieces:
                if isinstance(piece, str):
                    out.append(piece)
                    continue
                rendered: list[int] = []
                for n in piece.numbers:
                    article_id = self.by_number[n].article_id
                    first_number.setdefault(article_id, n)
                    new = numbers.setdefault(article_id, len(numbers) + 1 if renumber else n)
                    if new not in rendered:
                        rendered.append(new)
                out.append("".join(f"[{n}]" for n in rendered))
            return tidy("".join(out))

        short_text = render(short) if short else None
        if short_text:
            short_text = END_PUNCTUATION.sub("", short_text.strip()) + "."
        text = render(body)
        citations = []
        for article_id, new in sorted(numbers.items(), key=lambda item: item[1]):
            n = first_number[article_id]
            passage = self.by_number[n]
            quote, span = self.spans.get(n) or (self.source(n).text[:300], None)
            if span is not None and article_id not in self.article_texts:
                chunks = self.passages_of[n]
                span = (chunks[0].start + span[0], chunks[0].start + span[1]) if len(chunks) == 1 else None
            citations.append(citation_from_passage(passage, new, quote, span))
        return CheckedAnswer(
            text,
            citations,
            self.unsupported,
            short_text,
            self.claims,
            self.failed,
            self.removed_quotes,
            removed_markup,
        )
