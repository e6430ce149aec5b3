"""How logs name what must not be logged: a session id is the only credential to its
conversation, so logs carry a short hash of it instead (the same hash every time, so one
session's lines can still be followed)."""

from __future__ import annotations

import hashlib
import re

_SESSION_PATH = re.compile(r"^(/api/sessions/)([^/]+)")


def session_tag(session_id: str | None) -> str:
    """A session as logs name it: `s:` and 12 hex digits of its SHA-256."""
    if not session_id:
        return "-"
    return "s:" + hashlib.sha256(session_id.encode()).hexdigest()[:12]


def redact_path(path: str) -> str:
    """A request path fit for a log line: a session id in it becomes its tag."""
    return _SESSION_PATH.sub(lambda m: m.group(1) + session_tag(m.group(2)), path)
