"""The `dovvybuddy` command: serve, ingest, chat and database chores."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer

from config.settings import ConfigurationError, Settings, get_settings

app = typer.Typer(help="DovvyBuddy: a chat assistant for scuba divers.", no_args_is_help=True)
db_app = typer.Typer(help="The database: status, migrations, the embedded server.")
ingest_app = typer.Typer(help="The knowledge base: index content/ for retrieval.")
app.add_typer(db_app, name="db")
app.add_typer(ingest_app, name="ingest")

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigurationError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from None


def _database_url(settings: Settings) -> str:
    from store.database import resolve_database_url

    return resolve_database_url(settings)


# --- serve -----------------------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the HTTP API (LangServe playground at /chat/playground/, docs at /docs)."""
    settings = _settings()
    host = host or settings.host
    port = port or settings.port
    # The lifespan prints these too; saying them here helps when start-up is slow.
    os.environ["HOST"], os.environ["PORT"] = host, str(port)
    get_settings.cache_clear()
    import uvicorn

    typer.echo(f"Starting DovvyBuddy on http://{host}:{port}")
    # proxy_headers=False: the app applies FORWARDED_ALLOW_IPS itself (server.py).
    uvicorn.run(
        "server:app",
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )


# --- db --------------------------------------------------------------------------------------
@db_app.command("migrate")
def db_migrate() -> None:
    """Start the embedded database if needed and apply all migrations."""
    from store.migrate import current_revision, upgrade

    settings = _settings()
    url = _database_url(settings)
    upgrade(url)
    typer.echo(f"database at revision {current_revision(url)}")


@db_app.command("status")
def db_status() -> None:
    """Where the database is, whether it runs, its migration revision and index size."""
    from store.database import database_status
    from store.migrate import current_revision, head_revision

    settings = _settings()
    status = database_status(settings)
    kind = "embedded (pgserver)" if status.embedded else "external (DATABASE_URL)"
    typer.echo(f"database:  {kind}")
    if status.data_dir:
        typer.echo(f"data dir:  {status.data_dir}")
    typer.echo(f"running:   {'yes' if status.running else 'no'}")
    if not status.running:
        raise typer.Exit(1 if not status.embedded else 0)
    typer.echo(f"postgres:  {status.server_version}   pgvector: {status.pgvector_version}")
    typer.echo(f"size:      {status.size_bytes / 1e6:.1f} MB")
    typer.echo(f"migration: {current_revision(status.url)} (head {head_revision()})")
    rows = asyncio.run(_index_rows(status.url))
    for row in rows:
        typer.echo(
            f"index:     {row['name']}  {row['embedding_model']} ({row['dimension']} dims), "
            f"{row['files']} files"
        )


async def _index_rows(url: str) -> list[dict]:
    import psycopg

    from store.pool import CONNECTION_KWARGS

    async with await psycopg.AsyncConnection.connect(url, **CONNECTION_KWARGS) as conn:
        exists = await (await conn.execute("SELECT to_regclass('vector_indexes') AS t")).fetchone()
        if not exists["t"]:
            return []
        cur = await conn.execute(
            """
            SELECT v.name, v.embedding_model, v.dimension, count(f.path) AS files
            FROM vector_indexes v LEFT JOIN ingested_files f ON f.index_name = v.name
            GROUP BY v.name ORDER BY v.name
            """
        )
        return await cur.fetchall()


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded database server (its data stays in DATA_DIR)."""
    from store.database import stop_embedded

    settings = _settings()
    if settings.database_url:
        typer.echo("DATABASE_URL is set: there is no embedded server to stop.")
        return
    typer.echo("stopped" if stop_embedded(settings) else "the embedded server was not running")


# --- ingest ----------------------------------------------------------------------------------
@ingest_app.callback(invoke_without_command=True)
def ingest_default(ctx: typer.Context) -> None:
    """Index content/ (same as `ingest run`)."""
    if ctx.invoked_subcommand is None:
        ingest_run(content_dir=None, rebuild=False)


@ingest_app.command("run")
def ingest_run(
    content_dir: Annotated[
        Path | None, typer.Option("--content-dir", help="Markdown knowledge base.")
    ] = None,
    rebuild: Annotated[bool, typer.Option(help="Drop this model's index and rebuild it.")] = False,
) -> None:
    """Index the knowledge base: only changed files are re-chunked and re-embedded."""
    settings = _settings()
    directory = _content_dir(settings, content_dir)
    summary = asyncio.run(_ingest(settings, directory, rebuild))
    for problem in summary.errors:
        typer.secho(f"not indexed: {problem}", fg="yellow", err=True)
    typer.echo(summary.as_line())
    if summary.errors:
        typer.secho(
            f"{len(summary.errors)} problem(s); run `dovvybuddy ingest validate` for details",
            fg="red",
            err=True,
        )
        raise typer.Exit(1)


@ingest_app.command("validate")
def ingest_validate(
    content_dir: Annotated[
        Path | None, typer.Option("--content-dir", help="Markdown knowledge base.")
    ] = None,
) -> None:
    """Check every file's front matter and structure; report all problems at once."""
    from ingest.validation import validate_content

    directory = _content_dir(_settings(), content_dir)
    problems, checked = validate_content(directory)
    for problem in problems:
        typer.echo(str(problem))
    files = len({p.path for p in problems})
    if problems:
        typer.secho(f"{len(problems)} problem(s) in {files} of {checked} files", fg="red", err=True)
        raise typer.Exit(1)
    typer.echo(f"{checked} files valid")


