"""indexes for the service quality report (delivery.quality)

- ix_trackingevent_outcome_occurred: the period's deliveries, failed attempts and returns, by time;
  partial (only those events pay for it when written) and, on PostgreSQL, covering the columns
  the report reads, so a month is an index-only range scan;
- ix_consignment_office_created: an office's items by creation time, covering (on PostgreSQL) what
  the report joins to the events, so an office's items are read from the index alone. Of its
  columns only attempts changes on a scan, and only with the status (indexed already): the updates
  that stayed HOT (migration 0013) still do.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOME_CONDITION = "event IN ('delivered', 'delivery_failed', 'returned_to_agency')"


def upgrade() -> None:
    op.create_index('ix_trackingevent_outcome_occurred', 'trackingevent', ['occurred_at'],
                    unique=False, postgresql_include=['consignment_id', 'event', 'reason'],
                    postgresql_where=sa.text(OUTCOME_CONDITION),
                    sqlite_where=sa.text(OUTCOME_CONDITION))
    op.create_index('ix_consignment_office_created', 'consignment',
                    ['destination_office_id', 'created_at'], unique=False,
                    postgresql_include=['id', 'due_at', 'attempts', 'payer', 'amount_vnd'])


def downgrade() -> None:
    op.drop_index('ix_consignment_office_created', table_name='consignment')
    op.drop_index('ix_trackingevent_outcome_occurred', table_name='trackingevent')
