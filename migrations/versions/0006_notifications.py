"""notifications: delivery OTPs, outbox claim time, citizen requests, office hours

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:27:53.189403
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('deliveryotp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consignment_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('salt', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('consignment_id', 'round')
    )
    with op.batch_alter_table('deliveryotp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveryotp_consignment_id'), ['consignment_id'], unique=False)

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reschedule_window_days', sa.Integer(), nullable=False, server_default='7'))

    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pickup_requested', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('delivery_instructions', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('postoffice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_hours', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('postoffice', schema=None) as batch_op:
        batch_op.drop_column('opening_hours')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')

    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_column('delivery_instructions')
        batch_op.drop_column('pickup_requested')
        batch_op.drop_column('requested_date')

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('reschedule_window_days')

    with op.batch_alter_table('deliveryotp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveryotp_consignment_id'))

    op.drop_table('deliveryotp')
