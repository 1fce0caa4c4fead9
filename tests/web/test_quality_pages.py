"""The supervisor's quality dashboard over the generated month (tests/quality_month.py): the page,
its exports."""

from __future__ import annotations

import pytest

from tests.quality_month import make_month
from tests.web.test_pages import login

SEPTEMBER = "from=2026-09-01&to=2026-09-30"


@pytest.fixture
def month(session):
    return make_month(session)


@pytest.fixture
def supervisor(client, month):
    login(client, "s1")
    return client


def test_it_shows_the_office_s_figures_with_charts_drawn_on_the_server(supervisor):
    page = supervisor.get(f"/staff/quality?{SEPTEMBER}").get_data(as_text=True)
    assert 'class="kpi-value">11<' in page  # items created at O1 in September
    assert page.count("<svg") == 5 and "<script" not in page and " style=" not in page
    assert "Người nhận vắng nhà" in page  # the Pareto's first reason, in Vietnamese


def test_it_keeps_what_was_typed_and_names_the_field_in_error(supervisor):
    response = supervisor.get("/staff/quality?from=2026-09-31&to=2026-09-30&office=O3")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="2026-09-31"' in page and 'value="O3" selected' in page
    assert "YYYY-MM-DD" in page and "no such office within your scope" in page


def test_it_defaults_to_this_month(supervisor):
    assert supervisor.get("/staff/quality").status_code == 200


def test_it_links_the_dashboard_from_the_staff_bar(supervisor):
    assert 'href="/staff/quality"' in supervisor.get("/staff/password").get_data(as_text=True)
