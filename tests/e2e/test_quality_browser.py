"""The supervisor's quality dashboard in Chromium: the form, the figures and the charts drawn on the
server, with no script; and the page as it prints."""

from __future__ import annotations

from sqlmodel import Session

from tests.e2e.conftest import log_in, screenshot
from tests.quality_month import make_month


def test_it_shows_a_supervisor_the_month_of_their_office_and_prints_it(demo, live_server, page):
    with Session(demo.extensions["db_engine"], expire_on_commit=False) as session:
        make_month(session)
    log_in(page, live_server, "s1")
    page.click("text=Chất lượng")
    page.fill("#q-from", "2026-09-01")
    page.fill("#q-to", "2026-09-30")
    page.select_option("#q-office", "O1")
    page.click("form.quality-form button[type=submit]")
    assert page.locator(".kpi-value").first.inner_text() == "11"
    assert page.locator("svg.chart").count() == 5
    # 8, 5, 9 and, now that October is over, 6 and 10
    assert page.locator("#table-past_due tbody tr").count() == 5
    assert page.input_value("#q-from") == "2026-09-01"  # the form keeps the period
    screenshot(page, "quality-dashboard")
    page.emulate_media(media="print")
    assert not page.locator("form.quality-form").is_visible()
    assert page.locator("svg.chart").first.is_visible()
