"""imports and print jobs: attempts, a heartbeat and (imports) why it failed, so lost runs restart

An import or a print job enqueued while Redis was down, or queued when Redis was emptied, stayed
``queued`` forever, and one whose worker was killed stayed ``running``. Each run now counts the jobs
that started it and is stamped as it progresses (``updated_at``); a sweep enqueues again the runs
whose job was lost and fails those started three times. An import that fails says why (``error``).
``state`` is indexed for the sweep.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('importrun') as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_importrun_state'), ['state'], unique=False)
    with op.batch_alter_table('printjob') as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_printjob_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('printjob') as batch_op:
        batch_op.drop_index(batch_op.f('ix_printjob_state'))
        batch_op.drop_column('updated_at')
        batch_op.drop_column('attempts')
    with op.batch_alter_table('importrun') as batch_op:
        batch_op.drop_index(batch_op.f('ix_importrun_state'))
        batch_op.drop_column('error')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('attempts')
