"""Topic briefings: selection, extraction of people and organisations, .md/.docx export."""
