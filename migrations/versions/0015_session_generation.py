"""staff users: a session generation, so a login cookie can be ended before it expires

The login session is a signed cookie: until now nothing on the server could end it, so a cookie
copied before logout kept working for the whole session lifetime, and a password change or a
disabled-then-enabled account ended nothing. Each cookie now carries the user's generation at
login; logout, a password change or reset and disabling raise it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.drop_column('session_generation')
