"""The diacritic restorer learned from the archive, its file and its compact read-only tables."""
