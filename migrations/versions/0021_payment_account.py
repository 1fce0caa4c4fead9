"""money at the door: the agency's payment account and the couriers' collections

- agency.payment_bank_bin, payment_account, payment_account_name: where a recipient's bank
  transfer goes (the VietQR the courier shows, labels.vietqr); the same on postoffice, for a
  delivery office that takes the money into its own account (used before the agency's);
- collection: one row per delivery where money was taken (amount, cash or transfer), written in
  the same transaction as its delivered event; indexed by courier and by office, then time, so a
  courier's day and an office's day are one range each.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    for table in ('agency', 'postoffice'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('payment_bank_bin', _TEXT(length=6), nullable=True))
            batch_op.add_column(sa.Column('payment_account', _TEXT(length=19), nullable=True))
            batch_op.add_column(sa.Column('payment_account_name', _TEXT(length=100),
                                          nullable=True))
    op.create_table(
        'collection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consignment_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('actor', _TEXT(length=60), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('method', _TEXT(length=20), nullable=False),
        sa.Column('collected_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id']),
        sa.ForeignKeyConstraint(['event_id'], ['trackingevent.id']),
        sa.ForeignKeyConstraint(['office_id'], ['postoffice.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id'),
    )
    op.create_index('ix_collection_actor_collected', 'collection', ['actor', 'collected_at'])
    op.create_index('ix_collection_office_collected', 'collection', ['office_id', 'collected_at'])


def downgrade() -> None:
    op.drop_index('ix_collection_office_collected', table_name='collection')
    op.drop_index('ix_collection_actor_collected', table_name='collection')
    op.drop_table('collection')
    for table in ('postoffice', 'agency'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('payment_account_name')
            batch_op.drop_column('payment_account')
            batch_op.drop_column('payment_bank_bin')
