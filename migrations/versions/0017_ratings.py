"""citizens' ratings: one per delivered consignment, changeable for 7 days

The tracking page and the delivered SMS invite the citizen to rate the delivery (1-5 stars and an
optional comment) through the private link; the quality report and the supervisor's dashboard read
them. One row per item (the unique constraint), replaced in place within the week.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consignment_id', sa.Integer(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consignment_id'], ['consignment.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consignment_id'),
    )


def downgrade() -> None:
    op.drop_table('rating')
