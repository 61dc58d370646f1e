"""The 👍 / 👎 on each answer and the short form a 👎 opens, wired into the chat tab.

The thumbs are Gradio's own chatbot feedback icons (`feedback_options=("Like", "Dislike")`, shown once a
`.like` listener exists); what they do is in `feedback_handlers`. Built where it is called, under the
chatbot, so `layout.py` needs one call.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.web.conversation_state import Conversation
from assistant.web.feedback_handlers import FeedbackHandlers, SessionVotes

FEEDBACK_OPTIONS = ("Like", "Dislike")  # exactly these strings render as 👍 / 👎 icons


def feedback_controls(chatbot: gr.Chatbot, conversation: gr.State, handlers: FeedbackHandlers) -> None:
    """The status line and the hidden 👎 form under `chatbot`, and the like event of its answers."""
    votes = gr.State(SessionVotes())
    status = gr.Markdown(elem_id="gop-y-trang-thai")
    with gr.Group(visible=False, elem_id="gop-y-sai") as form:
        gr.Markdown("**Câu trả lời chưa đúng?** Cho biết bài đúng hoặc câu trả lời đúng (không bắt buộc).")
        chosen = gr.Radio([], label="Bài đúng (trong các bài đã dẫn hoặc gần nhất)", elem_id="gop-y-bai-dung")
        typed = gr.Textbox(
            label="Hoặc nhập mã bài", placeholder="ví dụ: 004_955a1fbb71e7f89b", elem_id="gop-y-ma-bai"
        )
        right = gr.Textbox(label="Câu trả lời đúng (nếu biết)", max_lines=3, elem_id="gop-y-tra-loi")
        with gr.Row():
            send = gr.Button("Gửi góp ý", variant="primary", size="sm", elem_id="gop-y-gui")
            skip = gr.Button("Bỏ qua", size="sm", elem_id="gop-y-bo-qua")

    def voted(
        conversation: Conversation | None, votes: SessionVotes, data: gr.LikeData, request: gr.Request
    ) -> tuple[Any, ...]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        outcome = handlers.vote(conversation, index, data.liked, votes, user=request.username)
        if outcome.form_choices is None:
            return outcome.status, votes, gr.Group(visible=False), gr.Radio(), gr.Textbox(), gr.Textbox()
        return (
            outcome.status,
            votes,
            gr.Group(visible=True),
            gr.Radio(choices=outcome.form_choices, value=None),
            gr.Textbox(value=""),
            gr.Textbox(value=""),
        )

    def corrected(
        votes: SessionVotes, chosen: str | None, typed: str, right: str, request: gr.Request
    ) -> tuple[Any, ...]:
        message, keep_open = handlers.correct(votes, chosen, typed, right, user=request.username)
        return message, votes, gr.Group(visible=keep_open)

    def skipped(votes: SessionVotes) -> tuple[Any, ...]:
        votes.pending = None
        return "", votes, gr.Group(visible=False)

    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
    chatbot.like(voted, [conversation, votes], [status, votes, form, chosen, typed, right], **private)
    send.click(corrected, [votes, chosen, typed, right], [status, votes, form], **private)
    skip.click(skipped, [votes], [status, votes, form], **private)
