"""The article store (SQLite, the source of truth) and the one-writer lock."""
