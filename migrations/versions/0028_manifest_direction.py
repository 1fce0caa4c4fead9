"""manifest direction: a manifest carries results from an agency to a post office
("from_agency", every manifest so far), collected dossiers from a post office to the agency
("to_agency"), or from one post office to another ("transfer", to_office_id); dispatched_at is
when a transfer left

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', _STRING(length=12), nullable=False,
                                      server_default='from_agency'))
        batch_op.add_column(sa.Column('to_office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('dispatched_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_manifest_to_office_id'), ['to_office_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_manifest_to_office', 'postoffice', ['to_office_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('manifest', schema=None) as batch_op:
        batch_op.drop_constraint('fk_manifest_to_office', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_manifest_to_office_id'))
        batch_op.drop_column('dispatched_at')
        batch_op.drop_column('to_office_id')
        batch_op.drop_column('direction')
