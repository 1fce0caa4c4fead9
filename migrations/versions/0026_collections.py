"""collections: consignment.direction ("to_citizen" for every item so far, "to_agency" for a
dossier collected from the citizen), a dossier code optional (a collection may be booked before
the agency numbers the dossier) and unique per agency and direction (the dossier and its result
share it); collection_order (window, checklist, the agency's receipt, the pages' PDF) and
dossier_page (one photographed sheet each)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', _STRING(length=10), nullable=False,
                                      server_default='to_citizen'))
        batch_op.alter_column('dossier_code', existing_type=_STRING(length=60), nullable=True)
        batch_op.drop_constraint('uq_consignment_agency_dossier', type_='unique')
        batch_op.create_unique_constraint('uq_consignment_agency_dossier',
                                          ['agency_id', 'dossier_code', 'direction'])
    op.create_table(
        'collection_order',
        sa.Column('consignment_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('request_fingerprint', _STRING(length=64), nullable=False),
        sa.Column('window_date', sa.Date(), nullable=False),
        sa.Column('window_from', _STRING(length=5), nullable=False),
        sa.Column('window_to', _STRING(length=5), nullable=False),
        sa.Column('checklist', sa.Text(), nullable=False),
        sa.Column('booked_by', _STRING(length=60), nullable=False),
        sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('agency_receipt_number', _STRING(length=60), nullable=True),
        sa.Column('agency_appointment_date', sa.Date(), nullable=True),
        sa.Column('agency_received_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('pages_pdf', _STRING(length=40), nullable=True),
        sa.Column('pages_pdf_sha256', _STRING(length=64), nullable=True),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id']),
        sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id']),
        sa.PrimaryKeyConstraint('consignment_id'),
        sa.UniqueConstraint('agency_id', 'request_fingerprint',
                            name='uq_collection_order_request'),
    )
    op.create_table(
        'dossier_page',
        sa.Column('consignment_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('photo', _STRING(length=40), nullable=False),
        sa.Column('sha256', _STRING(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('taken_by', _STRING(length=60), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id']),
        sa.PrimaryKeyConstraint('consignment_id', 'number'),
    )


def downgrade() -> None:
    op.drop_table('dossier_page')
    op.drop_table('collection_order')
    op.execute("DELETE FROM consignment WHERE direction <> 'to_citizen'")
    with op.batch_alter_table('consignment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_consignment_agency_dossier', type_='unique')
        batch_op.create_unique_constraint('uq_consignment_agency_dossier',
                                          ['agency_id', 'dossier_code'])
        batch_op.alter_column('dossier_code', existing_type=_STRING(length=60), nullable=False)
        batch_op.drop_column('direction')
