"""the office's cash reconciliation: the supervisor's sign-off of a day

- reconciliation_signoff: one row per delivery office and day (unique), who signed and when, the
  totals signed for (items, expected, cash, transfer) and a fingerprint of every line, so the page
  can tell when the figures changed after signing; an optional note.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'reconciliation_signoff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('signed_by', sa.Integer(), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.Column('expected_vnd', sa.BigInteger(), nullable=False),
        sa.Column('cash_vnd', sa.BigInteger(), nullable=False),
        sa.Column('transfer_vnd', sa.BigInteger(), nullable=False),
        sa.Column('digest', _TEXT(length=64), nullable=False),
        sa.Column('note', _TEXT(length=500), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['postoffice.id']),
        sa.ForeignKeyConstraint(['signed_by'], ['staff_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('office_id', 'day'),
    )


def downgrade() -> None:
    op.drop_table('reconciliation_signoff')
