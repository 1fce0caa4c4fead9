"""consignments: where the delivery address is on the map (lat, lon), for the courier's round

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_column('lon')
        batch_op.drop_column('lat')
