"""Retrieval and answer evaluation over question sets (`python -m assistant eval`)."""
