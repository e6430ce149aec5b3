"""Callback handlers shared by the evals, benchmarks and tests."""

from __future__ import annotations

from langchain_core.callbacks import AsyncCallbackHandler


class ModelCallCounter(AsyncCallbackHandler):
    """Counts chat-model calls made under a run (the product allows one per normal turn)."""

    def __init__(self) -> None:
        self.count = 0

    async def on_chat_model_start(self, *args, **kwargs) -> None:
        self.count += 1
