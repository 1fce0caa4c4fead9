import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from web.tables import metadata


def test_it_has_migrations_that_match_the_models(app):
    """A model change without its Alembic revision fails here (`flask --app web db-revision "..."`
    writes one)."""
    with app.extensions["db_engine"].connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, metadata) == []


def test_it_leaves_room_on_consignment_pages_for_updates_that_touch_no_index(app):
    """fillfactor 80 on PostgreSQL (migration 0013): a scan's rewrite of its row stays on the
    page."""
    engine = app.extensions["db_engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("fillfactor is a PostgreSQL storage parameter")
    with engine.connect() as connection:
        options = connection.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = 'consignment'")
        ).scalar()
    assert "fillfactor=80" in options
