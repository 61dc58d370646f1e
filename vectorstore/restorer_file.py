"""The diacritic restorer that lives beside an index, reloaded when ingestion updates it.

Ingestion teaches the restorer every new article (its words become restorable); a running app sees the
new file on its next question because `current()` compares the file's modification time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from vectorstore.diacritic_restorer import DiacriticModelCorruptedError, DiacriticRestorer

logger = logging.getLogger(__name__)

FILE_NAME = "diacritics.json.gz"


class RestorerFile:
    def __init__(self, db_dir: Path) -> None:
        self.path = db_dir / FILE_NAME
        self._lock = threading.Lock()
        self._loaded: DiacriticRestorer | None = None
        self._mtime: float | None = None

    def current(self) -> DiacriticRestorer | None:
        """The restorer as last saved, or None before anything was ingested (or if the file is damaged)."""
        with self._lock:
            try:
                mtime = self.path.stat().st_mtime
            except FileNotFoundError:
                return None
            if mtime != self._mtime:
                try:
                    self._loaded = DiacriticRestorer.load(self.path)
                except DiacriticModelCorruptedError as exc:
                    logger.warning("%s", exc)
                    self._loaded = None
                self._mtime = mtime
            return self._loaded

    def learn(self, texts: Iterable[str]) -> None:
        """Teach the model `texts` and save it. A fresh copy is updated and swapped in, so threads
        answering questions with the current model never see it change under them."""
        with self._lock:
            restorer = None
            if self.path.exists():
                try:
                    restorer = DiacriticRestorer.load(self.path)
                except DiacriticModelCorruptedError as exc:
                    logger.warning("%s; starting a new restorer", exc)
            if restorer is None:
                restorer = DiacriticRestorer.train(texts)
            else:
                restorer.update(texts)
            restorer.save(self.path)  # atomic: readers see the old file or the new one
            self._loaded = restorer
            self._mtime = self.path.stat().st_mtime

    def retrain(self, texts: Iterable[str]) -> None:
        """Start over from `texts` (after a rebuild, or when the file format changed)."""
        with self._lock:
            restorer = DiacriticRestorer.train(texts)
            restorer.save(self.path)
            self._loaded = restorer
            self._mtime = self.path.stat().st_mtime

    def restore(self, text: str) -> str:
        restorer = self.current()
        return restorer.restore(text) if restorer else text
