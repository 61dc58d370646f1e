"""Conversations kept per user: the SQLite store in the index folder and their `.md` / `.docx` export."""
