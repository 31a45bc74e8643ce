"""The Sketcher port on datasketch: MinHash sketches of shingle sets and an in-memory LSH index over them.

Sketches travel and are stored as bytes; the number of permutations, the seed and the hashing scheme are fixed and
recorded with the store, because sketches made otherwise cannot be compared."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"            # datasketch >= 2.0; stored sketches are only comparable within one scheme


class MinHashIndex:
    """MinHash LSH: candidate keys whose sketches may be near ``threshold`` Jaccard or above."""

    def __init__(self, threshold: float) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._keys: set[str] = set()

    def add(self, key: str, sketch: bytes) -> None:
        if key not in self._keys:
            self._lsh.insert(key, _from_bytes(sketch))
            self._keys.add(key)

    def candidates(self, sketch: bytes) -> list[str]:
        return sorted(self._lsh.query(_from_bytes(sketch)))


class MinHashSketcher:
    """Builds sketches and LSH indexes that look for candidates at or above ``threshold`` Jaccard."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    @property
    def params(self) -> dict[str, str]:
        return {"num_perm": str(NUM_PERM), "scheme": SCHEME}

    def sketch(self, shingles: Iterable[str]) -> bytes:
        from datasketch import MinHash

        m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
        m.update_batch([s.encode("utf-8") for s in sorted(shingles)])
        return bytes(m.hashvalues.tobytes())

    def index(self) -> MinHashIndex:
        return MinHashIndex(self.threshold)


def _from_bytes(data: bytes) -> Any:
    import numpy as np
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint32))