@ingest_app.command("search")
def ingest_search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many results.")] = 5,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="key=value on doc_type, destination, agency or path; "
            "repeat for several, comma-separate values for any-of.",
        ),
    ] = None,
) -> None:
    """Search the knowledge index as the agents do (hybrid: vectors + full text)."""
    settings = _settings()
    parsed: dict[str, object] = {}
    for item in filters or []:
        key, sep, value = item.partition("=")
        if not sep or not value:
            typer.secho(f"--filter expects key=value, got {item!r}", fg="red", err=True)
            raise typer.Exit(2)
        parsed[key] = value.split(",") if "," in value else value
    try:
        results, elapsed = asyncio.run(_search(settings, query, k, parsed))
    except ValueError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from None
    for n, p in enumerate(results, start=1):
        section = f" › {p['section']}" if p["section"] else ""
        typer.echo(f"{n}. {p['path']}{section}")
        typer.echo(f"   score {p['score']:.4f}  similarity {p['similarity']:.3f}")
    if not results:
        typer.echo("no results")
    typer.echo(f"({elapsed * 1000:.1f} ms)")


async def _search(settings: Settings, query: str, k: int, filters: dict):
    from chains.models import load_embeddings
    from chains.retrieval import KnowledgeRetriever
    from store.pool import open_pool
    from store.vector_index import IndexSpec

    embeddings = load_embeddings(settings)
    warm = getattr(embeddings, "warm_up", None)
    if warm:
        warm()
    pool = await open_pool(_database_url(settings), max_size=2)
    try:
        retriever = KnowledgeRetriever(
            pool=pool,
            embeddings=embeddings,
            spec=IndexSpec(embeddings.model_name, embeddings.dimension),
        )
        started = time.perf_counter()
        results = await retriever.search(query, k=k, filters=filters)
        return results, time.perf_counter() - started
    finally:
        await pool.close()


def _content_dir(settings: Settings, override: Path | None) -> Path:
    directory = (override or settings.content_dir).resolve()
    if not directory.is_dir():
        typer.secho(f"content directory not found: {directory}", fg="red", err=True)
        raise typer.Exit(2)
    return directory


async def _ingest(settings: Settings, directory: Path, rebuild: bool):
    from chains.models import load_embeddings
    from ingest.pipeline import run_ingest
    from store.migrate import upgrade
    from store.pool import open_pool

    url = _database_url(settings)
    upgrade(url)
    embeddings = load_embeddings(settings)
    pool = await open_pool(url, max_size=4)
    bars: dict[str, object] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            label = "embedding chunks" if stage == "embedding" else "writing files   "
            bar = bars[stage] = typer.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            bar.done = 0
        bar.update(done - bar.done)
        bar.done = done
        if done >= total:
            bar.__exit__(None, None, None)

    try:
        return await run_ingest(
            pool, embeddings, directory, rebuild=rebuild, on_progress=on_progress
        )
    finally:
        await pool.close()


@app.command()
def prepare() -> None:
    """Embed the router's examples and the emergency bank, and fit and keep their weights
    (DATA_DIR/models), so that the server's first start takes seconds, not minutes."""
    settings = _settings()
    started = time.perf_counter()
    asyncio.run(_prepare(settings))
    typer.echo(f"router and emergency detector prepared in {time.perf_counter() - started:.1f} s")


