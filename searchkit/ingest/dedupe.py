"""Near-duplicate detection: the same story republished with small edits.

SimHash (64 bits) over 3-word shingles of the article's text; two articles are near-duplicates when
their fingerprints differ in at most ``MAX_DISTANCE`` bits (Manku et al., WWW 2007: k=3 for 64 bits).
Candidates come from four 16-bit bands: two fingerprints within 3 bits share at least one band exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from hashlib import blake2b

import numpy as np

MAX_DISTANCE = 3
_BANDS = 4
_BAND_BITS = 64 // _BANDS
_WORD = re.compile(r"\w+")
_BIT_WEIGHTS = np.uint64(1) << np.arange(64, dtype=np.uint64)


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text``'s word 3-shingles (0 for a text of fewer than 3 words)."""
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return 0
    shingles = {" ".join(words[i : i + 3]).encode("utf-8") for i in range(len(words) - 2)}
    hashes = np.fromiter(
        (int.from_bytes(blake2b(s, digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64,
        count=len(shingles),
    )
    ones = ((hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)).sum(axis=0)
    return int(_BIT_WEIGHTS[ones * 2 > len(shingles)].sum())


class NearDuplicates:
    """Fingerprints seen so far, to find the first near-copy of a new one."""

    def __init__(self) -> None:
        self._bands: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)

    def add(self, key: str, fingerprint: int) -> None:
        if fingerprint:
            for band in _bands(fingerprint):
                self._bands[band].append((key, fingerprint))

    def find(self, fingerprint: int) -> str | None:
        """The key of the first fingerprint added within ``MAX_DISTANCE`` bits, or None."""
        if not fingerprint:
            return None
        for band in _bands(fingerprint):
            for key, other in self._bands.get(band, ()):
                if (fingerprint ^ other).bit_count() <= MAX_DISTANCE:
                    return key
        return None


def _bands(fingerprint: int) -> list[tuple[int, int]]:
    mask = (1 << _BAND_BITS) - 1
    return [(i, (fingerprint >> (i * _BAND_BITS)) & mask) for i in range(_BANDS)]
