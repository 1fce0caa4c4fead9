"""import notices: what an import did to a row without refusing it

- importrun.row_notices: JSON, spreadsheet row number -> what the clerk should know of it (its text
  was typed in TCVN3 or VNI and converted to Unicode: delivery.legacy_encoding).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('importrun', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_notices',
                                      sqlmodel.sql.sqltypes.AutoString(length=1000000),
                                      nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('importrun', schema=None) as batch_op:
        batch_op.drop_column('row_notices')
