"""Chat sessions (for expiry), leads, and the lead delivery outbox.

The conversation itself lives in LangGraph's checkpoint tables; chat_sessions records when
a session was created and last active, which the checkpoints do not index. A lead is
stored before anything else happens; lead_outbox holds its deliveries until they succeed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE chat_sessions (
            id             text PRIMARY KEY,
            created_at     timestamptz NOT NULL DEFAULT now(),
            last_active_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX chat_sessions_last_active ON chat_sessions (last_active_at)")
    op.execute(
        """
        CREATE TABLE leads (
            id              uuid PRIMARY KEY,
            type            text NOT NULL CHECK (type IN ('training', 'trip')),
            email           text NOT NULL,
            name            text NOT NULL,
            data            jsonb NOT NULL,
            session_id      text,
            duplicate_count integer NOT NULL DEFAULT 0,
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX leads_dedupe ON leads (lower(email), type, created_at DESC)")
    op.execute(
        """
        CREATE TABLE lead_outbox (
            id              bigserial PRIMARY KEY,
            lead_id         uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
            channel         text NOT NULL,
            status          text NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts        integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            last_error      text,
            delivered_at    timestamptz,
            created_at      timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        "CREATE INDEX lead_outbox_due ON lead_outbox (next_attempt_at) WHERE status = 'pending'"
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS lead_outbox")
    op.execute("DROP TABLE IF EXISTS leads")
    op.execute("DROP TABLE IF EXISTS chat_sessions")
