"""Turn locks on one connection per process: many at once, exclusive across processes."""

import asyncio
import datetime as dt

import pytest

from store.session_locks import LockTimeout, SessionLocks

pytestmark = pytest.mark.db

SHORT = dt.timedelta(seconds=0.3)


async def test_one_process_holds_many_sessions_on_one_connection(database_url):
    locks = SessionLocks(database_url)
    try:
        sessions = [f"many-{i}" for i in range(60)]
        await asyncio.gather(*(locks.acquire(s, SHORT) for s in sessions))
        assert await locks.held() == 60
        await asyncio.gather(*(locks.release(s) for s in sessions))
        assert await locks.held() == 0
    finally:
        await locks.close()


async def test_a_session_held_by_one_process_waits_in_another(database_url):
    first, second = SessionLocks(database_url), SessionLocks(database_url)
    try:
        await first.acquire("shared", SHORT)
        with pytest.raises(LockTimeout):
            await second.acquire("shared", SHORT)
        await second.acquire("other", SHORT)  # other sessions are not held up

        async def release_soon():
            await asyncio.sleep(0.2)
            await first.release("shared")

        releasing = asyncio.create_task(release_soon())
        await second.acquire("shared", dt.timedelta(seconds=5))  # gets it once let go
        await releasing
        with pytest.raises(LockTimeout):
            await first.acquire("shared", SHORT)
    finally:
        await first.close()
        await second.close()


async def test_a_closed_lock_connection_lets_every_session_go(database_url):
    first, second = SessionLocks(database_url), SessionLocks(database_url)
    try:
        await first.acquire("crashed", SHORT)
        await first.close()  # as when the process dies
        await second.acquire("crashed", SHORT)
    finally:
        await second.close()
