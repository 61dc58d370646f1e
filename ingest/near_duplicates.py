"""SimHash fingerprints: the same story republished with small edits gets (nearly) the same 64 bits.

Shingles are accent-folded word trigrams, so a republication that only fixed diacritics or a few words
stays within a few bits; the store links articles within 3 bits as one story.
"""

from __future__ import annotations

import hashlib

from ingest.vietnamese_text import folded_tokens

_BITS = 64


def simhash(text: str) -> int:
    """64-bit SimHash of `text` (0 for texts too short to fingerprint)."""
    tokens = folded_tokens(text)
    shingles = [" ".join(tokens[i : i + 3]) for i in range(max(len(tokens) - 2, 0))]
    if not shingles:
        return 0
    weights = [0] * _BITS
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(_BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(_BITS) if weights[bit] > 0)


def hamming_distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
