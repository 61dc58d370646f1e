"""BM25 over exact and accent-folded terms: the terms, the streaming build and the index."""
