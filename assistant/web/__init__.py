"""The Gradio front end. `layout.build_ui(assistant)` returns the Blocks app; the handlers behind its
events are plain functions testable without a browser (`chat_handlers`, `archive_handlers`,
`briefing_handlers`), HTML/Markdown is produced in `rendering`, `answer_message`, `archive_view`, and
`access` decides who may connect. `page_assets` holds the stylesheet and the copy script."""
