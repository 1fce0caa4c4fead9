"""tracking events: the client address each one came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('trackingevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trackingevent', schema=None) as batch_op:
        batch_op.drop_column('client_address')
