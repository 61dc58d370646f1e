"""The Gradio front end: `build_ui(assistant)` returns the Blocks app; handlers are plain functions."""
