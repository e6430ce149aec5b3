"""Dive sites say whether they are snorkel-only.

A protected bay where scuba diving is banned (Hanifaru Bay) still carries a
min_certification in its front matter; without this flag it was offered as a dive to a
diver with no certification at all.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE dive_sites ADD COLUMN snorkel_only boolean NOT NULL DEFAULT false")


def downgrade() -> None:
    op.execute("ALTER TABLE dive_sites DROP COLUMN snorkel_only")
