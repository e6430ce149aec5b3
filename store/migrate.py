"""Apply the app's versioned migrations (Alembic) and report where a database stands."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlalchemy_url(libpq_url: str) -> str:
    _, _, rest = libpq_url.partition("://")
    return f"postgresql+psycopg://{rest}"


def _alembic_config(libpq_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["sqlalchemy_url"] = _sqlalchemy_url(libpq_url)
    return config


def upgrade(libpq_url: str, revision: str = "head") -> None:
    command.upgrade(_alembic_config(libpq_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(libpq_url: str) -> str | None:
    engine = create_engine(_sqlalchemy_url(libpq_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
