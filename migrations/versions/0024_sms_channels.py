"""citizens' message channels: sends per channel with receipts and price, agency channel order,
the Zalo OA token

- message_send: one row per (outbox message, channel): the provider's answer and ids, the
  segments and price, the delivery receipt; found by request_id (unique) or provider_id, summed
  per agency and month;
- agency_channels: an agency's channels in order ("zns,sms");
- provider_token: Zalo's OA access token and its single-use refresh token, shared by workers.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'message_send',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outbox_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('channel', _TEXT(length=10), nullable=False),
        sa.Column('provider', _TEXT(length=20), nullable=False),
        sa.Column('request_id', _TEXT(length=64), nullable=False),
        sa.Column('outcome', _TEXT(length=20), nullable=False),
        sa.Column('provider_code', _TEXT(length=20), nullable=True),
        sa.Column('provider_id', _TEXT(length=100), nullable=True),
        sa.Column('segments', sa.Integer(), nullable=False),
        sa.Column('price_vnd', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('receipt', _TEXT(length=20), nullable=True),
        sa.Column('receipt_code', _TEXT(length=20), nullable=True),
        sa.Column('receipt_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id']),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('outbox_id', 'channel'),
        sa.UniqueConstraint('request_id'),
    )
    op.create_index('ix_message_send_provider_id', 'message_send', ['provider_id'])
    op.create_index('ix_message_send_agency_sent', 'message_send', ['agency_id', 'sent_at'])
    op.create_table(
        'agency_channels',
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('channels', _TEXT(length=40), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('agency_id'),
    )
    op.create_table(
        'provider_token',
        sa.Column('provider', _TEXT(length=20), nullable=False),
        sa.Column('access_token', _TEXT(length=2000), nullable=False),
        sa.Column('refresh_token', _TEXT(length=2000), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('provider'),
    )


def downgrade() -> None:
    op.drop_table('provider_token')
    op.drop_table('agency_channels')
    op.drop_index('ix_message_send_agency_sent', table_name='message_send')
    op.drop_index('ix_message_send_provider_id', table_name='message_send')
    op.drop_table('message_send')
