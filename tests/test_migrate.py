"""Migrations: Alembic runs when the database is behind, and is skipped (not even
imported) when the database already stands at the newest migration."""

from __future__ import annotations

import psycopg
import pytest

from store import migrate
from tests.conftest import drop_embedded_database, fresh_embedded_database

SCRATCH_DB = "dovvybuddy_test_migrate"


@pytest.fixture
def scratch_url(database_url) -> str:
    yield fresh_embedded_database(SCRATCH_DB)
    drop_embedded_database(SCRATCH_DB)


def test_the_migration_files_name_the_head_alembic_names():
    assert migrate._head_of_files() == migrate.head_revision()


def test_a_database_behind_is_migrated_and_one_at_head_is_left_to_itself(scratch_url, monkeypatch):
    assert not migrate._at_head(scratch_url)
    migrate.upgrade(scratch_url)
    assert migrate.current_revision(scratch_url) == migrate.head_revision()
    assert migrate._at_head(scratch_url)

    from alembic import command

    def refuse(*args, **kwargs):
        raise AssertionError("Alembic ran against a database already at head")

    monkeypatch.setattr(command, "upgrade", refuse)
    migrate.upgrade(scratch_url)  # at head: nothing to run
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (_parent_of_head(),))
    with pytest.raises(AssertionError, match="Alembic ran"):
        migrate.upgrade(scratch_url)  # behind: Alembic is asked


def _parent_of_head() -> str:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    return scripts.get_revision(scripts.get_current_head()).down_revision
