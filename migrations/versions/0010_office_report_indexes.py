"""indexes for the delivery office's daily report (delivery.reports)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_trackingevent_office_occurred', 'trackingevent', ['office_id', 'occurred_at'], unique=False)
    op.create_index('ix_consignment_office_status', 'consignment', ['destination_office_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_consignment_office_status', table_name='consignment')
    op.drop_index('ix_trackingevent_office_occurred', table_name='trackingevent')
