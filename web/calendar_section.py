"""What the admin's agency page shows of the working calendar: the transit-day and ward form, the
agency's own days off and make-up days. Kept apart from the views (web.admin_calendar), which
render the agency page (web.admin_directory) that in turn shows this section."""

from __future__ import annotations

from datetime import date
from typing import Any

from delivery.calendar import calendar_days
from delivery.due_dates import MAX_TRANSIT_DAYS, route_settings_of
from delivery.models import VIETNAM_TIME, Agency, utcnow

from .db import get_session
from .i18n import lazy_gettext as _

ROUTE_FIELDS = {
    "transit_days_same_office": _("Cùng bưu cục phát, ngày làm việc"),
    "transit_days_same_province": _("Cùng tỉnh"),
    "transit_days_other_province": _("Tỉnh khác"),
    "ward_code": _("Mã phường xã trụ sở cơ quan"),
}
DAY_FIELDS = {"day": _("Ngày"), "working": _("Loại ngày"), "note": _("Ghi chú")}


def calendar_context(agency: Agency, *, routes_form: Any = None, routes_errors: Any = None,
                     day_form: Any = None, day_errors: Any = None) -> dict[str, Any]:
    """What the agency page's calendar section shows; the forms filled from the agency unless a
    refused form's input is given."""
    settings = route_settings_of(agency)
    today = utcnow().astimezone(VIETNAM_TIME).date()
    return {
        "routes_form": routes_form or {name: str(getattr(settings, name) or "")
                                       for name in ROUTE_FIELDS},
        "routes_errors": routes_errors or {}, "route_fields": ROUTE_FIELDS,
        "max_transit_days": MAX_TRANSIT_DAYS,
        "day_form": day_form or {"working": "off"}, "day_errors": day_errors or {},
        "day_fields": DAY_FIELDS,
        "agency_days": calendar_days(get_session(), agency, since=date(today.year, 1, 1)),
    }
