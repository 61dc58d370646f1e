"""Article and LLM text can never become an image, a link or raw HTML where it is rendered as Markdown
(issue 14 §3): each planted form is rendered by a CommonMark engine with raw HTML allowed (markdown-it,
stricter than the page's sanitised renderer) and must come out without `<img`, `<a`, `<iframe` or a
`src=`/`href=`, while the text stays readable. GFM's bare-URL autolinks (no linkify plugin installed here)
are checked on the text: no `http://` or `www.` left for an autolinker to find. The browser test
(tests/test_web_no_outside_requests.py) checks the real page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answering.answer_models import Answer, Citation
from assistant.briefing.topic_briefing import Briefing, export_briefing
from assistant.inert_markdown import inert_html_markdown, inert_markdown, markdown_file_text
from assistant.web.answer_message import answer_markdown, escape_text
from assistant.web.briefing_handlers import briefing_preview
from assistant.web.content_policy import CONTENT_SECURITY_POLICY, with_content_policy
from vectorstore.hybrid_retriever import RetrievalFilters

BEACON = "http://127.0.0.1:9/beacon"
PLANTED = {
    "image": f"Ảnh ![ảnh]({BEACON}/img.png) trong bài.",
    "image_reference": f"Ảnh ![ảnh][b] trong bài.\n\n[b]: {BEACON}/ref.png",
    "link": f"Xem [đây]({BEACON}/link) nhé.",
    "reference_definition": f"Xem [đây] nhé.\n\n[đây]: {BEACON}/def",
    "angle_autolink": f"Xem <{BEACON}/angle> nhé.",
    "bare_url": f"Xem {BEACON}/bare nhé.",
    "www": "Xem www.beacon.example/www nhé.",
    "html_img": f'Ảnh <img src="{BEACON}/tag.png"> trong bài.',
    "iframe": f'Khung <iframe src="{BEACON}/frame"></iframe> trong bài.',
    "css_url": f'Kiểu <span style="background:url({BEACON}/css)">chữ</span> trong bài.',
    "backslash_cancel": f"Thoát \\![ảnh]({BEACON}/esc.png) trong bài.",
}


def _render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").render(markdown)


_AUTOLINKABLE = re.compile(r"(https?|ftp)://|www\.", re.IGNORECASE)


@pytest.mark.parametrize("form", sorted(PLANTED))
def test_no_planted_form_renders_as_image_link_or_html(form: str) -> None:
    escaped = escape_text(PLANTED[form])
    assert not _AUTOLINKABLE.search(escaped), (form, escaped)
    rendered = _render(escaped)
    for forbidden in ("<img", "<a ", "<iframe", "<span", 'src="', 'href="'):
        assert forbidden not in rendered, (form, rendered)


@pytest.mark.parametrize("form", sorted(PLANTED))
def test_unescaped_forms_would_fetch(form: str) -> None:
    """The check above can fail: rendering the raw Markdown (HTML allowed) yields a tag or link."""
    if form in ("bare_url", "www"):
        assert _AUTOLINKABLE.search(PLANTED[form])
        return
    rendered = _render(PLANTED[form])
    assert any(tag in rendered for tag in ("<img", "<a ", "<iframe", "<span")), (form, rendered)


def test_planted_text_stays_readable() -> None:
    rendered = _render(escape_text(PLANTED["image"]))
    assert f"![ảnh]({BEACON}/img.png)" in rendered
    backslashed = _render(escape_text(PLANTED["backslash_cancel"]))
    assert f"\\![ảnh]({BEACON}/esc.png)" in backslashed


def test_citations_and_lists_still_work() -> None:
    text = "- Hội nghị diễn ra tại Hà Nội [1][2].\n- **Đậm** và *nghiêng*."
    assert inert_markdown(text) == text
    assert inert_markdown(inert_markdown("![x](y)")) != "![x](y)"


def test_briefing_preview_and_file_are_inert(tmp_path: Path) -> None:
    markdown = (
        f"# Bản tóm tắt nhanh: thử\n\n- Câu ![a]({BEACON}/p.png) và <img src='{BEACON}/q.png'> [1]\n\n"
        f"## Nguồn\n\n[1] Tiêu đề — 01/01/2024 — https://baoquocte.vn/bai-1.html  "
    )
    preview = briefing_preview(markdown)
    rendered = _render(preview.replace('<a href="#', "<x-link "))  # our own [n] anchors aside
    assert "<img" not in rendered and 'src="' not in rendered
    assert 'href="#tom-tat-nguon-1"' in preview
    briefing = Briefing("thử", None, None, markdown)
    written = export_briefing(briefing, tmp_path / "tom_tat.md").read_text(encoding="utf-8")
    assert written == markdown_file_text(markdown) + "\n"
    file_html = _render(written)
    assert "<img" not in file_html and 'p.png"' not in file_html
    assert "— https://baoquocte.vn/bai-1.html" in written  # the article's own URL, left for a GFM viewer


def test_html_escaping_still_applies() -> None:
    assert "&lt;script&gt;" in inert_html_markdown("<script>alert(1)</script>")


def test_content_policy_is_merged_with_existing_middleware() -> None:
    login = {"auth": object(), "app_kwargs": {"middleware": ["login-middleware"], "docs_url": None}}
    merged = with_content_policy(login)
    assert merged["auth"] is login["auth"] and merged["app_kwargs"]["docs_url"] is None
    assert merged["app_kwargs"]["middleware"][0] == "login-middleware"
    assert len(merged["app_kwargs"]["middleware"]) == 2
    assert len(with_content_policy({})["app_kwargs"]["middleware"]) == 1
    assert "img-src 'self' data:" in CONTENT_SECURITY_POLICY and "frame-src 'none'" in CONTENT_SECURITY_POLICY


def test_whole_bubble_is_inert() -> None:
    """Answer text, short answer, notice, the rewritten question and an outlet name from article
    metadata: no planted image or link survives anywhere in the final bubble; our [n] links stay."""
    planted = PLANTED["image"]
    answer = Answer(
        question="Hỏi?",
        standalone_question=f"Hỏi lại {planted}",
        short_answer=f"Ngắn {planted} [1]",
        text=f"Câu trả lời {PLANTED['link']} [1]",
        notice=f"Chú ý {PLANTED['reference_definition']}",
        citations=[Citation(n=1, article_id="a", title="t", quote="q")],
    )
    bubble = answer_markdown(answer, 1, RetrievalFilters(outlet=PLANTED["bare_url"]))
    rendered = _render(bubble)
    assert "<img" not in rendered and f'href="{BEACON}' not in rendered, rendered
    assert not _AUTOLINKABLE.search(bubble)
    assert 'href="#nguon-1-1"' in rendered
