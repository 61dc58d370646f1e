"""Question understanding: date filters, the answer type and content terms, follow-up rewriting."""
