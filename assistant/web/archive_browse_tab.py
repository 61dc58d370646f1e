"""The archive tab's lower half: the article table (search, filters, pages), the opened article, and the
editor's corrections with a confirmation naming the article, and undo.

Only wiring: what each event does is in `ArchiveBrowser` (plain methods, unit-tested). The editing
controls are shown to roles that may edit, but every correction is checked again by `ArchiveBrowser`
on the server, and `/sua_thong_tin_bai` (for scripts: correct at once, the call itself is the
confirmation) goes through the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.web.archive_browser import ArchiveBrowser, PlannedChange
from assistant.web.archive_table import TABLE_CSS, TABLE_HEADERS
from assistant.web.form_values import ALL_CHOICES

NO_EDIT_NOTE = "Chỉ biên tập viên và quản trị viên được sửa hoặc xoá bài."


@dataclass(frozen=True)
class BrowseSection:
    """Components the rest of the tab refreshes: after an upload the table reloads."""

    load_table: Callable[..., tuple[Any, ...]]  # (filters…, page) -> table outputs
    refresh_inputs: list[Any]
    table_outputs: list[Any]
    editor: gr.Column
    edit_note: gr.Markdown
    refresh_facets: Callable[[], tuple[Any, Any]]  # outlet and category choices as the archive has them
    facet_outputs: list[Any]


def archive_browse_section(browser: ArchiveBrowser) -> BrowseSection:
    categories, outlets = browser.assistant.catalog.facets()
    gr.HTML(f"<style>{TABLE_CSS}</style>", padding=False)
    gr.Markdown("### Các bài trong kho")
    with gr.Row():
        search = gr.Textbox(
            label="Tìm theo tiêu đề hoặc nội dung",
            placeholder="có dấu hay không dấu, ví dụ: vinh phuc chi thi 25",
            scale=3,
            elem_id="tim-bai",
        )
        date_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy", scale=1, elem_id="bang-tu-ngay")
        date_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy", scale=1, elem_id="bang-den-ngay")
        outlet = gr.Dropdown([ALL_CHOICES, *outlets], value=ALL_CHOICES, label="Nguồn đăng", scale=1)
        category = gr.Dropdown([ALL_CHOICES, *categories], value=ALL_CHOICES, label="Chuyên mục", scale=1)
    with gr.Row():
        find = gr.Button("Tìm", variant="primary", elem_id="tim-bai-nut")
        previous = gr.Button("‹ Trang trước", elem_id="trang-truoc")
        page = gr.Number(value=1, precision=0, minimum=1, label="Trang", elem_id="so-trang")
        following = gr.Button("Trang sau ›", elem_id="trang-sau")
    summary = gr.Markdown(elem_id="tom-tat-bang")
    table = gr.Dataframe(
        value=[],
        headers=TABLE_HEADERS,
        interactive=False,
        wrap=True,
        column_widths=["30%", "11%", "13%", "11%", "7%", "13%", "15%"],
        label="Bấm vào một dòng để mở bài",
        elem_id="bang-bai-viet",
    )
    row_ids = gr.State([])  # (article id, row) of each row shown
    opened = gr.State(("", 0))  # (article id, version) the editor sees
    pending = gr.State(None)  # the PlannedChange waiting for «Xác nhận»
    undo_target = gr.State(None)  # (article id, version) that «Hoàn tác» makes current again
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            viewer = gr.HTML("<p>Chọn một bài trong bảng để xem.</p>", elem_id="xem-bai")
        with gr.Column(scale=2, visible=True) as editor:
            gr.Markdown("#### Sửa bài đang mở")
            title_box = gr.Textbox(label="Tiêu đề", elem_id="sua-tieu-de")
            date_box = gr.Textbox(label="Ngày đăng", placeholder="dd/mm/yyyy", elem_id="sua-ngay-dang")
            outlet_box = gr.Textbox(label="Nguồn đăng", elem_id="sua-nguon-dang")
            fix = gr.Button("Sửa thông tin…", elem_id="sua-thong-tin")
            with gr.Accordion("Thay nội dung bài", open=False):
                text_box = gr.Textbox(label="Nội dung mới (mỗi đoạn cách một dòng trống)", lines=8)
                replace_text = gr.Button("Thay nội dung…", elem_id="thay-noi-dung")
            delete = gr.Button("Xoá bài…", variant="stop", elem_id="xoa-bai")
            with gr.Group(visible=False, elem_id="xac-nhan-sua") as confirmation:
                question = gr.Markdown()
                with gr.Row():
                    confirm = gr.Button("Xác nhận", variant="stop", elem_id="xac-nhan-sua-nut")
                    cancel = gr.Button("Huỷ", elem_id="huy-sua")
            result = gr.Markdown(elem_id="ket-qua-sua")
            undo = gr.Button("Hoàn tác thay đổi vừa rồi", visible=False, elem_id="hoan-tac")
    edit_note = gr.Markdown(visible=False, value=NO_EDIT_NOTE, elem_id="khong-duoc-sua")

    filters = [search, date_from, date_to, outlet, category]
    table_outputs = [table, row_ids, summary, page]

    def load_table(
        text: str, start: str, end: str, source: str, kind: str, number: float | None, request: gr.Request
    ) -> tuple[Any, ...]:
        view = browser.table(text, start, end, source, kind, number, user=request.username)
        return view.rows, list(zip(view.article_ids, view.rows, strict=True)), view.summary, view.page

    def first_page(text: str, start: str, end: str, source: str, kind: str, request: gr.Request) -> Any:
        return load_table(text, start, end, source, kind, 1, request)

    def step(delta: int) -> Any:
        def move(
            text: str, start: str, end: str, source: str, kind: str, number: float | None, request: gr.Request
        ) -> tuple[Any, ...]:
            return load_table(text, start, end, source, kind, max(1, int(number or 1) + delta), request)

        return move

    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
    gr.on(
        [find.click, search.submit, outlet.change, category.change, date_from.submit, date_to.submit],
        first_page,
        filters,
        table_outputs,
        **private,
    )
    previous.click(step(-1), [*filters, page], table_outputs, **private)
    following.click(step(+1), [*filters, page], table_outputs, **private)
    page.submit(step(0), [*filters, page], table_outputs, **private)

    article_outputs = [viewer, opened, title_box, date_box, outlet_box, text_box]

    def show(article_id: str, user: str | None) -> tuple[Any, ...]:
        article = browser.open(article_id, user=user)
        return (article.html, (article.article_id, article.version), article.title, article.date_text,
                article.outlet, article.text)  # fmt: skip

    def open_row(listed: list[tuple[str, list[str]]], event: gr.SelectData, request: gr.Request) -> Any:
        """The clicked row's article, matched by the row's values first: Gradio 6.31 reports the index in
        the data as sent even when the user sorted the table (checked in Chromium), but the values
        do not depend on that."""
        chosen = next((article_id for article_id, row in listed if list(row) == event.row_value), None)
        row = event.index[0] if isinstance(event.index, list | tuple) else event.index
        if chosen is None and isinstance(row, int) and 0 <= row < len(listed):
            chosen = listed[row][0]
        return show(chosen or "", request.username)

    table.select(open_row, [row_ids], article_outputs, **private)

    def asked(answer: tuple[str, PlannedChange | None]) -> tuple[Any, ...]:
        message, planned = answer
        if planned is None:
            return "", None, gr.Group(visible=False), message
        return message, planned, gr.Group(visible=True), ""

    def plan_fix(current: tuple[str, int], title: str, day: str, source: str, request: gr.Request) -> Any:
        return asked(browser.plan_metadata_fix(*current, title, day, source, user=request.username))

    def plan_text(current: tuple[str, int], text: str, request: gr.Request) -> Any:
        return asked(browser.plan_text_replacement(*current, text, user=request.username))

    def plan_delete(current: tuple[str, int], request: gr.Request) -> Any:
        return asked(browser.plan_delete(*current, user=request.username))

    plan_outputs = [question, pending, confirmation, result]
    fix.click(plan_fix, [opened, title_box, date_box, outlet_box], plan_outputs, **private)
    replace_text.click(plan_text, [opened, text_box], plan_outputs, **private)
    delete.click(plan_delete, [opened], plan_outputs, **private)
    cancel.click(
        lambda: ("", None, gr.Group(visible=False), "Đã huỷ: bài giữ nguyên."), None, plan_outputs, **private
    )

    def apply(planned: PlannedChange | None, request: gr.Request) -> tuple[Any, ...]:
        outcome = browser.apply(planned, user=request.username)
        target = (planned.article_id, outcome.undo_version) if planned and outcome.undo_version else None
        return (outcome.message, None, gr.Group(visible=False), target,
                gr.Button(visible=target is not None), *show(planned.article_id if planned else "", request.username))  # fmt: skip

    def undo_change(target: tuple[str, int] | None, request: gr.Request) -> tuple[Any, ...]:
        article_id, version = target or ("", None)
        outcome = browser.undo(article_id, version, user=request.username)
        return (
            outcome.message,
            None,
            gr.Button(visible=not outcome.done),
            *show(article_id, request.username),
        )

    change_outputs = [result, pending, confirmation, undo_target, undo, *article_outputs]
    writes: dict[str, Any] = {"concurrency_id": "nap_kho", "concurrency_limit": 1}  # one writer at a time
    applied = confirm.click(apply, [pending], change_outputs, api_visibility="private", **writes).then(
        load_table, [*filters, page], table_outputs, **private
    )
    undone = undo.click(
        undo_change,
        [undo_target],
        [result, undo_target, undo, *article_outputs],
        api_visibility="private",
        **writes,
    ).then(load_table, [*filters, page], table_outputs, **private)

    def correct_now(article_id: str, title: str, day: str, source: str, request: gr.Request) -> str:
        """For scripts: correct at once (role checked like the page's confirmation)."""
        stored = browser.assistant.index.store.get_article(article_id)
        message, planned = browser.plan_metadata_fix(
            article_id,
            stored.version if stored else 0,
            title,
            day,
            source if source.strip() or stored is None else stored.outlet or "",  # blank keeps it
            user=request.username,
        )
        return browser.apply(planned, user=request.username).message if planned else message

    hidden_id = gr.Textbox(visible=False)
    api_button = gr.Button(visible=False)
    api_button.click(
        correct_now,
        [hidden_id, title_box, date_box, outlet_box],
        result,
        api_name="sua_thong_tin_bai",
        **writes,
    )

    def refresh_facets() -> tuple[Any, Any]:
        categories, outlets = browser.assistant.catalog.facets()
        return gr.Dropdown(choices=[ALL_CHOICES, *outlets]), gr.Dropdown(choices=[ALL_CHOICES, *categories])

    for written in (applied, undone):  # a fixed outlet is a filter choice at once
        written.then(refresh_facets, None, [outlet, category], **private)
    return BrowseSection(
        load_table, [*filters, page], table_outputs, editor, edit_note, refresh_facets, [outlet, category]
    )
