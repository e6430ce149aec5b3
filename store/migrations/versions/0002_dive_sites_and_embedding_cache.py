"""Destinations and dive sites as tables; a cache of embeddings by model and text.

Destinations and sites are also documents in the knowledge index; these tables let an agent
ask "which Tioman sites suit an Open Water diver?" with a query instead of a similarity
search. The embedding cache keeps `ingest run --rebuild` and moved files from paying for
embeddings they already had.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE destinations (
            slug             text PRIMARY KEY,
            path             text NOT NULL UNIQUE,
            name             text NOT NULL,
            country          text NOT NULL,
            region           text NOT NULL,
            description      text NOT NULL,
            best_months      text[] NOT NULL,
            water_temp_min_c integer NOT NULL,
            water_temp_max_c integer NOT NULL,
            visibility_min_m integer NOT NULL,
            visibility_max_m integer NOT NULL,
            updated_at       timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    # No foreign key to destinations: a site may be indexed before its destination within
    # one run; `ingest validate` checks that every site's destination exists.
    op.execute(
        """
        CREATE TABLE dive_sites (
            path               text PRIMARY KEY,
            destination        text NOT NULL,
            name               text NOT NULL,
            description        text NOT NULL,
            depth_min_m        integer NOT NULL,
            depth_max_m        integer NOT NULL CHECK (depth_max_m >= depth_min_m),
            min_certification  text NOT NULL CHECK (min_certification IN
                                   ('discover', 'open_water', 'advanced_open_water', 'deep')),
            certification_rank integer NOT NULL,
            difficulty         text NOT NULL,
            current            text NOT NULL,
            site_type          text NOT NULL,
            highlights         text[] NOT NULL,
            updated_at         timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        "CREATE INDEX dive_sites_destination ON dive_sites (destination, certification_rank)"
    )
    op.execute(
        """
        CREATE TABLE embedding_cache (
            model      text NOT NULL,
            text_hash  text NOT NULL,
            embedding  vector NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (model, text_hash)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS embedding_cache")
    op.execute("DROP TABLE IF EXISTS dive_sites")
    op.execute("DROP TABLE IF EXISTS destinations")
