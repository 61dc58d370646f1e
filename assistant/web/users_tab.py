"""The «Người dùng» tab: admins list, add, change, reset, unlock and remove accounts from the app.

Hidden until the page load finds the logged-in user is an admin (and hidden again for anyone else);
hiding is for the eye only, every handler in `user_admin_handlers` checks the role on the server. Every
event is private (not in the API page) and returns empty password boxes, success or not, so a typed
password never stays on the page. Removing asks first, naming the account.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.web.accounts import ROLE_LABELS, ROLES
from assistant.web.permissions import Permissions
from assistant.web.user_admin_handlers import UserAdminHandlers, UsersView

TAB_LABEL = "Người dùng"
ROLE_CHOICES = [(f"{ROLE_LABELS[role]} ({role})", role) for role in ROLES]
PRIVATE: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}


def users_tab(permissions: Permissions, db_dir: Path, demo: gr.Blocks) -> gr.Tab:
    """The tab, to be called inside the app's `gr.Tabs()`; wires its events and its page-load check."""
    handlers = UserAdminHandlers(permissions, db_dir)
    with gr.Tab(TAB_LABEL, id="nguoi-dung", visible=False) as tab:
        gr.Markdown(
            "Chỉ quản trị viên thấy mục này. Vai trò: người xem (hỏi đáp, soạn tóm tắt), biên tập viên "
            "(thêm: nạp, thay thế, xoá bài), quản trị viên (thêm: quản lý người dùng). Mọi thay đổi được "
            "ghi vào nhật ký thay đổi; mật khẩu thì không."
        )
        message = gr.Markdown(elem_id="ket-qua-nguoi-dung")
        table = gr.HTML("", elem_id="ds-nguoi-dung")
        reload = gr.Button("Tải lại danh sách", size="sm", elem_id="tai-lai-nguoi-dung")
        with gr.Accordion("Thêm người dùng", open=True):
            with gr.Row():
                new_name = gr.Textbox(label="Tên đăng nhập", max_lines=1, elem_id="ten-moi")
                new_role = gr.Radio(ROLE_CHOICES, value="viewer", label="Vai trò", elem_id="vai-tro-moi")
            with gr.Row():
                new_password = gr.Textbox(label="Mật khẩu", type="password", elem_id="mat-khau-moi")
                new_repeat = gr.Textbox(label="Nhập lại mật khẩu", type="password", elem_id="nhap-lai-moi")
            add = gr.Button("Thêm người dùng", variant="primary", elem_id="them-nguoi-dung")
        with gr.Accordion("Sửa một tài khoản", open=True):
            chosen = gr.Dropdown([], label="Người dùng", elem_id="chon-nguoi-dung")
            with gr.Row():
                role = gr.Radio(ROLE_CHOICES, label="Vai trò mới", elem_id="vai-tro")
                change_role = gr.Button("Đổi vai trò", elem_id="doi-vai-tro")
            with gr.Row():
                password = gr.Textbox(label="Mật khẩu mới", type="password", elem_id="mat-khau")
                repeat = gr.Textbox(label="Nhập lại mật khẩu mới", type="password", elem_id="nhap-lai")
                reset = gr.Button("Đặt lại mật khẩu", elem_id="dat-lai-mat-khau")
            with gr.Row():
                unlock = gr.Button("Gỡ tạm khoá đăng nhập", elem_id="go-khoa")
                ask_remove = gr.Button("Xoá người dùng…", variant="stop", elem_id="xoa-nguoi-dung")
            with gr.Group(visible=False, elem_id="xac-nhan-xoa") as confirmation:
                question = gr.Markdown()
                with gr.Row():
                    confirm = gr.Button("Xoá hẳn", variant="stop", elem_id="xac-nhan-xoa-nguoi-dung")
                    cancel = gr.Button("Huỷ", elem_id="huy-xoa")
        pending = gr.State(None)  # the account the confirmation names

    def shown(view: UsersView, selected: str | None = None) -> tuple[Any, Any, Any]:
        names = view.names
        keep = selected if selected in names else None
        return (
            html.escape(view.message, quote=False),
            users_table_html(view),
            gr.Dropdown(choices=names, value=keep),
        )

    listing = [message, table, chosen]

    def on_load(request: gr.Request) -> tuple[Any, ...]:
        admin = handlers.refusal(request.username) is None
        view = handlers.listing(request.username) if admin else UsersView("", refused=True)
        return gr.Tab(visible=admin), *shown(view)

    def on_add(name: str, new: str, typed: str, again: str, request: gr.Request) -> tuple[Any, ...]:
        view = handlers.add(request.username, name, new, typed, again)
        done = view.message.startswith("✅")
        return *shown(view), "" if done else name, "", ""

    def still_admin(request: gr.Request) -> Any:
        """After a change to one's own account: the tab goes once its user is no admin any more."""
        return gr.Tab(visible=handlers.refusal(request.username) is None)

    def on_role(name: str, new: str, request: gr.Request) -> tuple[Any, ...]:
        return *shown(handlers.change_role(request.username, name, new), name), still_admin(request)

    def on_choose(name: str | None, request: gr.Request) -> Any:
        return gr.Radio(value=handlers.role_of_account(request.username, name))

    def on_reload(request: gr.Request) -> tuple[Any, ...]:
        return shown(handlers.listing(request.username))

    def on_reset(name: str, typed: str, again: str, request: gr.Request) -> tuple[Any, ...]:
        return *shown(handlers.reset_password(request.username, name, typed, again), name), "", ""

    def on_unlock(name: str, request: gr.Request) -> tuple[Any, ...]:
        return shown(handlers.lift_lockout(request.username, name), name)

    def on_ask_remove(name: str, request: gr.Request) -> tuple[Any, ...]:
        asked = handlers.removal_question(request.username, name)
        if asked is None:
            view = handlers.listing(request.username, "⚠️ Chưa chọn người dùng để xoá.")
            return *shown(view, name), gr.Group(visible=False), "", None
        return "", gr.skip(), gr.skip(), gr.Group(visible=True), html.escape(asked, quote=False), name

    def on_remove(name: str | None, request: gr.Request) -> tuple[Any, ...]:
        if not name:
            return *shown(handlers.listing(request.username)), gr.Group(visible=False), "", None, gr.skip()
        view = handlers.remove(request.username, name)
        return *shown(view), gr.Group(visible=False), "", None, still_admin(request)

    def on_cancel(request: gr.Request) -> tuple[Any, ...]:
        view = handlers.listing(request.username, "Đã huỷ, không xoá ai.")
        return *shown(view), gr.Group(visible=False), "", None

    demo.load(on_load, None, [tab, *listing], **PRIVATE)
    reload.click(on_reload, None, listing, **PRIVATE)
    add.click(
        on_add,
        [new_name, new_role, new_password, new_repeat],
        [*listing, new_name, new_password, new_repeat],
        **PRIVATE,
    )
    chosen.change(on_choose, [chosen], role, **PRIVATE)
    change_role.click(on_role, [chosen, role], [*listing, tab], **PRIVATE)
    reset.click(on_reset, [chosen, password, repeat], [*listing, password, repeat], **PRIVATE)
    unlock.click(on_unlock, [chosen], listing, **PRIVATE)
    asking = [*listing, confirmation, question, pending]
    ask_remove.click(on_ask_remove, [chosen], asking, **PRIVATE)
    confirm.click(on_remove, [pending], [*asking, tab], **PRIVATE)
    cancel.click(on_cancel, None, asking, **PRIVATE)
    return tab


def users_table_html(view: UsersView) -> str:
    """The accounts as an HTML table (every name escaped)."""
    if not view.rows:
        return ""
    body = "".join(
        f"<tr><td>{html.escape(row.name)}</td><td>{html.escape(row.role)}</td>"
        f"<td>{html.escape(row.status)}</td></tr>"
        for row in view.rows
    )
    return (
        "<table class='ds-nguoi-dung'><thead><tr><th>Tên đăng nhập</th><th>Vai trò</th>"
        f"<th>Đăng nhập</th></tr></thead><tbody>{body}</tbody></table>"
    )
