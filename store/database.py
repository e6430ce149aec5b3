"""Where the database is: the configured DATABASE_URL, or an embedded Postgres of our own.

The embedded server (pgserver: Postgres 16 + pgvector) lives in DATA_DIR/pgdata, listens on
a Unix socket only, and keeps running between commands so that `make run` after `make test`
attaches instead of starting over. `dovvybuddy db stop` stops it.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from config.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatabaseStatus:
    embedded: bool
    running: bool
    url: str | None
    data_dir: Path | None
    server_version: str | None = None
    pgvector_version: str | None = None
    size_bytes: int | None = None


def pgdata_dir(settings: Settings) -> Path:
    return settings.data_dir / "pgdata"


def _embedded_server(settings: Settings):
    # Imported lazily: pgserver is only needed when no DATABASE_URL is configured.
    # Its lock file falls back to /tmp when XDG_RUNTIME_DIR is unset, which is harmless.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import pgserver

    directory = pgdata_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process and is reused by the next one.
    return pgserver.get_server(directory, cleanup_mode=None)


def _ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log.info("created database %s", name)


def resolve_database_url(settings: Settings, *, database: str | None = None) -> str:
    """Return a libpq URL for the app's database, starting the embedded server if needed."""
    if settings.database_url:
        return settings.database_url
    server = _embedded_server(settings)
    name = database or settings.embedded_db_name
    _ensure_database(server.get_uri("postgres"), name)
    return server.get_uri(name)


def embedded_is_running(settings: Settings) -> bool:
    pid_file = pgdata_dir(settings) / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (ValueError, IndexError):
        return False
    return _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def database_status(settings: Settings) -> DatabaseStatus:
    embedded = settings.database_url is None
    running = embedded_is_running(settings) if embedded else True
    if embedded and not running:
        return DatabaseStatus(embedded=True, running=False, url=None, data_dir=pgdata_dir(settings))
    url = resolve_database_url(settings)
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            row = conn.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
            ).fetchone()
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    except psycopg.OperationalError:
        return DatabaseStatus(embedded, False, url, pgdata_dir(settings) if embedded else None)
    return DatabaseStatus(
        embedded=embedded,
        running=True,
        url=url,
        data_dir=pgdata_dir(settings) if embedded else None,
        server_version=version,
        pgvector_version=row[0] if row else None,
        size_bytes=size,
    )


def stop_embedded(settings: Settings) -> bool:
    """Stop the embedded server; return False when it was not running."""
    if settings.database_url is not None or not embedded_is_running(settings):
        return False
    from pgserver._commands import pg_ctl  # the bundled binaries, run as pgserver runs them

    # As root, pgserver runs Postgres as its own system user; pg_ctl must run as that user.
    user = "pgserver" if _running_as_root() else None
    pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata_dir(settings), user=user)
    return True


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
