"""Votes on answers (👍 / 👎 and corrections) kept beside the index, and their export as an evaluation set."""
