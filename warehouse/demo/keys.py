"""Keys of the synthetic records, made as real ingest makes them: ``Pseudonymizer(key,
namespace)`` applied to synthetic source ids ("DEMO-C-000001", ...)."""

from __future__ import annotations

import numpy as np

from warehouse.pseudonym import Pseudonymizer

DIGEST = 32  # bytes of a key (HMAC-SHA-256)


def source_id(kind: str, index: int) -> str:
    """The synthetic source id of record ``index`` (0-based): "DEMO-C-000001" is case 0."""
    return f"DEMO-{kind}-{index + 1:06d}"


class SourceKeys:
    """The keys of ``n`` synthetic records of one kind ("C" cases, "R" hotline reports),
    made once and kept as 32 bytes each, and the records in key order."""

    def __init__(self, pseudonymize: Pseudonymizer, kind: str, n: int):
        raw = pseudonymize.digests(source_id(kind, i) for i in range(n))
        self._digests = np.frombuffer(raw, np.uint8).reshape(n, DIGEST)
        # Byte order is hex order, so the first 8 bytes sort like the stored hex keys; two
        # keys sharing them (odds about 1 in 10^7 at a million) merely stay in number order.
        first = np.frombuffer(raw, ">u8")[:: DIGEST // 8]
        self.order = np.argsort(first, kind="stable")

    def hex(self, index: np.ndarray) -> np.ndarray:
        """The stored keys (64 hex digits) of the records at ``index``, as an object array."""
        text = self._digests[index].tobytes().hex()
        width = 2 * DIGEST
        return np.array([text[i : i + width] for i in range(0, len(text), width)], dtype=object)
