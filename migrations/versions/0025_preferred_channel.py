"""the citizen's channel: consignment.preferred_channel ("zns" or "sms"), chosen on the tracking
page and tried before the agency's order; message_send.sent_at indexed for the OTP's SMS
fallback, which reads the last day's sends every minute

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preferred_channel',
                                      sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.create_index('ix_message_send_sent', 'message_send', ['sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_message_send_sent', table_name='message_send')
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_column('preferred_channel')
