"""consignments: leave a fifth of each table page free (fillfactor 80) on PostgreSQL

Every scan rewrites its consignment's row (status, attempts, version, updated_at). With full pages the new row
version lands on another page, and then each of the table's ten indexes gets a new entry: a batch of 500 hub
scans spent 19 ms of PostgreSQL time in that UPDATE, 94 % of updates were such, and dead index entries piled up
faster than autovacuum removed them. With room on the page, an update that changes no indexed column (a hub
scan: in_transit stays in_transit; a citizen's request: only the version) is a heap-only tuple update: no index
is touched and the old version is pruned in place. Measured on the batch bench: 94 % -> 5 % non-HOT updates,
PostgreSQL CPU per 500 scans 86-90 ms -> 55-59 ms. Existing pages keep their fill until rewritten (VACUUM FULL
or pg_repack apply it to old rows at once); SQLite has no such setting.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILLFACTOR = 80


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE consignment SET (fillfactor = {FILLFACTOR})')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE consignment RESET (fillfactor)')
