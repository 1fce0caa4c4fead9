"""The staff's navigation bar: each role's pages, in the order of their day, from one list.

Roles here only choose which links to show; each page still checks its own (web/auth.py
``require``), and a test checks that no link is shown to a role its page refuses.
"""

from __future__ import annotations

from typing import NamedTuple

from babel.support import LazyProxy
from flask import request, url_for

from .auth import current_user
from .i18n import lazy_gettext as _

COUNTER = ("counter", "supervisor")
SUPERVISION = ("supervisor",)
COURIER = ("courier", "supervisor")


class NavLink(NamedTuple):
    endpoint: str
    label: LazyProxy  # the words, in the reader's language (web/i18n.py)
    roles: tuple[str, ...]  # admins see every link


NAV: tuple[NavLink, ...] = (
    NavLink("pages.courier_home", _("Việc hôm nay"), COURIER),
    NavLink("pages.courier_scan_page", _("Quét"), ("courier",)),
    NavLink("counter.home", _("Bưu gửi"), COUNTER),
    NavLink("counter.new", _("Tạo bưu gửi"), COUNTER),
    NavLink("counter.new_collection", _("Thu gom hồ sơ"), COUNTER),
    NavLink("counter.new_import", _("Nhập từ tệp"), COUNTER),
    NavLink("printing.batch_page", _("In nhãn"), COUNTER),
    NavLink("counter.new_manifest", _("Bàn giao"), COUNTER),
    NavLink("counter.new_dossier_manifest", _("Bàn giao hồ sơ"), COUNTER),
    NavLink("counter.scan_manifest", _("Quét biên bản"), COUNTER),
    NavLink("outbox_admin.citizen_requests", _("Yêu cầu của người nhận"), COUNTER),
    NavLink("at_risk.at_risk", _("Sắp trễ hạn"), SUPERVISION),
    NavLink("reconciliation.page", _("Đối soát thu hộ"), SUPERVISION),
    NavLink("quality.dashboard", _("Chất lượng"), SUPERVISION),
    NavLink("ratings.ratings", _("Đánh giá"), SUPERVISION),
    NavLink("outbox_admin.outbox", _("Tin nhắn đi"), SUPERVISION),
    NavLink("audit.audit_log", _("Nhật ký"), SUPERVISION),
    NavLink("admin_users.staff", _("Nhân viên"), ()),
    NavLink("admin_directory.agencies", _("Cơ quan"), ()),
    NavLink("admin_offices.offices", _("Bưu cục"), ()),
    NavLink("admin_directory.coverage", _("Độ phủ"), ()),
    NavLink("audit.api_clients", _("Khóa API"), ()),
)


def links_for(role: str) -> list[NavLink]:
    """The links ``role`` sees, in NAV's order."""
    return [link for link in NAV if role == "admin" or role in link.roles]


def nav_links() -> list[dict[str, str | bool]]:
    """The current user's links for the template: label, url, and whether it is this page."""
    user = current_user()
    if user is None:
        return []
    return [{"label": str(link.label), "url": url_for(link.endpoint),
             "here": request.endpoint == link.endpoint} for link in links_for(user.role)]
