"""A failed turn is undone from what the checkpointer noted it wrote (store/checkpoints.py):
no query before the turn, and nothing of an earlier turn touched."""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from typing import Annotated, TypedDict

import pytest
from langgraph.graph import END, START, StateGraph

from api.ratelimit import Limit, make_limiter
from api.sessions import SessionService
from graph.graph import CONFIG_KEY_DURABILITY
from store.checkpoints import TurnCheckpointSaver
from store.session_locks import SessionLocks
from store.sessions import SessionStore

pytestmark = pytest.mark.db


class Said(TypedDict):
    said: Annotated[list[str], operator.add]


def echo(state: Said) -> dict:
    return {"said": ["reply"]}


@pytest.fixture(scope="module")
async def saver(pool):
    saver = TurnCheckpointSaver(pool)
    await saver.setup()
    return saver


@pytest.fixture(scope="module")
def graph(saver):
    builder = StateGraph(Said)
    builder.add_node("echo", echo)
    builder.add_edge(START, "echo")
    builder.add_edge("echo", END)
    # As the service runs it: the thread is written once, when the turn ends.
    return builder.compile(checkpointer=saver).with_config(
        configurable={CONFIG_KEY_DURABILITY: "exit"}
    )


@pytest.fixture
async def sessions(pool, saver, database_url):
    locks = SessionLocks(database_url)
    service = SessionService(
        SessionStore(pool, 24),
        locks,
        make_limiter(None),
        Limit.parse("1000/minute"),
        saver,
        turn_wait=dt.timedelta(seconds=5),
    )
    yield service
    await locks.close()


async def checkpoint_ids(pool, thread: str) -> list[str]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT checkpoint_id FROM checkpoints WHERE thread_id = %s ORDER BY checkpoint_id",
            (thread,),
        )
        return [row["checkpoint_id"] for row in await cur.fetchall()]


async def test_the_saver_notes_only_what_a_turn_wrote(saver, graph):
    thread = str(uuid.uuid4())
    config = {"configurable": {"thread_id": thread}}
    await graph.ainvoke({"said": ["hello"]}, config)  # not noted: no turn was begun
    saver.begin_turn(thread)
    await graph.ainvoke({"said": ["again"]}, config)
    noted = saver.end_turn(thread)
    latest = (await saver.aget_tuple(config)).config["configurable"]["checkpoint_id"]
    assert noted == [latest]
    assert saver.end_turn(thread) == []


async def test_a_turn_that_fails_after_its_write_leaves_the_thread_as_it_was(sessions, graph, pool):
    thread = str(uuid.uuid4())
    config = {"configurable": {"thread_id": thread}}
    async with sessions.turn(thread):
        await graph.ainvoke({"said": ["first"]}, config)
    kept = await checkpoint_ids(pool, thread)
    assert len(kept) == 1

    with pytest.raises(RuntimeError):
        async with sessions.turn(thread):
            await graph.ainvoke({"said": ["second"]}, config)
            assert len(await checkpoint_ids(pool, thread)) == 2  # written...
            raise RuntimeError("the client went away")  # ...then the turn fails

    assert await checkpoint_ids(pool, thread) == kept
    state = await graph.aget_state(config)
    assert state.values["said"] == ["first", "reply"]


async def test_a_first_turn_that_fails_leaves_no_thread_and_no_session(sessions, graph, pool):
    thread = str(uuid.uuid4())
    with pytest.raises(RuntimeError):
        async with sessions.turn(thread):
            await graph.ainvoke({"said": ["first"]}, {"configurable": {"thread_id": thread}})
            raise RuntimeError("failed after the write")
    assert await checkpoint_ids(pool, thread) == []
    assert await sessions.store.get_live(thread) is None
