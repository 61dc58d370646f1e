"""The diacritic restorer that lives beside an index, reloaded when ingestion updates it.

Ingestion teaches the restorer every new article (its words become restorable); a running app sees the
new file on its next question because `current()` compares the file's modification time.

The file is derived data: given the stored articles (`stored_texts`), a damaged file is retrained from
them instead of leaving questions unrestored (or, worse, a fresh model that knows only the next batch).
A full disk while saving is reported as `DiskFullError`, leaving the previous file intact.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from vectorstore.diacritics.restorer import DiacriticModelCorruptedError, DiacriticRestorer
from vectorstore.error_translation import says_disk_full
from vectorstore.index_errors import DiskFullError, IndexAccessError

logger = logging.getLogger(__name__)

FILE_NAME = "diacritics.json.gz"


class RestorerFile:
    def __init__(self, db_dir: Path, stored_texts: Callable[[], Iterable[str]] | None = None) -> None:
        self.path = db_dir / FILE_NAME
        self._stored_texts = stored_texts
        self._lock = threading.Lock()
        self._loaded: DiacriticRestorer | None = None
        self._mtime: float | None = None

    def current(self) -> DiacriticRestorer | None:
        """The restorer as last saved (retrained if damaged), or None before anything was ingested."""
        with self._lock:
            try:
                mtime = self.path.stat().st_mtime
            except FileNotFoundError:
                return None
            if mtime != self._mtime:
                try:
                    self._loaded = DiacriticRestorer.load(self.path, read_only=True)
                except DiacriticModelCorruptedError as exc:
                    logger.warning("%s", exc)
                    self._loaded = self._retrained_copy()
                    mtime = self.path.stat().st_mtime if self.path.exists() else mtime
                self._mtime = mtime
            return self._loaded

    def _retrained_copy(self) -> DiacriticRestorer | None:
        """A damaged file, retrained from the stored articles and saved if the disk allows it."""
        if self._stored_texts is None:
            return None
        logger.warning("Retraining the diacritic model %s from the stored articles", self.path)
        restorer = DiacriticRestorer.train(self._stored_texts())
        try:
            self._save(restorer)
        except (DiskFullError, IndexAccessError) as exc:  # answering questions must not fail on this
            logger.warning("%s", exc)
            return restorer  # unsaved: serve the trainable model rather than none
        # Saved: serve it read-only like any other loaded file (a tenth of the memory).
        del restorer
        return DiacriticRestorer.load(self.path, read_only=True)

    def _save(self, restorer: DiacriticRestorer) -> None:
        """Atomic save; on failure the half-written temporary file is removed and the old file stays."""
        try:
            restorer.save(self.path)
        except OSError as exc:
            self.path.with_name(self.path.name + ".partial").unlink(missing_ok=True)
            if says_disk_full(exc) or exc.errno == errno.EFBIG:
                raise DiskFullError(self.path, str(exc)) from exc
            raise IndexAccessError(self.path, str(exc)) from exc

    def learn(self, texts: Iterable[str]) -> None:
        """Teach the model `texts` and save it. A fresh copy is updated and swapped in, so threads
        answering questions with the current model never see it change under them."""
        with self._lock:
            restorer = None
            if self.path.exists():
                try:
                    restorer = DiacriticRestorer.load(self.path)
                except DiacriticModelCorruptedError as exc:
                    logger.warning("%s; retraining it", exc)
                    if self._stored_texts is not None:  # the stored articles include `texts`
                        restorer = DiacriticRestorer.train(self._stored_texts())
                        texts = []
            if restorer is None:
                restorer = DiacriticRestorer.train(texts)
            else:
                restorer.update(texts)
            self._save(restorer)  # atomic: readers see the old file or the new one
            self._forget()

    def retrain(self, texts: Iterable[str]) -> None:
        """Start over from `texts` (after a rebuild, or when the file format changed)."""
        with self._lock:
            self._save(DiacriticRestorer.train(texts))
            self._forget()

    def _forget(self) -> None:
        """Drop the model in memory: the next question loads the saved file read-only (a tenth of the
        memory of the trainable model, see compact_counts.py), and an ingest-only process never does."""
        self._loaded = None
        self._mtime = None

    def warm_up(self) -> None:
        """Load the model now (app start) so the first question does not pay for parsing the file:
        about 20 s at 100k chunks."""
        self.current()

    def restore(self, text: str) -> str:
        restorer = self.current()
        return restorer.restore(text) if restorer else text
