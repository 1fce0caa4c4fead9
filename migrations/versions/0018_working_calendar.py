"""working calendar: calendar_day, transit days by route, appointment date

Due dates count the agency's working days (delivery.calendar): Vietnam's public holidays from the
``holidays`` package, with admins' entries in ``calendar_day`` (an agency's own days off and make-up
working Saturdays; nationwide ones with agency_id NULL). The single ``delivery_days`` of an agency
gives way to transit days by route (same delivery office, same province, another province) and
the agency's ward, which decides the first. Intake may send the agency's appointment date.
Existing due dates are left as they were.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'calendar_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agency_id', 'day', name='uq_calendar_day_agency_day'),
    )
    op.create_index('ix_calendar_day_agency_id', 'calendar_day', ['agency_id'])
    op.create_index('ix_calendar_day_day', 'calendar_day', ['day'])
    with op.batch_alter_table('agency') as batch_op:
        batch_op.add_column(sa.Column('transit_days_same_office', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('transit_days_same_province', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('transit_days_other_province', sa.Integer(), nullable=False, server_default='4'))
        batch_op.add_column(sa.Column('ward_code', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_agency_ward', 'ward', ['ward_code'], ['code'])
        batch_op.drop_column('delivery_days')
    op.add_column('consignment', sa.Column('appointment_date', sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column('consignment', 'appointment_date')
    with op.batch_alter_table('agency') as batch_op:
        batch_op.add_column(sa.Column('delivery_days', sa.Integer(), nullable=False, server_default='3'))
        batch_op.drop_constraint('fk_agency_ward', type_='foreignkey')
        batch_op.drop_column('ward_code')
        batch_op.drop_column('transit_days_other_province')
        batch_op.drop_column('transit_days_same_province')
        batch_op.drop_column('transit_days_same_office')
    op.drop_index('ix_calendar_day_day', table_name='calendar_day')
    op.drop_index('ix_calendar_day_agency_id', table_name='calendar_day')
    op.drop_table('calendar_day')
