"""The side column of the chat tab: the user's kept conversations (newest first) with open, rename,
delete (after a confirmation) and export to `.docx` / `.md`. Wiring only; what happens is in
`conversation_list`. Built in two steps because the column stands left of the chat it changes:
`sidebar_column()` where the column goes, `wire_sidebar()` once the chat exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.web.conversation_list import ConversationList
from assistant.web.conversation_state import Conversation

LIST_PLACEHOLDER = "Chưa có cuộc trò chuyện nào được lưu. Mỗi câu trả lời được lưu tự động."
LIST_HINT = "Mới nhất ở trên. Mỗi câu trả lời được lưu tự động."


@dataclass(frozen=True)
class SidebarParts:
    """The components of the column."""

    saved: gr.Radio
    status: gr.Markdown
    new_title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    confirmation: gr.Group
    confirm_text: gr.Markdown
    confirm: gr.Button
    cancel: gr.Button
    export: gr.Button
    docx: gr.DownloadButton
    md: gr.DownloadButton


def sidebar_column() -> SidebarParts:
    """The column's components (call inside the chat tab's row, before the chat column)."""
    with gr.Column(scale=1, min_width=220, elem_id="lich-su-tro-chuyen"):
        gr.Markdown("### Cuộc trò chuyện đã lưu")
        saved = gr.Radio(
            [],
            label="Chọn để mở lại",
            info=LIST_PLACEHOLDER,
            elem_id="ds-tro-chuyen",
            elem_classes="ds-tro-chuyen",
        )
        status = gr.Markdown(elem_id="lich-su-trang-thai")
        with gr.Accordion("Đổi tên, xoá, xuất tệp", open=False, elem_id="thao-tac-tro-chuyen"):
            new_title = gr.Textbox(label="Tên mới", max_lines=1, elem_id="ten-moi")
            rename = gr.Button("Đổi tên", size="sm", elem_id="doi-ten")
            delete = gr.Button("Xoá cuộc trò chuyện", size="sm", variant="stop", elem_id="xoa-tro-chuyen")
            with gr.Group(visible=False, elem_id="xac-nhan-xoa") as confirmation:
                confirm_text = gr.Markdown()
                with gr.Row():
                    confirm = gr.Button("Xác nhận xoá", size="sm", variant="stop", elem_id="xac-nhan-xoa-nut")
                    cancel = gr.Button("Huỷ", size="sm", elem_id="huy-xoa")
            export = gr.Button("Xuất .docx / .md", size="sm", elem_id="xuat-tro-chuyen")
            docx = gr.DownloadButton(
                "Tải bản Word (.docx)", visible=False, size="sm", elem_id="tai-tro-chuyen-docx"
            )
            md = gr.DownloadButton(
                "Tải bản Markdown (.md)", visible=False, size="sm", elem_id="tai-tro-chuyen-md"
            )
    return SidebarParts(
        saved,
        status,
        new_title,
        rename,
        delete,
        confirmation,
        confirm_text,
        confirm,
        cancel,
        export,
        docx,
        md,
    )


def wire_sidebar(
    parts: SidebarParts,
    listing: ConversationList,
    chatbot: gr.Chatbot,
    sources: gr.HTML,
    conversation: gr.State,
) -> tuple[Any, Any, Any]:
    """The column's events. Returns the list refresher (`fn`/`inputs`/`outputs` for `.then(**…)` after
    each answer and on page load) and the open and delete events (the caller chains its own updates
    of the filter line after a conversation changes)."""
    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}

    def refreshed(current: Conversation | None, request: gr.Request) -> Any:
        choices = listing.choices(request.username)
        selected = current.stored_id if current else None
        return gr.Radio(
            choices=choices,
            value=selected if any(v == selected for _, v in choices) else None,
            info=LIST_HINT if choices else LIST_PLACEHOLDER,
        )

    refresh: dict[str, Any] = {"fn": refreshed, "inputs": [conversation], "outputs": [parts.saved], **private}

    def opened(chosen: str | None, current: Conversation | None, request: gr.Request) -> tuple[Any, ...]:
        result = listing.open(chosen, current, request.username)
        return result.messages, result.panel, result.conversation, result.status

    def renamed(chosen: str | None, title: str, request: gr.Request) -> tuple[Any, ...]:
        status = listing.rename(chosen, title, request.username)
        return status, "" if status.startswith("Đã") else title

    def asked_to_delete(chosen: str | None, request: gr.Request) -> tuple[Any, ...]:
        question = listing.delete_question(chosen, request.username)
        if question is None:
            return gr.Group(visible=False), "", "⚠️ Hãy chọn một cuộc trò chuyện trong danh sách trước."
        return gr.Group(visible=True), question, ""

    def deleted(chosen: str | None, current: Conversation | None, request: gr.Request) -> tuple[Any, ...]:
        result = listing.delete(chosen, current, request.username)
        return result.messages, result.panel, result.conversation, result.status, gr.Group(visible=False)

    def exported(chosen: str | None, request: gr.Request) -> tuple[Any, ...]:
        status, files = listing.export(chosen, request.username)
        by_suffix = {path.suffix: str(path) for path in files}
        return (
            status,
            gr.DownloadButton(value=by_suffix.get(".docx"), visible=".docx" in by_suffix),
            gr.DownloadButton(value=by_suffix.get(".md"), visible=".md" in by_suffix),
        )

    chat_outputs = [chatbot, sources, conversation, parts.status]
    opening = parts.saved.input(opened, [parts.saved, conversation], chat_outputs, **private)
    opening.then(**refresh)
    for trigger in (parts.rename.click, parts.new_title.submit):
        trigger(renamed, [parts.saved, parts.new_title], [parts.status, parts.new_title], **private).then(
            **refresh
        )
    parts.delete.click(
        asked_to_delete, [parts.saved], [parts.confirmation, parts.confirm_text, parts.status], **private
    )
    parts.cancel.click(lambda: gr.Group(visible=False), None, parts.confirmation, **private)
    deleting = parts.confirm.click(
        deleted, [parts.saved, conversation], [*chat_outputs, parts.confirmation], **private
    )
    deleting.then(**refresh)
    parts.export.click(exported, [parts.saved], [parts.status, parts.docx, parts.md], **private)
    # A different conversation chosen: the files of the previous one are no longer offered.
    parts.saved.change(
        lambda: (gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)),
        None,
        [parts.docx, parts.md],
        **private,
    )
    return refresh, opening, deleting
