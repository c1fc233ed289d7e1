"""Constants of the imported IR: weights and biases.

Large constants become `dense_resource` blobs in the module's trailing
`dialect_resources` section (raw little-endian bytes behind a 4-byte
alignment word): smaller than MLIR's other forms and parsed without
tokenizing. Small ones stay inline as `dense<"0x...">` hex literals, exact
either way.
"""

from __future__ import annotations

import re
from typing import Dict, List

import numpy as np

__all__ = ["Constants"]

#: Constants with more bytes than this become dense_resource blobs.
INLINE_LIMIT = 64


class Constants:
    """The blobs of one module, by unique name."""

    def __init__(self) -> None:
        self.blobs: Dict[str, str] = {}

    def literal(self, array: np.ndarray, name: str) -> str:
        """The attribute for `array`: `dense<"0x...">` or `dense_resource<name>`
        (a unique name derived from `name`)."""
        data = np.ascontiguousarray(array)
        raw = data.tobytes().hex().upper()
        if data.nbytes <= INLINE_LIMIT:
            return f'dense<"0x{raw}">'
        key = re.sub(r"[^A-Za-z0-9_]", "_", name) or "blob"
        if key[0].isdigit():
            key = "_" + key
        unique, n = key, 1
        while unique in self.blobs:
            unique, n = f"{key}_{n}", n + 1
        alignment = max(data.dtype.itemsize, 1)
        self.blobs[unique] = f"0x{alignment:02X}000000{raw}"
        return f"dense_resource<{unique}>"

    def section(self) -> List[str]:
        """The `{-# dialect_resources ... #-}` lines, if there are blobs."""
        if not self.blobs:
            return []
        entries = ",\n".join(f'      {k}: "{v}"' for k, v in self.blobs.items())
        return ["{-#", "  dialect_resources: {", "    builtin: {", entries,
                "    }", "  }", "#-}"]
