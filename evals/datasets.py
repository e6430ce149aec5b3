"""Loading eval datasets (JSONL) with a clear error for any line that breaks the format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROUTES = {"certification", "trip", "safety", "general", "off_topic", "emergency"}
DATASETS = Path(__file__).resolve().parent / "datasets"
# Every conversation file that may be tuned on, dev and test sets alike; the *_frozen* files
# are never among them. A new dev file joins here when it is committed.
DEV_CONVERSATIONS = (
    "conversations.jsonl",
    "conversations_dev.jsonl",
    "conversations_dev2.jsonl",
    "conversations_dev3.jsonl",
    "conversations_dev4.jsonl",
    "conversations_dev5.jsonl",
    "conversations_dev6.jsonl",
    "conversations_dev7.jsonl",
    "conversations_dev8.jsonl",
    "conversations_dev9.jsonl",
    "conversations_dev10.jsonl",
    "conversations_dev11.jsonl",
    "conversations_dev12.jsonl",
    "conversations_dev13.jsonl",
    "conversations_test.jsonl",
    "conversations_test2.jsonl",
)


def refuse_frozen(paths: list[Path], why: str) -> None:
    """Stop a tool that reads turns one by one before it opens a frozen file."""
    if any("frozen" in path.name for path in paths):
        sys.exit(why)


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


def _history(path: Path, number: int, row: dict) -> list[dict]:
    """The row's optional conversation before the query: a list of {role, content}."""
    history = row.get("history") or []
    if not isinstance(history, list) or any(
        not isinstance(h, dict)
        or h.get("role") not in ("user", "assistant")
        or not isinstance(h.get("content"), str)
        for h in history
    ):
        raise DatasetError(f"{path}:{number}: history must be a list of {{role, content}}")
    return history


def load_routing(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        _require(path, number, row, "query", str)
        if row.get("expected_route") not in ROUTES:
            raise DatasetError(f"{path}:{number}: expected_route must be one of {sorted(ROUTES)}")
        rows.append({**row, "history": _history(path, number, row)})
    return rows


def load_emergency(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        _require(path, number, row, "message", str)
        _require(path, number, row, "is_emergency", bool)
        rows.append(row)
    return rows


def load_retrieval(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        _require(path, number, row, "query", str)
        relevant = row.get("relevant")
        if (
            not isinstance(relevant, list)
            or not relevant
            or not all(isinstance(p, str) for p in relevant)
        ):
            raise DatasetError(f"{path}:{number}: 'relevant' must be a non-empty list of paths")
        filters = row.get("filters")
        if filters is not None and not isinstance(filters, dict):
            raise DatasetError(f"{path}:{number}: 'filters' must be an object")
        rows.append({**row, "history": _history(path, number, row)})
    return rows


def load_conversations(path: Path) -> list[dict]:
    rows = []
    for number, row in _lines(path):
        _require(path, number, row, "id", str)
        turns = row.get("turns")
        if not isinstance(turns, list) or not turns:
            raise DatasetError(f"{path}:{number}: 'turns' must be a non-empty list")
        for turn in turns:
            if not isinstance(turn, dict) or not isinstance(turn.get("user"), str):
                raise DatasetError(f"{path}:{number}: each turn needs a 'user' string")
            if turn.get("expected_route") not in ROUTES:
                raise DatasetError(
                    f"{path}:{number}: expected_route must be one of {sorted(ROUTES)}"
                )
            banned = turn.get("must_not_mention", [])
            if not isinstance(banned, list) or not all(isinstance(b, str) for b in banned):
                raise DatasetError(f"{path}:{number}: must_not_mention must be a list of strings")
            facts = turn.get("must_mention_any", [])
            if not isinstance(facts, list) or not all(
                isinstance(group, list) and group and all(isinstance(a, str) for a in group)
                for group in facts
            ):
                raise DatasetError(
                    f"{path}:{number}: must_mention_any must be a list of non-empty lists of "
                    "strings"
                )
            if not isinstance(turn.get("expects_not_covered", False), bool):
                raise DatasetError(f"{path}:{number}: expects_not_covered must be true or false")
            if not isinstance(turn.get("source", ""), str):
                raise DatasetError(f"{path}:{number}: source must be a content path")
        rows.append(row)
    return rows
