"""Outbox claims carry a token; every stored conversation thread is a session.

A worker that claims deliveries stamps them with its claim token, and only the holder of
that token may mark them delivered or failed: a worker whose lease ran out cannot flip a
delivery another worker now holds.

LangServe threads used to be stored without a chat_sessions row, so they never expired and
`sessions prune` never saw them. Each such thread gets a row now, counted as active from
today, so it expires like any other session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE lead_outbox ADD COLUMN claim_token uuid")
    # The checkpoint tables belong to LangGraph and exist only once a server has started.
    op.execute(
        """
        DO $$
        BEGIN
            IF to_regclass('checkpoints') IS NOT NULL THEN
                INSERT INTO chat_sessions (id)
                SELECT DISTINCT thread_id FROM checkpoints
                ON CONFLICT (id) DO NOTHING;
            END IF;
        END $$
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE lead_outbox DROP COLUMN IF EXISTS claim_token")
