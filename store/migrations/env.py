"""Alembic environment: migrations are plain SQL run over psycopg 3.

The URL comes from the caller (store.migrate), never from an ini file, so that the same
resolution (DATABASE_URL or the embedded server) serves the app, the CLI and the tests.
"""

from alembic import context
from sqlalchemy import create_engine, pool

url = context.config.attributes["sqlalchemy_url"]
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
