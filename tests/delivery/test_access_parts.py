"""delivery.access.visible_parts: disjoint parts that together see what visible() sees, for every
kind of scope (the quality report sums one query per part)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from delivery.access import EVERYTHING, NOTHING, Scope, visible, visible_parts
from delivery.models import Consignment
from tests.quality_month import HANOI, make_month


@pytest.fixture
def month(session):
    made = make_month(session)
    # items taken at an office (their route starts there) and items with no origin yet
    for n, origin in ((3, "O3"), (16, "O1"), (18, "O1")):
        item = session.exec(select(Consignment).where(
            Consignment.tracking_number == made.numbers[n])).one()
        item.origin_office_id = made.offices[origin]
        session.add(item)
    session.commit()
    return made


def ids(session, condition):
    return set(session.exec(select(Consignment.id).where(condition)).all())


def scopes(month):
    o = month.offices
    return [EVERYTHING, NOTHING,
            Scope(agency_ids=frozenset({month.agencies["A2"]})),
            Scope(office_ids=frozenset({o["O1"]})),
            Scope(agency_ids=frozenset({month.agencies["A2"]}), office_ids=frozenset({o["O1"]}),
                  province_codes=frozenset({HANOI}),
                  province_office_ids=frozenset({o["O1"], o["O2"]}))]


def test_it_cuts_each_scope_into_parts_that_add_up_to_what_it_sees(session, month):
    for scope in scopes(month):
        parts = [ids(session, part) for part in visible_parts(scope)]
        assert set().union(*parts) == ids(session, visible(scope)), scope


def test_it_cuts_each_scope_into_parts_no_item_is_in_twice(session, month):
    for scope in scopes(month):
        parts = [ids(session, part) for part in visible_parts(scope)]
        assert sum(len(part) for part in parts) == len(set().union(*parts)), scope


def test_it_sees_items_with_no_origin_in_a_later_part(session, month):
    scope = Scope(office_ids=frozenset({month.offices["O1"]}),
                  province_codes=frozenset({HANOI}))
    last = visible_parts(scope)[-1]  # province, after the office and origin rules
    found = ids(session, last)
    assert found and all(origin is None or origin != month.offices["O1"] for origin in
                         session.exec(select(Consignment.origin_office_id).where(
                             col(Consignment.id).in_(found))).all())
