"""The Gradio Blocks layout: chat with a sources panel and filters, archive upload, briefings."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.archive_assistant import ArchiveAssistant
from assistant.web.handlers import WebHandlers

CSS = """
.nguon { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px; margin-bottom: 10px; }
.nguon-tieu-de { font-weight: 600; }
.nguon-ngay { color: #57606a; font-size: 0.9em; }
.nguon-trich { margin: 6px 0; padding-left: 8px; border-left: 3px solid #e3b341; }
.toan-van { white-space: pre-wrap; max-height: 320px; overflow-y: auto; font-size: 0.9em; }
mark { background: #fff3b0; }
"""


def build_ui(assistant: ArchiveAssistant) -> gr.Blocks:
    handlers = WebHandlers(assistant)
    categories, outlets = handlers.facets()
    with gr.Blocks(title="Trợ lý tra cứu lưu trữ", analytics_enabled=False) as demo:
        gr.Markdown(f"# Trợ lý tra cứu lưu trữ\nChế độ trả lời: **{assistant.mode}**")
        with gr.Tab("Hỏi đáp"):
            turns = gr.State([])
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Cuộc trò chuyện", height=480)
                    question = gr.Textbox(
                        label="Câu hỏi", placeholder="Nhập câu hỏi (có dấu hoặc không dấu)…"
                    )
                    with gr.Row():
                        send = gr.Button("Gửi", variant="primary")
                        reset = gr.Button("Cuộc trò chuyện mới")
                    gr.Examples(handlers.example_questions(), inputs=question, label="Câu hỏi mẫu")
                    with gr.Accordion("Bộ lọc", open=False):
                        with gr.Row():
                            date_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy")
                            date_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy")
                        with gr.Row():
                            category = gr.Dropdown(categories, value=categories[0], label="Chuyên mục")
                            outlet = gr.Dropdown(outlets, value=outlets[0], label="Nguồn đăng")
                with gr.Column(scale=2):
                    gr.Markdown("### Nguồn trích dẫn")
                    sources = gr.HTML("<div class='nguon-trong'>Nguồn trích dẫn sẽ hiện ở đây.</div>")
            inputs = [question, chat, turns, date_from, date_to, category, outlet]
            outputs = [chat, sources, turns, question]
            send.click(handlers.ask, inputs, outputs, api_name="hoi")
            question.submit(handlers.ask, inputs, outputs, api_name=False)
            reset.click(handlers.new_conversation, None, outputs, api_name="cuoc_tro_chuyen_moi")
        with gr.Tab("Kho lưu trữ"):
            stats = gr.Markdown(handlers.stats())
            files = gr.File(
                label="Tải tệp lên (txt, html, md, pdf, docx, jsonl)", file_count="multiple", type="filepath"
            )
            upload = gr.Button("Nạp vào kho", variant="primary")
            message = gr.Markdown()
            report = gr.Dataframe(
                headers=["Tệp", "Mã bài", "Trạng thái", "Lý do"],
                label="Báo cáo nạp kho",
                wrap=True,
                interactive=False,
            )

            def do_upload(paths: list[str] | None, progress: Any = gr.Progress()) -> tuple[Any, str, str]:  # noqa: B008
                return handlers.upload(paths, lambda fraction, text: progress(fraction, desc=text))

            upload.click(do_upload, files, [report, message, stats], api_name="nap_kho")
        with gr.Tab("Bản tóm tắt nhanh"):
            topic = gr.Textbox(label="Chủ đề", placeholder="ví dụ: đối ngoại nhân dân")
            with gr.Row():
                brief_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy")
                brief_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy")
            make = gr.Button("Soạn bản tóm tắt", variant="primary")
            preview = gr.Markdown()
            downloads = gr.File(label="Tải về (.docx, .md)", file_count="multiple")
            make.click(
                handlers.briefing, [topic, brief_from, brief_to], [preview, downloads], api_name="tom_tat"
            )
    return demo
