"""LangSmith tracing: on when LANGSMITH_API_KEY is set, absent (and free) otherwise."""

from __future__ import annotations

import os

from config.settings import Settings


def configure_tracing(settings: Settings) -> bool:
    """Turn LangChain's LangSmith tracing on when a key is configured; return whether it is.

    An explicit LANGSMITH_TRACING=false still wins, for a keyed machine that wants quiet.
    """
    if not settings.langsmith_api_key:
        return False
    os.environ.setdefault("LANGSMITH_API_KEY", settings.langsmith_api_key.get_secret_value())
    os.environ.setdefault("LANGSMITH_PROJECT", settings.langsmith_project)
    os.environ.setdefault("LANGSMITH_TRACING", "true")
    return os.environ["LANGSMITH_TRACING"].lower() == "true"
