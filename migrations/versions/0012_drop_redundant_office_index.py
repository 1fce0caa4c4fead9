"""consignments: drop the single-column index on destination_office_id

(destination_office_id, status) from 0010 serves every lookup by office as well (a leading column), and each
index is written again on every status change: eleven indexes became ten.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_consignment_destination_office_id', table_name='consignment')


def downgrade() -> None:
    op.create_index('ix_consignment_destination_office_id', 'consignment', ['destination_office_id'], unique=False)
