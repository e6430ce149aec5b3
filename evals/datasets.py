"""Loading eval datasets (JSONL) with a clear error for any line that breaks the format."""

from __future__ import annotations

import json
from pathlib import Path

ROUTES = {"certification", "trip", "safety", "general", "off_topic", "emergency"}


class DatasetError(ValueError):
    pass


def _lines(path: Path) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{path}:{number}: each line must be a JSON object")
        rows.append((number, row))
    if not rows:
        raise DatasetError(f"{path}: the dataset is empty")
    return rows


def _require(path: Path, number: int, row: dict, key: str, kind: type) -> None:
    if not isinstance(row.get(key), kind):
        raise DatasetError(f"{path}:{number}: '{key}' must be a {kind.__name__}")


def load_routing(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        _require(path, number, row, "query", str)
        if row.get("expected_route") not in ROUTES:
            raise DatasetError(f"{path}:{number}: expected_route must be one of {sorted(ROUTES)}")
        history = row.get("history") or []
        if not isinstance(history, list) or any(
            not isinstance(h, dict)
            or h.get("role") not in ("user", "assistant")
            or not isinstance(h.get("content"), str)
            for h in history
        ):
            raise DatasetError(f"{path}:{number}: history must be a list of {{role, content}}")
        rows.append({**row, "history": history})
    return rows


def load_emergency(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        _require(path, number, row, "message", str)
        _require(path, number, row, "is_emergency", bool)
        rows.append(row)
    return rows
