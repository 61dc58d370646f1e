"""Dense vectors: the Chroma collection, its on-disk checks, and exact completion of the candidates."""
