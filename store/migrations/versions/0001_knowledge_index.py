"""Knowledge index registry and per-file ingest ledger.

The chunk tables themselves depend on the embedding dimension and are created by
store.vector_index when an index is first opened; this registry is what lets the app
refuse an index built with a different model.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute(
        """
        CREATE TABLE vector_indexes (
            name            text PRIMARY KEY,
            embedding_model text NOT NULL,
            dimension       integer NOT NULL CHECK (dimension > 0),
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE TABLE ingested_files (
            index_name   text NOT NULL REFERENCES vector_indexes (name) ON DELETE CASCADE,
            path         text NOT NULL,
            content_hash text NOT NULL,
            chunk_count  integer NOT NULL CHECK (chunk_count >= 0),
            ingested_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (index_name, path)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS ingested_files")
    op.execute("DROP TABLE IF EXISTS vector_indexes")
