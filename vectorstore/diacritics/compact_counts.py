"""A read-only string -> count table in two numpy arrays, for the diacritic model an app only reads.

Measured on an archive of 35k articles (100k chunks, bench/scale.py): the restorer's n-gram Counters
held 1.2 GB of the app's 2.4 GB, about 150 bytes per entry for 6.5M trigrams and 1.6M bigrams.
Here an entry is a 64-bit hash and a 32-bit count, 12 bytes. Python's `hash` of a str is salted per
process, which is fine: the arrays are built from the saved model's keys in the process that reads
them, never stored. A key absent from the table shares a present key's 64-bit hash with odds around
10^-12 per lookup at this size, and then reads a wrong count, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

_MAX_COUNT = np.iinfo(np.uint32).max


class CompactCounts:
    """`get(key, default)` over a frozen copy of `table`: the part of `Counter` the decoder uses."""

    def __init__(self, table: Mapping[str, int]) -> None:
        size = len(table)
        hashes = np.fromiter(map(hash, table.keys()), dtype=np.int64, count=size)
        counts = np.fromiter(table.values(), dtype=np.int64, count=size)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._counts = np.minimum(counts[order], _MAX_COUNT).astype(np.uint32)
        self._size = size

    def get(self, key: str, default: int = 0) -> int:
        wanted = hash(key)
        position = int(self._hashes.searchsorted(wanted))
        if position < self._size and self._hashes[position] == wanted:
            return int(self._counts[position])
        return default

    def __len__(self) -> int:
        return self._size

    @property
    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._counts.nbytes)
