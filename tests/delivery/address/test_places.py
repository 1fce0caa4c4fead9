"""An item's ward, province and destination office, read once for every page, label and document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from delivery.address import destination_office_of, places_of, ward_and_province_of
from delivery.models import PostOffice


@contextmanager
def counted_statements(session) -> Iterator[list[str]]:
    """The SQL statements ``session``'s connection runs inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_it_reads_the_ward_province_and_destination_office_of_an_item(session, new_consignment):
    session.add(PostOffice(code="HN-HUB", name="Hà Nội hub", kind="hub", province_code=1))
    session.commit()
    consignment = new_consignment()
    ward, province, office = places_of(session, consignment)
    assert (ward.code, ward.province_code, province.code) == (consignment.ward_code, 1, 1)
    assert office.code == "HN-HUB"


def test_it_has_no_office_for_an_item_waiting_to_be_routed(session, new_consignment):
    consignment = new_consignment()
    with counted_statements(session) as statements:
        assert destination_office_of(session, consignment) is None
    assert statements == []


def test_it_reads_only_what_it_returns_and_nothing_the_session_holds(session, new_consignment):
    session.add(PostOffice(code="HN-HUB", name="Hà Nội hub", kind="hub", province_code=1))
    session.commit()
    consignment = new_consignment()
    session.refresh(consignment)
    with counted_statements(session) as statements:
        held = ward_and_province_of(session, consignment)
    assert len(statements) == 2
    with counted_statements(session) as statements:
        assert places_of(session, consignment)[:2] == held
    assert len(statements) == 1  # only the office: the session holds the ward and province
