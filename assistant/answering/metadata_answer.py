"""Questions about the article itself (who wrote it, where and when it was published, its link).

The answer is in the stored metadata the page cleaner extracted (author line, outlet, publication date,
URL), not in any sentence, so sentence extraction would quote something unrelated. The best-ranked
article is the one the question describes; the answer cites it. A field the page did not carry is said
to be missing, never guessed.
"""

from __future__ import annotations

from assistant.answering.answer_models import Answer, Citation, SourcePassage, citation_from_passage


def metadata_answer(base: Answer, kind: str, passage: SourcePassage) -> Answer:
    """`base` completed with the `kind` ("author", "source", "published", "url") of `passage`."""
    citation: Citation = citation_from_passage(passage, 1, passage.title, None)
    title = f"«{passage.title}»"
    short: str | None
    if kind == "author":
        short = f"Tác giả: {passage.author} [1]." if passage.author else None
        text = (
            f"Bài {title} [1] do {passage.author} viết."
            if passage.author
            else f"Bài {title} [1] không ghi tên tác giả."
        )
    elif kind == "source":
        where = passage.outlet or _host(passage.url)
        short = f"Nguồn: {where} [1]." if where else None
        text = f"Bài {title} [1] đăng trên {where}." if where else f"Bài {title} [1] không ghi nguồn."
        if passage.url:
            text += f" Đường dẫn: {passage.url}"
    elif kind == "published":
        when = (
            f"{passage.published_date.day}/{passage.published_date.month}/{passage.published_date.year}"
            if passage.published_date
            else None
        )
        short = f"Ngày đăng: {when} [1]." if when else None
        text = f"Bài {title} [1] đăng ngày {when}." if when else f"Bài {title} [1] không ghi ngày đăng."
    else:
        short = f"Đường dẫn: {passage.url} [1]." if passage.url else None
        text = f"Bài {title} [1]: {passage.url}" if passage.url else f"Bài {title} [1] không ghi đường dẫn."
    return base.model_copy(update={"short_answer": short, "text": text, "citations": [citation]})


def _host(url: str | None) -> str | None:
    if not url or "//" not in url:
        return None
    return url.split("//", 1)[1].split("/", 1)[0] or None
