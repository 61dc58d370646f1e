"""`Restorer`: what the retriever needs of a diacritic restorer, and nothing more.

Two classes fulfil it: `DiacriticRestorer` (the model itself, used by tests and benchmarks) and
`RestorerFile` (the model file beside an index, reloaded when ingestion updates it; what the app uses).
The retriever used to annotate the model and receive the file; the Protocol names what both offer.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Restorer(Protocol):
    def restore(self, text: str) -> str:
        """`text` with diacritics restored where they were missing (unchanged if fully accented)."""
        ...
