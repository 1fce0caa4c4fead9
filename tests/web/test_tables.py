"""web.tables is the one list of table modules: complete, and what the migrations create."""

import ast
from pathlib import Path

from sqlalchemy import inspect

from web.tables import TABLE_MODULES, metadata, table_names

ROOT = Path(__file__).resolve().parents[2]


def _defines_a_table(path: Path) -> bool:
    return any(isinstance(node, ast.ClassDef) and any(k.arg == "table" for k in node.keywords)
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def test_it_lists_every_module_that_defines_a_table():
    sources = [p for package in ("delivery", "tracking", "labels", "web")
               for p in (ROOT / package).rglob("*.py")]
    defining = {".".join(p.relative_to(ROOT).with_suffix("").parts)
                for p in sources if _defines_a_table(p)}
    assert defining == {module.__name__ for module in TABLE_MODULES}


def test_it_has_on_the_metadata_exactly_the_tables_of_the_listed_modules():
    assert set(metadata.tables) == table_names()


def test_it_has_migrations_that_create_exactly_the_listed_tables(app):
    created = set(inspect(app.extensions["db_engine"]).get_table_names()) - {"alembic_version"}
    assert created == table_names()
