"""Constants of the imported IR: weights and biases.

Large quantized weights become `dense_resource` blobs in the module's
trailing `dialect_resources` section (a 4-byte little-endian alignment word,
then the raw little-endian bytes), which keeps megabytes of hex out of the
function body. Measured on a Linear 1024x1024: the text is as large and
qnn-opt parses it as fast as inline hex; `qnn-run --emit-object` takes about
8% less CPU. Small constants, and float ones (biases), stay inline as
`dense<"0x...">` hex literals, exact either way.

Why floats stay inline: the lowering scales a bias by constants (onednn's
1 / (x_scale * w_scale), qnnpack's rounding to int32), and MLIR folds that
arithmetic at compile time only for inline `dense` constants, not through
`dense_resource`. A bias blob is consumed correctly, with the same results,
but leaves that arithmetic in the compiled code, run on every call.
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

    def literal(self, array: np.ndarray, name: str, blob: bool = True) -> str:
        """The attribute for `array`: `dense<"0x...">`, or with `blob` and
        above INLINE_LIMIT bytes `dense_resource<name>` (a unique name
        derived from `name`)."""
        data = np.ascontiguousarray(array)
        raw = data.tobytes().hex().upper()
        if not blob or data.nbytes <= INLINE_LIMIT:
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
