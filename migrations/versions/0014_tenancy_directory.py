"""tenancy and the organisation directory: who sees what, set up as data

- dossier codes are unique per agency instead of across all agencies (agency A could register B's
  code first and block B's intake);
- consignments remember the office that took them (the start of the route) and the courier whose
  round they are on;
- agencies have a province; supervisors may cover a whole province; API clients may be postal-network
  clients bound to offices;
- counters serve agencies, delivery offices have beats of wards, postal clients are bound to offices.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's unique constraints from 0001 have no name; batch mode rebuilds the table and names them
# by this convention so the old one can be dropped.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_dossier_unique() -> str:
    if op.get_bind().dialect.name == 'postgresql':
        return 'consignment_dossier_code_key'
    return 'uq_consignment_dossier_code'


def upgrade() -> None:
    with op.batch_alter_table('agency') as batch_op:
        batch_op.add_column(sa.Column('province_code', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_agency_province', 'province', ['province_code'], ['code'])
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.add_column(sa.Column('province_code', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_staff_user_province', 'province', ['province_code'],
                                    ['code'])
    with op.batch_alter_table('apiclient') as batch_op:
        batch_op.add_column(sa.Column('postal', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('consignment', naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint(_old_dossier_unique(), type_='unique')
        batch_op.create_unique_constraint('uq_consignment_agency_dossier',
                                          ['agency_id', 'dossier_code'])
        batch_op.add_column(sa.Column('origin_office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('courier_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_consignment_origin_office', 'postoffice',
                                    ['origin_office_id'], ['id'])
        batch_op.create_foreign_key('fk_consignment_courier', 'staff_user', ['courier_id'],
                                    ['id'])
        batch_op.create_index('ix_consignment_origin_office_id', ['origin_office_id'])
    op.create_table(
        'office_agency',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.ForeignKeyConstraint(['office_id'], ['postoffice.id']),
        sa.PrimaryKeyConstraint('office_id', 'agency_id'),
    )
    op.create_index('ix_office_agency_agency_id', 'office_agency', ['agency_id'])
    op.create_table(
        'beat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('courier_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['courier_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['office_id'], ['postoffice.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('office_id', 'code'),
    )
    op.create_index('ix_beat_office_id', 'beat', ['office_id'])
    op.create_table(
        'beat_ward',
        sa.Column('beat_id', sa.Integer(), nullable=False),
        sa.Column('ward_code', sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(['beat_id'], ['beat.id']),
        sa.ForeignKeyConstraint(['ward_code'], ['ward.code']),
        sa.PrimaryKeyConstraint('beat_id', 'ward_code'),
    )
    op.create_table(
        'api_client_office',
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['apiclient.id']),
        sa.ForeignKeyConstraint(['office_id'], ['postoffice.id']),
        sa.PrimaryKeyConstraint('client_id', 'office_id'),
    )
    # Items already taken by the post: their origin is the office their handover went to.
    op.execute(
        "UPDATE consignment SET origin_office_id = (SELECT m.office_id FROM manifest m "
        "JOIN manifestitem mi ON mi.manifest_id = m.id WHERE mi.consignment_id = consignment.id "
        "AND m.state = 'handed_over' LIMIT 1) WHERE origin_office_id IS NULL")
    op.execute(
        "UPDATE consignment SET origin_office_id = (SELECT e.office_id FROM trackingevent e "
        "WHERE e.consignment_id = consignment.id AND e.event = 'accepted' LIMIT 1) "
        "WHERE origin_office_id IS NULL")


def downgrade() -> None:
    op.drop_table('api_client_office')
    op.drop_table('beat_ward')
    op.drop_index('ix_beat_office_id', table_name='beat')
    op.drop_table('beat')
    op.drop_index('ix_office_agency_agency_id', table_name='office_agency')
    op.drop_table('office_agency')
    with op.batch_alter_table('consignment') as batch_op:
        batch_op.drop_index('ix_consignment_origin_office_id')
        batch_op.drop_constraint('fk_consignment_courier', type_='foreignkey')
        batch_op.drop_constraint('fk_consignment_origin_office', type_='foreignkey')
        batch_op.drop_column('courier_id')
        batch_op.drop_column('origin_office_id')
        batch_op.drop_constraint('uq_consignment_agency_dossier', type_='unique')
        batch_op.create_unique_constraint('uq_consignment_dossier_code', ['dossier_code'])
    with op.batch_alter_table('apiclient') as batch_op:
        batch_op.drop_column('postal')
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.drop_constraint('fk_staff_user_province', type_='foreignkey')
        batch_op.drop_column('province_code')
    with op.batch_alter_table('agency') as batch_op:
        batch_op.drop_constraint('fk_agency_province', type_='foreignkey')
        batch_op.drop_column('province_code')
