"""items at risk of missing their due date: one flag row per item while the risk lasts

The at-risk job (delivery.at_risk) writes a row when it first finds an item will miss its due date
(when, and the rule that holds) and deletes it when no rule holds any more: one risk episode. A
table beside the consignment, keyed by it, rather than columns in its row: flagging a day's items
then never rewrites the consignment row with its dozen indexes, nor waits for or holds up a scan
of the item (bench/README.md, "At-risk job").

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'consignment_at_risk',
        sa.Column('consignment_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id']),
        sa.PrimaryKeyConstraint('consignment_id'),
    )


def downgrade() -> None:
    op.drop_table('consignment_at_risk')
