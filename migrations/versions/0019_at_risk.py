"""consignments at risk of missing their due date: when the flag was set, and why

The at-risk job (delivery.at_risk) sets ``at_risk_since`` and ``at_risk_reason`` on items that will
miss their due date and clears them when no rule matches any more. The partial index holds only
the flagged items, soonest due first: the job's clearing pass, the supervisor's list and the
courier's round read it, and the million other rows (and every scan rewriting one of them) never
touch it.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGGED = sa.text('at_risk_since IS NOT NULL')


def upgrade() -> None:
    # batch mode: SQLite cannot add columns with constraints in place; on PostgreSQL it is plain
    # ALTER TABLE ADD COLUMN (nullable, no default: no table rewrite)
    with op.batch_alter_table('consignment') as batch:
        batch.add_column(sa.Column('at_risk_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('at_risk_reason', sqlmodel.sql.sqltypes.AutoString(length=30),
                                   nullable=True))
    op.create_index('ix_consignment_at_risk', 'consignment', ['due_at'], unique=False,
                    postgresql_where=FLAGGED, sqlite_where=FLAGGED)


def downgrade() -> None:
    op.drop_index('ix_consignment_at_risk', table_name='consignment')
    with op.batch_alter_table('consignment') as batch:
        batch.drop_column('at_risk_reason')
        batch.drop_column('at_risk_since')
