"""Sources a reader verifies at a glance (issue 16 §3, §4), without a browser: every span an answer
quotes from an article is marked in its card and its full text, each `[n]` carries the quote it stands
for as its tooltip, a refusal's nearest articles link to cards in the panel, the mode is not repeated in
the bubble, and follow-up questions are offered as links. Article text stays data: a planted `<script>`
or `"` never becomes markup, in a card, a tooltip attribute or a link. The browser test
(tests/test_web_sources_browser.py) checks the same on the real page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.answering.answer_models import Answer, Citation, Suggestion
from assistant.web.answer_message import NOT_COPIED, answer_markdown
from assistant.web.quoted_spans import cited_segments, quoted_spans
from assistant.web.rendering import sources_section
from vectorstore.hybrid_retriever import RetrievalFilters

SCRIPT = "<script>alert(1)</script>"
FIRST = 'Sáng nay (7/7), tại Cao Bằng, hội nghị khai mạc với "hơn 200 đại biểu".'
SECOND = f"Các đại biểu bàn giải pháp {SCRIPT} nâng cao hiệu quả đối ngoại nhân dân."
# The article spaces the second sentence differently from the answer: it is found all the same.
SECOND_IN_ARTICLE = SECOND.replace(" nâng", "  nâng")
ARTICLE = (
    f"Đoạn mở đầu không được trích.\n\n{FIRST} Một câu ở giữa không được trích.\n\n"
    f"Đoạn khác.\n\nTheo ban tổ chức, {SECOND_IN_ARTICLE} Hết."
)
HEADLINE = "Khai mạc Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022"


def _answer(**changes: object) -> Answer:
    start = ARTICLE.index(FIRST)
    citation = Citation(
        n=1,
        article_id="a1",
        title=HEADLINE,
        published_date=date(2022, 7, 7),
        quote=FIRST,
        span=(start, start + len(FIRST)),
    )
    answer = Answer(
        question="Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?",
        short_answer="Cao Bằng [1].",
        text=f"{FIRST} [1] {SECOND} [1]",
        citations=[citation],
        mode="Ngoại tuyến (trích xuất)",
    )
    return answer.model_copy(update=changes)


def _marks(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text, re.DOTALL)


def test_every_sentence_quoted_from_a_source_is_located_in_it() -> None:
    answer = _answer()
    spans = quoted_spans(ARTICLE, answer, answer.citations[0])
    assert [ARTICLE[start:end] for start, end in spans] == [FIRST, SECOND_IN_ARTICLE]
    segments = list(cited_segments("- 07/07/2022: Câu một dài đủ để là câu trích. [1]\n- Câu hai. [2][1]"))
    assert [(s.text, s.numbers) for s in segments] == [
        ("Câu một dài đủ để là câu trích.", (1,)),
        ("Câu hai.", (2, 1)),
    ]


def test_card_and_full_text_mark_all_quoted_spans_escaped() -> None:
    panel = sources_section(1, _answer(), {"a1": ARTICLE})
    card, full_text = panel.split("<details", 1)
    escaped_second = SECOND_IN_ARTICLE.replace("<", "&lt;").replace(">", "&gt;")
    escaped_first = FIRST.replace('"', "&quot;")
    assert _marks(card) == [escaped_first, escaped_second], "both quotes marked in the card"
    assert _marks(full_text) == [escaped_first, escaped_second], "both quotes marked in the full text"
    assert "<script" not in panel and "Đoạn mở đầu" not in card, "only the quoted paragraphs in the card"
    assert "Một câu ở giữa không được trích." in card and "…" in card, "context kept, gaps shown"
    assert full_text.count("<p>") == full_text.count("</p>") == 4


def test_a_quote_over_a_paragraph_break_is_marked_in_each_paragraph() -> None:
    text = "Câu đầu của đoạn một.\nCâu tiếp theo ở đoạn hai, vẫn cùng trích dẫn. Phần sau."
    quote = "Câu đầu của đoạn một.\nCâu tiếp theo ở đoạn hai, vẫn cùng trích dẫn."
    citation = Citation(n=1, article_id="b", title="t", quote=quote, span=(0, len(quote)))
    panel = sources_section(2, Answer(question="q", text="x", citations=[citation]), {"b": text})
    full_text = panel.split("<details", 1)[1]
    assert _marks(full_text) == ["Câu đầu của đoạn một.", "Câu tiếp theo ở đoạn hai, vẫn cùng trích dẫn."]
    assert "<p><mark>Câu đầu của đoạn một.</mark></p>" in full_text


def test_each_marker_tooltip_is_the_sentence_it_stands_for() -> None:
    bubble = answer_markdown(_answer(), 3, RetrievalFilters(), article_texts={"a1": ARTICLE})
    titles = re.findall(r'<a href="#nguon-3-1" class="trich-dan" title="([^"]*)">\[1\]</a>', bubble)
    assert len(titles) == 3, "the short answer's [1] and both sentences' [1] are linked"
    assert all(title.startswith(f"[1] {HEADLINE} (07/07/2022): «") for title in titles)
    assert "&quot;hơn 200 đại biểu&quot;" in titles[1] and "alert(1)" not in titles[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in titles[2], "the tooltip quote stays text"
    assert "Sáng nay (7/7)" in titles[0], "a fact line's [1] shows the sentence it was cut from"
    fact = answer_markdown(
        _answer(short_answer="Đối ngoại nhân dân [1]."), 3, RetrievalFilters(), article_texts={"a1": ARTICLE}
    )
    fact_title = re.findall(r'class="trich-dan" title="([^"]*)"', fact)[0]
    assert "nâng cao hiệu quả đối ngoại nhân dân" in fact_title, "the quoted sentence sharing its words"
    without_texts = answer_markdown(_answer(), 3, RetrievalFilters())
    assert without_texts.count('title="[1] ') == 3, "without the article, the citation's quote"


def test_mode_is_not_on_the_bubble_and_only_follow_ups_are_left_out_of_a_copy() -> None:
    bubble = answer_markdown(_answer(), 1, RetrievalFilters(outlet="Báo Thế giới & Việt Nam"))
    assert "Chế độ" not in bubble and "Ngoại tuyến" not in bubble
    assert "<small>Nguồn đăng: Báo Thế giới &amp; Việt Nam</small>" in bubble, "the filter qualifies it"
    assert "<small" not in answer_markdown(_answer(), 1, RetrievalFilters()), "no empty header line"
    assert bubble.count(NOT_COPIED) == 1 and f'<div class="goi-y-hoi-tiep {NOT_COPIED}">' in bubble


def test_follow_up_questions_are_links_under_the_answer() -> None:
    bubble = answer_markdown(_answer(), 1, RetrievalFilters())
    block = bubble.split(f'<div class="goi-y-hoi-tiep {NOT_COPIED}">', 1)[1]
    asked = re.findall(r'<a href="#cau-hoi" class="hoi-tiep" title="Hỏi câu này">([^<]*)</a>', block)
    assert asked == [
        "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 diễn ra khi nào?",
        "Ai chủ trì Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022?",
        "Có bao nhiêu đại biểu tham dự Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022?",
    ]
    assert bubble.index("tra-loi-ngan") < bubble.index("goi-y-hoi-tiep"), "under the answer"


def test_refusal_links_its_nearest_articles_to_cards_in_the_panel() -> None:
    nearest = [
        Suggestion(article_id="a1", title=f"Bài {SCRIPT} một", published_date=date(2022, 7, 7)),
        Suggestion(article_id="a2", title="Bài hai", published_date=None),
    ]
    refusal = Answer(
        question="Giá vàng hôm nay bao nhiêu?",
        text=f"Không tìm thấy thông tin này trong kho lưu trữ. Các bài gần nhất: «Bài {SCRIPT} một» "
        "(07/07/2022); «Bài hai».",
        found=False,
        suggestions=nearest,
    )
    bubble = answer_markdown(refusal, 4, RetrievalFilters())
    links = re.findall(r'<a href="#(gan-nhat-4-\d)" class="bai-gan-nhat"[^>]*>([^<]*)</a>', bubble)
    assert links == [
        ("gan-nhat-4-1", "«Bài &lt;script&gt;alert(1)&lt;/script&gt; một»"),
        ("gan-nhat-4-2", "«Bài hai»"),
    ]
    assert "<script" not in bubble and "goi-y-hoi-tiep" not in bubble, "no follow-ups after a refusal"
    panel = sources_section(4, refusal, {"a1": ARTICLE, "a2": ""})
    assert "id='gan-nhat-4-1'" in panel and "id='gan-nhat-4-2'" in panel
    first_card = panel.split("id='gan-nhat-4-1'", 1)[1].split("</article>", 1)[0]
    assert "Đoạn mở đầu không được trích." in first_card and "<summary>Xem toàn văn</summary>" in first_card
    assert "<script" not in panel and "Bài &lt;script&gt;alert(1)&lt;/script&gt; một" in panel
    twins = refusal.model_copy(
        update={
            "text": "Không tìm thấy. Các bài gần nhất: «Bài hai» (01/01/2020); «Bài hai» (02/01/2020).",
            "suggestions": [nearest[1], nearest[1].model_copy(update={"article_id": "a2-2"})],
        }
    )
    shown = answer_markdown(twins, 5, RetrievalFilters())
    assert re.findall(r'href="#(gan-nhat-5-\d)"', shown) == ["gan-nhat-5-1", "gan-nhat-5-2"]
    assert shown.count("«Bài hai»</a>") == 2 and "</a></a>" not in shown, "one link each, none nested"


def test_planted_markup_in_quotes_and_titles_stays_text_in_the_rendered_bubble() -> None:
    """The tooltip attribute, the follow-up links and the nearest-article links carry article text: a
    CommonMark engine with raw HTML allowed (stricter than the page's sanitised renderer) renders them
    without any image, frame or outside link."""
    markdown_it = pytest.importorskip("markdown_it")
    planted = 'Ảnh ![x](http://127.0.0.1:9/b.png) và <img src="http://127.0.0.1:9/c.png"> "trích" trong bài.'
    article = f"Mở đầu.\n{planted}"
    citation = Citation(
        n=1, article_id="p", title=f"Hội nghị {SCRIPT} năm 2022", quote=planted, span=(8, 8 + len(planted))
    )
    answer = Answer(
        question="Hội nghị X năm 2022 diễn ra ở đâu?",
        text=f"{planted} [1]",
        citations=[citation],
        suggestions=[Suggestion(article_id="p", title=planted)],
    )
    for shown in (
        answer_markdown(answer, 1, RetrievalFilters(), article_texts={"p": article}),
        answer_markdown(
            answer.model_copy(update={"found": False, "citations": [], "text": f"Không có. «{planted}»."}),
            1,
            RetrievalFilters(),
        ),
    ):
        rendered = markdown_it.MarkdownIt("commonmark").render(shown)
        assert "<img" not in rendered and "<script" not in rendered and 'src="' not in rendered, rendered
        assert not re.search(r'href="(?!#)', rendered), "only the page's own anchors are links"
