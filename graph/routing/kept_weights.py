"""Fitted weights kept on disk between starts (DATA_DIR/models), as numpy arrays in one
.npz file named by a digest of what they were fitted from."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def keep(path: Path, **arrays: np.ndarray) -> None:
    """Write the arrays to `path`, whole or not at all: another process may be reading it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial.npz")
    np.savez(partial, **arrays)
    partial.replace(path)


def kept(path: Path) -> dict[str, np.ndarray]:
    """The arrays kept at `path` (OSError or ValueError when it is unreadable)."""
    with np.load(path) as saved:
        return {name: saved[name] for name in saved.files}
