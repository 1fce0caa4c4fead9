from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel


def test_it_has_migrations_that_match_the_models(app):
    """A model change without its Alembic revision fails here (`flask --app web db-revision "..."` writes one)."""
    with app.extensions["db_engine"].connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, SQLModel.metadata) == []
