"""The Gradio Blocks of the app: chat with a sources panel and filters, the archive tab, briefings.

Only wiring lives here; what happens on each event is in the `*_handlers` modules (plain functions).
The logged-in user's name (`gr.Request.username`, None without login) is handed to every handler that
checks roles; the upload button is disabled for roles that may not upload, but the handler checks anyway.
Public API names (for gradio_client): `/hoi`, `/cuoc_tro_chuyen_moi`, `/nap_kho`, `/tom_tat`, `/sua_thong_tin_bai`
(an editor's metadata correction, role checked on the server; see `archive_browse_tab`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.archive_assistant import ArchiveAssistant
from assistant.conversations.store import ConversationStore
from assistant.web.answer_message import DROP_PERIOD_LABEL
from assistant.web.archive_browse_tab import archive_browse_section
from assistant.web.archive_browser import ArchiveBrowser
from assistant.web.archive_handlers import ACCEPTED_TYPES, ArchiveHandlers
from assistant.web.briefing_handlers import BriefingHandlers
from assistant.web.chat_handlers import STREAM_PAUSE_S, ChatHandlers, ChatUpdate, Conversation
from assistant.web.conversation_list import ConversationList
from assistant.web.conversation_sidebar import sidebar_column, wire_sidebar
from assistant.web.example_questions import examples_html
from assistant.web.feedback_controls import FEEDBACK_OPTIONS, feedback_controls
from assistant.web.feedback_handlers import FeedbackHandlers
from assistant.web.form_values import ALL_CHOICES
from assistant.web.gradio_strings import FIXED_LABELS_JS
from assistant.web.page_assets import CHIP_CONTROL_JS, COPY_ANSWER_JS, PAGE_LINKS_JS
from assistant.web.permissions import NO_LOGIN, Permissions
from assistant.web.rendering import EMPTY_PANEL
from assistant.web.upload_replacement import (
    CANCEL_LABEL,
    CANCELLED,
    CONFIRM_LABEL,
    REPLACE_CHOICE,
    confirmed_ids,
)
from assistant.web.users_tab import users_tab

TITLE = "Trợ lý tra cứu lưu trữ"
# Answers share two CPU-bound resources (embedding model, index); more parallel work only queues up.
CHAT_CONCURRENCY = 4
SEND_LABEL = "Gửi"
EDIT_LABEL = "✎ Sửa câu hỏi cuối"
EDITED_SEND_LABEL = "Gửi câu hỏi đã sửa"
CANCEL_EDIT_LABEL = "✕ Huỷ sửa"
NO_UPLOAD_LABEL = "Chỉ biên tập viên và quản trị viên được nạp bài vào kho"


def build_ui(assistant: ArchiveAssistant, permissions: Permissions = NO_LOGIN) -> gr.Blocks:
    """The whole app over one shared assistant; every browser session gets its own `Conversation`.
    `permissions` decides what each logged-in user may do (everything without login)."""
    # Conversations are kept per user in the index folder (conversations.sqlite3).
    store = ConversationStore.in_folder(assistant.settings.db_dir)
    chat = ChatHandlers(assistant, permissions, store, pause_s=STREAM_PAUSE_S)
    archive = ArchiveHandlers(assistant, permissions)
    briefing = BriefingHandlers(assistant, permissions=permissions)
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.Markdown(f"# {TITLE}")
        header = gr.Markdown(chat.mode_line(), elem_id="che-do")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="hoi-dap"):
                chat_parts = _chat_tab(chat)
            with gr.Tab("Kho lưu trữ", id="kho-luu-tru"):
                uploaded, stats, upload_button = _archive_tab(archive, demo)
            with gr.Tab("Bản tóm tắt nhanh", id="ban-tom-tat"):
                _briefing_tab(briefing)
            users_tab(permissions, assistant.settings.db_dir, demo)  # admins only (hidden for others)
        category, outlet, saved_list = chat_parts
        demo.load(**saved_list)  # this user's kept conversations, after a reload too

        def refresh_archive_views() -> tuple[str, str, Any, Any]:
            """After an upload or on page load: header, statistics and filter choices are current."""
            categories, outlets = chat.facets()
            return (
                chat.mode_line(),
                archive.stats(),
                gr.Dropdown(choices=categories, interactive=len(categories) > 1),
                gr.Dropdown(choices=outlets, interactive=len(outlets) > 1),
            )

        views = [header, stats, category, outlet]
        uploaded.then(refresh_archive_views, None, views, api_visibility="private", show_progress="hidden")
        demo.load(refresh_archive_views, None, views, api_visibility="private", show_progress="hidden")

        def upload_button_for(request: gr.Request) -> Any:
            if permissions.allows(request.username, "upload"):
                return gr.UploadButton(interactive=True)
            return gr.UploadButton(NO_UPLOAD_LABEL, interactive=False)

        demo.load(upload_button_for, None, upload_button, api_visibility="private", show_progress="hidden")
        demo.load(None, None, None, js=CHIP_CONTROL_JS, api_visibility="private", queue=False)
        demo.load(None, None, None, js=PAGE_LINKS_JS, api_visibility="private", queue=False)
        demo.load(None, None, None, js=FIXED_LABELS_JS, api_visibility="private", queue=False)
    return demo


def _chat_tab(chat: ChatHandlers) -> tuple[gr.Dropdown, gr.Dropdown, dict[str, Any]]:
    categories, outlets = chat.facets()
    conversation = gr.State(Conversation())
    # (kept conversation id, number of turns) when "Sửa câu hỏi cuối" was clicked: the next send
    # replaces that newest question, if the same conversation is still open.
    editing = gr.State(None)
    with gr.Row(equal_height=False):
        saved = sidebar_column()
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="Cuộc trò chuyện",
                height=520,
                elem_id="cuoc-tro-chuyen",
                # No "share" (nothing leaves the office) and no raw-Markdown "copy": see COPY_ANSWER_JS.
                buttons=[],
                feedback_options=FEEDBACK_OPTIONS,  # 👍 / 👎: feedback_controls
                placeholder="Hỏi về các bài báo trong kho, có dấu hoặc không dấu. Mỗi ý trả lời kèm [n] dẫn tới nguồn.",
            )
            feedback_controls(chatbot, conversation, FeedbackHandlers(chat.assistant, chat.permissions))
            # Shown only while the newest answer used a period read from its question; the chip's ✕
            # in that answer clicks it (CHIP_CONTROL_JS).
            drop_period = gr.Button(
                f"✕ {DROP_PERIOD_LABEL}", visible=False, size="sm", elem_id="bo-thoi-gian"
            )
            question = gr.Textbox(
                label="Câu hỏi",
                placeholder="Ví dụ: Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?",
                max_lines=4,
                elem_id="cau-hoi",
            )
            with gr.Row():
                send = gr.Button("Gửi", variant="primary", elem_id="gui")
                new_chat = gr.Button("Cuộc trò chuyện mới", elem_id="tro-chuyen-moi")
                copy_answer = gr.Button("Sao chép kèm nguồn", elem_id="sao-chep")
            with gr.Row():  # shown once there is an answer to redo (period_controls)
                regenerate = gr.Button("↻ Trả lời lại", size="sm", visible=False, elem_id="tra-loi-lai")
                edit_last = gr.Button(EDIT_LABEL, size="sm", visible=False, elem_id="sua-cau-hoi")
            filter_note = gr.Markdown(chat.filter_summary("", ""), elem_id="bo-loc-dang-dung")
            with gr.Accordion("Bộ lọc: thời gian, chuyên mục, nguồn đăng", open=False):
                with gr.Row():
                    date_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy", elem_id="tu-ngay")
                    date_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy", elem_id="den-ngay")
                with gr.Row():
                    category = gr.Dropdown(
                        categories, value=ALL_CHOICES, label="Chuyên mục", interactive=len(categories) > 1
                    )
                    outlet = gr.Dropdown(
                        outlets, value=ALL_CHOICES, label="Nguồn đăng", interactive=len(outlets) > 1
                    )
            # Links: a click asks (PAGE_LINKS_JS); written in full, never cut with "…". A function as the
            # value is called on every page load, so an upload's headlines count from the next reload.
            gr.HTML(lambda: examples_html(chat.examples()), elem_id="cau-hoi-mau")
        with gr.Column(scale=2):
            gr.Markdown("### Nguồn trích dẫn")
            sources = gr.HTML(EMPTY_PANEL, elem_id="nguon-trich-dan")
    ask_inputs = [question, conversation, date_from, date_to, category, outlet, editing]
    ask_outputs = [chatbot, sources, conversation, question]
    common: dict[str, Any] = {
        "concurrency_id": "hoi",
        "concurrency_limit": CHAT_CONCURRENCY,
        "show_progress": "minimal",
    }

    def period_controls(conversation: Conversation, *form: str) -> tuple[Any, ...]:
        """After every answer, reset or opened conversation: the filter line, the "Bỏ thời gian theo câu
        hỏi" button, and "Trả lời lại" / "Sửa câu hỏi cuối" while there is an answer to redo."""
        summary, period = chat.period_controls(conversation, *form)
        label = f"✕ {DROP_PERIOD_LABEL} ({period})" if period else f"✕ {DROP_PERIOD_LABEL}"
        answered = bool(chat.last_question(conversation))
        return (
            summary,
            gr.Button(value=label, visible=bool(period)),
            gr.Button(visible=answered),
            gr.Button(visible=answered),
        )

    controls: dict[str, Any] = {
        "fn": period_controls,
        "inputs": [conversation, date_from, date_to, category, outlet],
        "outputs": [filter_note, drop_period, regenerate, edit_last],
        "api_visibility": "private",
        "show_progress": "hidden",
        "concurrency_limit": None,
    }

    def ask(
        question: str | None,
        conversation: Conversation | None,
        date_from: str | None,
        date_to: str | None,
        category: str | None,
        outlet: str | None,
        edit_mark: tuple[str | None, int] | None,
        request: gr.Request,
    ) -> Iterator[ChatUpdate]:
        edits = edit_mark is not None and conversation is not None and edit_mark == _edit_mark(conversation)
        handler = chat.ask_edited if edits else chat.ask
        yield from handler(
            question, conversation, date_from, date_to, category, outlet, user=request.username
        )

    def start_edit(
        conversation: Conversation | None, typed: str, edit_mark: tuple[str | None, int] | None
    ) -> tuple[Any, ...]:
        """The newest question back in the box to edit; clicked again ("Huỷ sửa"), the edit is dropped."""
        last = chat.last_question(conversation)
        if edit_mark is not None or not last or conversation is None:
            return ("" if edit_mark is not None else typed), *_not_editing()
        return last, _edit_mark(conversation), gr.Button(EDITED_SEND_LABEL), gr.Button(CANCEL_EDIT_LABEL)

    def regenerate_last(conversation: Conversation | None, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        yield from chat.regenerate(conversation, user=request.username)

    store = chat.store or ConversationStore.in_folder(chat.assistant.settings.db_dir)
    listing = ConversationList(chat.assistant, store, chat.permissions)
    refresh, opening, deleting = wire_sidebar(saved, listing, chatbot, sources, conversation)
    edit_done: dict[str, Any] = {
        "fn": _not_editing,
        "inputs": None,
        "outputs": [editing, send, edit_last],
        "api_visibility": "private",
        "show_progress": "hidden",
        "queue": False,
    }
    for changed in (opening, deleting):
        changed.then(**controls).then(**edit_done)
    edit_last.click(
        start_edit,
        [conversation, question, editing],
        [question, editing, send, edit_last],
        api_visibility="private",
        show_progress="hidden",
        queue=False,
    )
    regenerate.click(
        regenerate_last, [conversation], [chatbot, sources, conversation], api_visibility="private", **common
    ).then(**controls).then(**refresh)

    def ask_without_question_period(
        conversation: Conversation | None, request: gr.Request
    ) -> Iterator[tuple[Any, ...]]:
        yield from chat.ask_without_question_period(conversation, user=request.username)

    send.click(ask, ask_inputs, ask_outputs, api_name="hoi", **common).then(**controls).then(**refresh).then(
        **edit_done
    )
    question.submit(ask, ask_inputs, ask_outputs, api_visibility="private", **common).then(**controls).then(
        **refresh
    ).then(**edit_done)
    reset_outputs = [chatbot, sources, conversation]  # not the question box: a typed question stays
    new_chat.click(chat.new_conversation, None, reset_outputs, api_name="cuoc_tro_chuyen_moi").then(
        **controls
    ).then(**refresh).then(**edit_done)
    copy_answer.click(None, None, None, js=COPY_ANSWER_JS, api_visibility="private", queue=False)
    # The chatbot's own "clear" icon must forget the history too, not only the bubbles.
    chatbot.clear(chat.new_conversation, None, reset_outputs, api_visibility="private").then(**controls).then(
        **edit_done
    )
    # Hidden at once so a second click cannot re-ask twice; shown again if the new answer has a period.
    drop_period.click(
        lambda: gr.Button(visible=False), None, drop_period, api_visibility="private", queue=False
    ).then(
        ask_without_question_period,
        [conversation],
        [chatbot, sources, conversation],
        api_visibility="private",
        **common,
    ).then(**controls).then(**refresh)
    gr.on(
        [date_from.blur, date_to.blur, date_from.submit, date_to.submit, category.change, outlet.change],
        chat.filter_summary,
        [date_from, date_to, category, outlet, conversation],
        filter_note,
        api_visibility="private",
        show_progress="hidden",
        # Moving from one date box to the other fires two events; the last one must win.
        trigger_mode="always_last",
        concurrency_limit=None,
    )
    return category, outlet, refresh


def _not_editing() -> tuple[Any, ...]:
    """Edit state, send button and edit button once no edit is under way."""
    return None, gr.Button(SEND_LABEL), gr.Button(EDIT_LABEL)


def _edit_mark(conversation: Conversation) -> tuple[str | None, int]:
    """Which newest question "Sửa câu hỏi cuối" was about: the conversation and its length then."""
    return conversation.stored_id, len(conversation.turns)


def _archive_tab(archive: ArchiveHandlers, demo: gr.Blocks) -> tuple[Any, gr.Markdown, gr.UploadButton]:
    limit = f"{archive.settings.max_upload_mb:g}".replace(".", ",")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            gr.Markdown(
                f"Nạp bài mới vào kho: chọn một hoặc nhiều tệp ({ACCEPTED_TYPES}), tối đa {limit} MB mỗi tệp. "
                "Tệp được lưu vào thư mục của kho rồi lập chỉ mục; báo cáo cho biết kết quả từng tệp."
            )
            upload = gr.UploadButton(
                "Chọn tệp để nạp vào kho…",
                file_count="multiple",
                type="filepath",
                variant="primary",
                elem_id="nap-tep",
            )
            replace = gr.Checkbox(
                value=False,
                label=REPLACE_CHOICE,
                info="Chỉ biên tập viên. Không chọn: tệp trùng mã với bài đã có được lưu thành bài mới. "
                "Có chọn: ứng dụng nêu tên từng bài sẽ bị thay và chờ bạn xác nhận.",
                elem_id="thay-the-bai",
            )
            with gr.Group(visible=False, elem_id="xac-nhan-thay-the") as confirmation:
                question = gr.Markdown()
                with gr.Row():
                    confirm = gr.Button(CONFIRM_LABEL, variant="stop", elem_id="xac-nhan-thay")
                    cancel = gr.Button(CANCEL_LABEL, elem_id="huy-thay")
            waiting = gr.State(None)  # (uploaded paths, ids the question named) until confirmed or cancelled
            message = gr.Markdown(elem_id="ket-qua-nap")
        with gr.Column(scale=2):
            stats = gr.Markdown(archive.stats(), elem_id="thong-ke-kho")
    # Full width, HTML with a fixed layout: one row per file, fits the page without horizontal scrolling.
    report = gr.HTML("", elem_id="bao-cao-nap")
    browser = ArchiveBrowser(archive.assistant, archive.permissions)
    browse = archive_browse_section(browser)

    def upload_files(
        paths: list[str] | None,
        replace_chosen: bool,
        request: gr.Request,
        progress: Any = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        result = archive.upload(
            paths,
            lambda fraction, text: progress(fraction, desc=text),
            user=request.username,
            replace=bool(replace_chosen),
            can_replace=archive.permissions.allows(request.username, "replace"),  # editor, admin
        )
        if result.replacements:  # nothing stored yet: ask, naming every article
            asked = (list(paths or []), confirmed_ids(result.replacements))
            return (
                "",
                "Chưa nạp: cần xác nhận thay thế.",
                result.stats,
                gr.Group(visible=True),
                result.message,
                asked,
            )
        report_table = archive.report_table(result.rows)
        return report_table, result.message, result.stats, gr.Group(visible=False), "", None

    def replace_confirmed(
        asked: tuple[list[str], list[str]] | None,
        request: gr.Request,
        progress: Any = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not asked:
            return "", CANCELLED, archive.stats(), gr.Group(visible=False), "", None
        paths, ids = asked
        result = archive.upload(
            paths,
            lambda fraction, text: progress(fraction, desc=text),
            user=request.username,
            replace=True,
            can_replace=archive.permissions.allows(request.username, "replace"),
            confirmed_ids=ids,
        )
        report_table = archive.report_table(result.rows)
        return report_table, result.message, result.stats, gr.Group(visible=False), "", None

    outputs = [report, message, stats, confirmation, question, waiting]
    event = upload.upload(
        upload_files,
        [upload, replace],
        outputs,
        api_name="nap_kho",
        concurrency_id="nap_kho",
        concurrency_limit=1,  # one ingestion at a time
    )
    replaced = confirm.click(
        replace_confirmed,
        waiting,
        outputs,
        api_visibility="private",
        concurrency_id="nap_kho",
        concurrency_limit=1,
    )
    cancel.click(
        lambda: ("", CANCELLED, archive.stats(), gr.Group(visible=False), "", None),
        None,
        outputs,
        api_visibility="private",
    )
    reload_table: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
    table_view = browse.load_table
    for written in (event, replaced):  # the table shows what an upload added
        written.then(table_view, browse.refresh_inputs, browse.table_outputs, **reload_table)
    demo.load(table_view, browse.refresh_inputs, browse.table_outputs, **reload_table)
    for moment in (event, replaced):
        moment.then(browse.refresh_facets, None, browse.facet_outputs, **reload_table)
    demo.load(browse.refresh_facets, None, browse.facet_outputs, **reload_table)

    def editing_for(request: gr.Request) -> tuple[Any, Any]:
        allowed = archive.permissions.allows(request.username, "replace")  # the server checks anyway
        return gr.Column(visible=allowed), gr.Markdown(visible=not allowed)

    demo.load(editing_for, None, [browse.editor, browse.edit_note], **reload_table)
    return event, stats, upload


def _briefing_tab(briefing: BriefingHandlers) -> None:
    topic = gr.Textbox(label="Chủ đề", placeholder="ví dụ: đối ngoại nhân dân", elem_id="chu-de")
    with gr.Row():
        date_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy (để trống: không giới hạn)")
        date_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy (để trống: không giới hạn)")
    make = gr.Button("Soạn bản tóm tắt", variant="primary", elem_id="soan-tom-tat")
    with gr.Row():
        docx_file = gr.DownloadButton("Tải bản Word (.docx)", visible=False, elem_id="tai-docx")
        md_file = gr.DownloadButton("Tải bản Markdown (.md)", visible=False, elem_id="tai-md")
    preview = gr.Markdown(elem_id="xem-truoc-tom-tat")

    def make_briefing(topic: str, date_from: str, date_to: str, request: gr.Request) -> tuple[str, Any, Any]:
        result = briefing.make_briefing(topic, date_from, date_to, user=request.username)
        docx, md = result.file(".docx"), result.file(".md")
        return (
            result.preview,
            gr.DownloadButton(value=str(docx) if docx else None, visible=docx is not None),
            gr.DownloadButton(value=str(md) if md else None, visible=md is not None),
        )

    inputs, outputs = [topic, date_from, date_to], [preview, docx_file, md_file]
    make.click(make_briefing, inputs, outputs, api_name="tom_tat", concurrency_id="tom_tat")
    topic.submit(make_briefing, inputs, outputs, api_visibility="private", concurrency_id="tom_tat")
