"""Shared fixtures. Database tests run on a real Postgres: the embedded server (a
`dovvybuddy_test` database beside the dev one) or TEST_DATABASE_URL when it is set."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Tests never reach a hosted model, whatever the developer's .env says.
for variable in ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY", "LANGSMITH_API_KEY"):
    os.environ.pop(variable, None)
os.environ["CHAT_MODEL"] = "offline/extractive"
os.environ["EMBEDDING_MODEL"] = "local/all-MiniLM-L6-v2"

import psycopg
import pytest
from psycopg import sql

from config.settings import PROJECT_ROOT, Settings, get_settings

TEST_DB = "dovvybuddy_test"


def drop_embedded_database(name: str) -> None:
    """Drops the database `name` of the embedded server, if it exists."""
    from store.database import resolve_database_url

    admin = resolve_database_url(Settings(database_url=None), database="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def fresh_embedded_database(name: str) -> str:
    """The URL of an empty database `name` on the embedded server, made anew."""
    from store.database import resolve_database_url

    drop_embedded_database(name)
    return resolve_database_url(Settings(database_url=None), database=name)


def _fresh_test_database() -> str:
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        return explicit
    return fresh_embedded_database(TEST_DB)


@pytest.fixture(scope="session")
def database_url() -> str:
    from store.migrate import upgrade

    url = _fresh_test_database()
    upgrade(url)
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    return url


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def embeddings(settings):
    from chains.models import load_embeddings

    return load_embeddings(settings)


@pytest.fixture(scope="session")
async def pool(database_url):
    from store.pool import open_pool

    pool = await open_pool(database_url, max_size=6)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def indexed_corpus(pool, embeddings):
    """The real content/ corpus, indexed once for the session."""
    from ingest.pipeline import run_ingest

    return await run_ingest(pool, embeddings, PROJECT_ROOT / "content")


@pytest.fixture(scope="module")
async def graph(settings, pool, embeddings, indexed_corpus):
    """The whole chat graph on the real corpus, with the offline answerer (a module may
    define its own `graph` with another context)."""
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    from graph.context import Context
    from graph.graph import compile_chat_graph

    checkpointer = AsyncPostgresSaver(pool)
    await checkpointer.setup()
    context = await Context.create(settings, pool, embeddings=embeddings)
    return compile_chat_graph(checkpointer, context)


@pytest.fixture
def conversation(graph):
    """A fresh thread: `await conversation(text)` gives the state and the model calls."""
    import uuid

    from langchain_core.messages import HumanMessage

    from chains.callbacks import ModelCallCounter

    thread = str(uuid.uuid4())

    async def turn(text: str) -> tuple[dict, int]:
        calls = ModelCallCounter()
        config = {"configurable": {"thread_id": thread}, "callbacks": [calls]}
        state = await graph.ainvoke({"messages": [HumanMessage(text)]}, config)
        return state, calls.count

    return turn
