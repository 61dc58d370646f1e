"""`clean_article`: a scraped page or a structured record -> headline, body paragraphs and metadata.

A page saved from a Vietnamese portal is the article wrapped in furniture: slogan banners, weather and
visitor widgets, the date line, share buttons, bylines, "related articles" teasers and category link
lists. The cleaner works line by line, in this order:

1. cut the "related articles" section at the bottom (`Các tin khác`, `Tin liên quan`, ...);
2. lift metadata lines (date line, `Tác giả:`, `Nguồn:`, counters, weather) out of the text;
3. drop furniture lines and doubled-headline teasers with their one-line summaries;
4. take the headline among the short lines at the top (banners and site name skipped): the one
   beside the date line, else the first;
5. take a trailing byline (`Thanh Huyền`, `Theo Reuters`);
6. drop lines equal to the headline (photo alt texts), exact duplicate paragraphs, and re-join lines
   that a page or PDF broke in the middle of a sentence.

Hints from structured input (JSON Lines fields, HTML meta tags) win over anything inferred.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, replace
from datetime import date

from ingest.models import ArticleMetadata, CleanArticle, RawDocument
from ingest.page_furniture import (
    ends_sentence,
    is_banner,
    is_body_like,
    is_doubled_teaser,
    is_furniture_line,
    is_headline_like,
    is_section_cutoff,
    is_site_name,
    undouble,
)
from ingest.page_metadata import PageFacts, parse_metadata_line, parse_trailing_byline
from ingest.published_date import choose_publication_date
from ingest.vietnamese_text import normalize_text

logger = logging.getLogger(__name__)

_DERIVED_TITLE_CHARS = 110
_MIN_DEDUPLICATED_WORDS = 8
_PHOTO_CAPTION = re.compile(
    r"\((?:ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ|ảnh chụp màn hình)\b[^)]*\)\.?$", re.I
)


class EmptyArticleError(ValueError):
    """Nothing of the article is left once furniture is removed; the message (Vietnamese) says so."""


@dataclass(frozen=True)
class _Line:
    text: str
    block: int  # lines of one block were not separated by a blank line
    beside_date: bool = False  # right above or below the page's date line: where headlines sit


def clean_article(raw: RawDocument) -> CleanArticle:
    """Clean one document. Raises `EmptyArticleError` when no body text remains."""
    text = raw.text if raw.kind == "html" else html.unescape(raw.text)
    lines = _split_lines(normalize_text(text))
    lines = _cut_related_section(lines)
    facts, header_date, lines = _lift_metadata(lines)
    lines = _drop_furniture(lines)
    title_hint = _clean_hint(raw.title)
    title, lines = _take_headline(lines, title_hint, look_for_headline=raw.kind != "jsonl")
    title_key = _match_key(title) if title else None
    lines = [line for line in lines if _match_key(line.text) != title_key]
    facts, lines = _take_trailing_byline(facts, lines)
    paragraphs = _join_broken_lines(_drop_duplicates(lines))
    if not paragraphs:
        raise EmptyArticleError("Bài viết không còn nội dung sau khi loại bỏ phần thừa của trang.")
    title = title or _derived_title(paragraphs)
    published, page_date = choose_publication_date(raw.date, header_date, [title, *paragraphs])
    metadata = ArticleMetadata(
        published_date=published,
        page_date=page_date,
        url=_clean_hint(raw.url) or facts.url,
        author=_clean_hint(raw.author) or facts.author,
        outlet=_clean_hint(raw.outlet) or facts.outlet,
        category=_clean_hint(raw.category),
    )
    return CleanArticle(raw.article_id, title, "\n\n".join(paragraphs), metadata)


def _clean_hint(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(normalize_text(html.unescape(str(value))).split())
    return cleaned or None


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line:
            lines.append(_Line(line, block))
        else:
            block += 1
    return lines


def _cut_related_section(lines: list[_Line]) -> list[_Line]:
    """Drop "related articles" sections: from their heading to the end of the page, or, for a box
    inside the article (heading, a few links, then two paragraphs of running text back to back),
    only up to where the article resumes. Teaser lists never hold two paragraphs in a row."""
    kept: list[_Line] = []
    seen_body = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if not (seen_body and is_section_cutoff(line.text)):
            kept.append(line)
            seen_body = seen_body or is_body_like(line.text)
            index += 1
            continue
        resume = next(
            (
                j
                for j in range(index + 1, len(lines) - 1)
                if is_body_like(lines[j].text) and is_body_like(lines[j + 1].text)
            ),
            None,
        )
        if resume is None:
            break
        index = resume
    return kept


def _lift_metadata(lines: list[_Line]) -> tuple[PageFacts, date | None, list[_Line]]:
    """Remove metadata lines, keeping their facts. The page date is the first date line above the
    first body paragraph, else the first date line anywhere."""
    facts = PageFacts()
    header_date: date | None = None
    later_date: date | None = None
    seen_body = mark_next = False
    kept: list[_Line] = []
    for line in lines:
        found = parse_metadata_line(line.text)
        if found is None:
            kept.append(replace(line, beside_date=True) if mark_next else line)
            seen_body = seen_body or is_body_like(line.text)
            mark_next = False
            continue
        if found.date and not seen_body:
            header_date = header_date or found.date
            if kept:
                kept[-1] = replace(kept[-1], beside_date=True)
            mark_next = True
        elif found.date:
            later_date = later_date or found.date
        facts = facts.merge(PageFacts(author=found.author, outlet=found.outlet, url=found.url))
    return facts, header_date or later_date, kept


def _drop_furniture(lines: list[_Line]) -> list[_Line]:
    """Drop furniture lines and related-article teasers (a doubled headline, "X X") with the summary
    paragraph under it. A doubled line followed in its block by a short line is instead a doubled
    sub-heading ("Canh chua cá lóc Canh chua cá lóc" then "Nguyên liệu:"): it is kept once."""
    kept: list[_Line] = []
    skip_summary = False
    for index, line in enumerate(lines):
        if skip_summary and is_body_like(line.text) and not is_doubled_teaser(line.text):
            skip_summary = False
            continue
        skip_summary = False
        if is_doubled_teaser(line.text):
            following = lines[index + 1] if index + 1 < len(lines) else None
            same_block = following is not None and following.block == line.block
            if (
                following
                and same_block
                and not is_body_like(following.text)
                and not is_doubled_teaser(following.text)
            ):
                kept.append(_Line(undouble(line.text), line.block))
            else:
                skip_summary = same_block
            continue
        if not is_furniture_line(line.text):
            kept.append(line)
    return kept


def _take_headline(
    lines: list[_Line], hint: str | None, *, look_for_headline: bool
) -> tuple[str | None, list[_Line]]:
    """Skip banners and the site's name at the top, then take the headline from the short lines above
    the text. Structured records keep their headline in a field, so their text is not searched."""
    start = 0
    while start < len(lines) and (is_banner(lines[start].text) or is_site_name(lines[start].text)):
        start += 1
    lines = lines[start:]
    if hint:
        return hint, lines
    if not look_for_headline:
        return None, lines
    candidates = 0
    while candidates < len(lines) and is_headline_like(lines[candidates].text):
        candidates += 1
    if candidates == 0:
        return None, lines
    # Several short lines above the text (site name, section, headline, caption): the headline is the
    # one beside the date line, else the first.
    chosen = next((i for i in range(candidates) if lines[i].beside_date), 0)
    return lines[chosen].text, lines[chosen + 1 :]


def _take_trailing_byline(facts: PageFacts, lines: list[_Line]) -> tuple[PageFacts, list[_Line]]:
    """Bylines close the article: `Thanh Huyền`, then possibly `Theo TTXVN` below it."""
    for _ in range(2):
        if len(lines) < 2:
            break
        byline = parse_trailing_byline(lines[-1].text)
        if byline is None:
            break
        if facts.author and byline.author and byline.author != facts.author:
            break
        facts = facts.merge(byline)
        lines = lines[:-1]
    return facts, lines


def _match_key(text: str) -> str:
    """Comparison key: case, accents variants, punctuation and spacing do not make lines different."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _drop_duplicates(lines: list[_Line]) -> list[_Line]:
    """Keep the first copy of a repeated paragraph (pages repeat their lead as a summary). Short lines
    repeat legitimately (table cells, "Nguyên liệu:" in each recipe) and are all kept."""
    seen: set[str] = set()
    kept: list[_Line] = []
    for line in lines:
        key = _match_key(line.text)
        if key in seen:
            continue
        if len(key.split()) >= _MIN_DEDUPLICATED_WORDS:
            seen.add(key)
        kept.append(line)
    return kept


def _join_broken_lines(lines: list[_Line]) -> list[str]:
    """A line continuing a sentence (previous line unfinished, this one starting in lower case) joins
    the previous one: captions split over two lines, PDF line wraps."""
    paragraphs: list[str] = []
    for line in lines:
        first = line.text[:1]
        if paragraphs and first.isalpha() and first.islower() and not ends_sentence(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
    return paragraphs


def _derived_title(paragraphs: list[str]) -> str:
    """No headline: the first sentence of the article, shortened at a word boundary. Photo captions
    ("... (Ảnh: Reuters).") open many news pages and would make poor titles, so they are passed over."""
    paragraph = next((p for p in paragraphs if not _PHOTO_CAPTION.search(p)), paragraphs[0])
    sentence = re.split(r"(?<=[.!?…])\s+", paragraph, maxsplit=1)[0]
    if len(sentence) <= _DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[:_DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–")
    return f"{cut}…"