async def _prepare(settings: Settings) -> None:
    from chains.models import load_embeddings
    from graph.context import Context
    from store.pool import open_pool

    pool = await open_pool(_database_url(settings), max_size=4)
    try:
        # What the server builds as it starts: building it once here fills the embedding
        # cache (shared by every server on this database) and the weights kept on disk.
        await Context.create(settings, pool, embeddings=load_embeddings(settings))
    finally:
        await pool.close()


# --- sessions & API ---------------------------------------------------------------------------
sessions_app = typer.Typer(help="Chat sessions: retention.")
app.add_typer(sessions_app, name="sessions")


@sessions_app.command("prune")
def sessions_prune() -> None:
    """Delete sessions inactive for SESSION_TTL_HOURS, with their conversation checkpoints."""
    settings = _settings()
    removed = asyncio.run(_prune(settings))
    typer.echo(f"pruned {removed} expired session(s)")


async def _prune(settings: Settings) -> int:
    from store.migrate import upgrade
    from store.pool import open_pool
    from store.sessions import SessionStore

    url = _database_url(settings)
    upgrade(url)
    pool = await open_pool(url, max_size=2)
    try:
        return await SessionStore(pool, settings.session_ttl_hours).prune()
    finally:
        await pool.close()


OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.json"


def openapi_document() -> str:
    import json

    from server import create_app

    return json.dumps(create_app().openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@app.command()
def openapi(
    check: Annotated[
        bool, typer.Option(help="Fail if openapi.json differs instead of writing.")
    ] = False,
) -> None:
    """Export the OpenAPI document to openapi.json (the clients' source of truth)."""
    document = openapi_document()
    if check:
        if not OPENAPI_FILE.exists() or OPENAPI_FILE.read_text() != document:
            typer.secho("openapi.json is out of date: run `dovvybuddy openapi`", fg="red", err=True)
            raise typer.Exit(1)
        typer.echo("openapi.json is up to date")
        return
    OPENAPI_FILE.write_text(document)
    typer.echo(f"wrote {OPENAPI_FILE.name}")


# --- chat ------------------------------------------------------------------------------------
@app.command()
def chat(
    session: Annotated[
        str | None, typer.Option(help="Session id to continue (default: your last one).")
    ] = None,
    new: Annotated[bool, typer.Option("--new", help="Start a new session.")] = False,
) -> None:
    """A terminal conversation with the graph; the session persists between runs."""
    settings = _settings()
    logging.basicConfig(level=logging.WARNING)
    marker = settings.data_dir / "cli-session"
    if session is None and not new and marker.exists():
        session = marker.read_text().strip() or None
    session = session or str(uuid.uuid4())
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(session)
    asyncio.run(_chat(settings, session))


async def _chat(settings: Settings, session: str) -> None:
    from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    from graph.context import Context
    from graph.graph import compile_chat_graph
    from store.migrate import upgrade
    from store.pool import open_pool

    url = _database_url(settings)
    upgrade(url)
    pool = await open_pool(url, max_size=2)
    try:
        checkpointer = AsyncPostgresSaver(pool)
        await checkpointer.setup()
        context = await Context.create(settings, pool)
        graph = compile_chat_graph(checkpointer, context)
        config = {"configurable": {"thread_id": session}}
        typer.echo(f"DovvyBuddy ({settings.resolved_chat_model}) — session {session}")
        typer.echo("Type your question; an empty line or Ctrl-D ends the chat.\n")
        while True:
            try:
                text = input("you> ").strip()
            except EOFError:
                break
            if not text:
                break
            typer.echo("dovvy> ", nl=False)
            started = time.perf_counter()
            streamed = False
            async for chunk, _ in graph.astream(
                {"messages": [HumanMessage(text)]}, config, stream_mode="messages"
            ):
                # Model tokens arrive as chunks; fixed replies (emergency, off-topic) whole.
                if isinstance(chunk, AIMessageChunk) or (
                    isinstance(chunk, AIMessage) and not streamed
                ):
                    streamed = streamed or isinstance(chunk, AIMessageChunk)
                    sys.stdout.write(str(chunk.content))
                    sys.stdout.flush()
            state = await graph.aget_state(config)
            sources = ", ".join(c["path"] for c in state.values.get("citations", []))
            typer.echo(
                f"\n   [{time.perf_counter() - started:.1f} s{'; ' + sources if sources else ''}]\n"
            )
    finally:
        await pool.close()


if __name__ == "__main__":
    app()
