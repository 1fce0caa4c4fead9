"""Every module that defines tables, in one list: what Alembic compares the migrations against
(migrations/env.py), what the app and the tests see on ``metadata``.

A new table module is added here; tests/web/test_tables.py fails when a table class is defined in
a module missing from the list, or when the migrations do not create exactly the tables listed. It
lives in the shell because it names both domain packages (tracking may import delivery, never the
other way round).
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import MetaData
from sqlmodel import SQLModel

import delivery.at_risk
import delivery.audit
import delivery.calendar
import delivery.collection_models
import delivery.importing
import delivery.login_throttle
import delivery.manifest_models
import delivery.models
import delivery.organisation
import delivery.print_models
import tracking.booking_codes
import tracking.channel_models
import tracking.models
import tracking.money
import tracking.reconciliation_signoff

TABLE_MODULES: tuple[ModuleType, ...] = (
    delivery.models,
    delivery.manifest_models,
    delivery.organisation,
    delivery.print_models,
    delivery.importing,
    delivery.audit,
    delivery.login_throttle,
    delivery.calendar,
    delivery.at_risk,
    delivery.collection_models,
    tracking.models,
    tracking.booking_codes,
    tracking.money,
    tracking.channel_models,
    tracking.reconciliation_signoff,
)

# SQLModel registers every table class on this one object when its module is imported: with the
# modules above imported, it holds every table of the app.
metadata: MetaData = SQLModel.metadata


def table_names(modules: tuple[ModuleType, ...] = TABLE_MODULES) -> set[str]:
    """The names of the tables whose classes are defined in ``modules`` (not merely imported)."""
    return {value.__table__.name for module in modules for value in vars(module).values()
            if _is_table_class(value) and value.__module__ == module.__name__}


def _is_table_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")
