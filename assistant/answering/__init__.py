"""Answer models, the extractive and LLM answerers, the providers and the citation checker."""
