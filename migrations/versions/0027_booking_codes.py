"""booking_codes: a citizen's booking of a collection on the public site, kept until the code
texted to their phone confirms it (tracking.booking_codes); deleted once used or expired

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'booking_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', _STRING(length=40), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('request_fingerprint', _STRING(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('salt', _STRING(length=16), nullable=False),
        sa.Column('code_hash', _STRING(length=64), nullable=False),
        sa.Column('failed_tries', sa.Integer(), nullable=False),
        sa.Column('sends', sa.Integer(), nullable=False),
        sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token'),
    )
    op.create_index('ix_booking_code_request_fingerprint', 'booking_code',
                    ['request_fingerprint'], unique=False)
    op.create_index('ix_booking_code_expires_at', 'booking_code', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_booking_code_expires_at', table_name='booking_code')
    op.drop_index('ix_booking_code_request_fingerprint', table_name='booking_code')
    op.drop_table('booking_code')
