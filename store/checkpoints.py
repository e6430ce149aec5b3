"""LangGraph's Postgres checkpointer, noting which checkpoints each thread's turn writes.

A failed turn is rolled back by deleting what it wrote (api/sessions.py). Finding that out
used to cost every turn a query before it ran (the thread's latest checkpoint, to delete
what came after it); the checkpointer itself knows, at no cost, because every write goes
through it. Turns of one thread never overlap (they hold the session's lock), so a note
per thread is the note of its one running turn.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver


class TurnCheckpointSaver(AsyncPostgresSaver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._written: dict[str, list[str]] = {}

    def begin_turn(self, thread_id: str) -> None:
        """Start noting the checkpoints written to `thread_id`."""
        self._written[thread_id] = []

    def end_turn(self, thread_id: str) -> list[str]:
        """Stop noting; the ids of the checkpoints written since `begin_turn`."""
        return self._written.pop(thread_id, [])

    def written(self, thread_id: str) -> list[str]:
        return list(self._written.get(thread_id, ()))

    async def aput(self, config, checkpoint, metadata, new_versions):
        noted = self._written.get(config["configurable"]["thread_id"])
        if noted is not None:
            # Noted before the write: a write that fails or is cancelled part-way may still
            # have reached the table, and the rollback must find it.
            noted.append(checkpoint["id"])
        return await super().aput(config, checkpoint, metadata, new_versions)
