"""Fitted weights kept on disk between starts (DATA_DIR/models), as numpy arrays in one
.npz file named by a digest of what they were fitted from: `<kind>-<digest>.npz`."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def keep(path: Path, **arrays: np.ndarray) -> None:
    """Write the arrays to `path`, whole or not at all: another process may be reading it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial.npz")
    np.savez(partial, **arrays)
    partial.replace(path)
    _forget_others(path)


def _forget_others(path: Path) -> None:
    """Weights fitted from other examples are never read again once these are kept, and
    each change of examples would otherwise leave one more file behind. A replica still
    running the old examples that starts later fits its own again; it does not fail."""
    kind, _, _ = path.stem.rpartition("-")
    same_kind = re.compile(rf"{re.escape(kind)}-[0-9a-f]{{16}}\.npz")
    for other in path.parent.iterdir():
        if other != path and same_kind.fullmatch(other.name):
            try:
                other.unlink()
            except OSError as error:  # another replica may have removed it first
                log.debug("kept weights: could not remove %s: %s", other, error)


def kept(path: Path) -> dict[str, np.ndarray]:
    """The arrays kept at `path` (OSError or ValueError when it is unreadable)."""
    with np.load(path) as saved:
        return {name: saved[name] for name in saved.files}
