"""Apply the app's versioned migrations (Alembic) and report where a database stands.

Alembic (with SQLAlchemy) takes about 0.4 s to import, a tenth of the service's start-up,
and a database already at the newest revision needs nothing from it. So `upgrade` first
asks the database which revision it is at and compares it with the newest migration file's;
only when they differ (or the files do not read as one plain chain) is Alembic imported
and run.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(None|['\"]([^'\"]+)['\"])\s*$", re.M)


def _sqlalchemy_url(libpq_url: str) -> str:
    _, _, rest = libpq_url.partition("://")
    return f"postgresql+psycopg://{rest}"


def _alembic_config(libpq_url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["sqlalchemy_url"] = _sqlalchemy_url(libpq_url)
    return config


def upgrade(libpq_url: str, revision: str = "head") -> None:
    if revision == "head" and _at_head(libpq_url):
        return
    from alembic import command

    command.upgrade(_alembic_config(libpq_url), revision)


def _head_of_files() -> str | None:
    """The newest revision the migration files declare, when they form one chain (else
    None, and Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        declared = {name: value for name, _, value in _REVISION.findall(script.read_text())}
        if "revision" not in declared or "down_revision" not in declared:
            return None  # not a file this reader understands: let Alembic read it
        revisions.add(declared["revision"])
        if declared["down_revision"]:
            parents.add(declared["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(libpq_url: str) -> bool:
    head = _head_of_files()
    if head is None:
        return False
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
            return False
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return [row[0] for row in rows] == [head]


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(libpq_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, pool

    engine = create_engine(_sqlalchemy_url(libpq_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
