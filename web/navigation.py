"""The staff's navigation bar: each role's pages, in the order of their day, from one list.

Roles here only choose which links to show; each page still checks its own (web/auth.py
``require``), and a test checks that no link is shown to a role its page refuses.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import request, url_for

from .auth import current_user

COUNTER = ("counter", "supervisor")
SUPERVISION = ("supervisor",)
COURIER = ("courier", "supervisor")


class NavLink(NamedTuple):
    endpoint: str
    vi: str
    en: str
    roles: tuple[str, ...]  # admins see every link


NAV: tuple[NavLink, ...] = (
    NavLink("pages.courier_home", "Việc hôm nay", "Today's round", COURIER),
    NavLink("pages.courier_scan_page", "Quét", "Scan", ("courier",)),
    NavLink("counter.home", "Bưu gửi", "Items", COUNTER),
    NavLink("counter.new", "Tạo bưu gửi", "New item", COUNTER),
    NavLink("counter.new_collection", "Thu gom hồ sơ", "Book a collection", COUNTER),
    NavLink("counter.new_import", "Nhập từ tệp", "Import a file", COUNTER),
    NavLink("printing.batch_page", "In nhãn", "Print labels", COUNTER),
    NavLink("counter.new_manifest", "Bàn giao", "Handover", COUNTER),
    NavLink("counter.new_dossier_manifest", "Bàn giao hồ sơ", "Dossier handover", COUNTER),
    NavLink("counter.scan_manifest", "Quét biên bản", "Scan a manifest", COUNTER),
    NavLink("outbox_admin.citizen_requests", "Yêu cầu của người nhận", "Citizens' requests",
            COUNTER),
    NavLink("at_risk.at_risk", "Sắp trễ hạn", "At risk", SUPERVISION),
    NavLink("reconciliation.page", "Đối soát thu hộ", "Cash reconciliation", SUPERVISION),
    NavLink("quality.dashboard", "Chất lượng", "Quality", SUPERVISION),
    NavLink("ratings.ratings", "Đánh giá", "Ratings", SUPERVISION),
    NavLink("outbox_admin.outbox", "Tin nhắn đi", "Outgoing messages", SUPERVISION),
    NavLink("audit.audit_log", "Nhật ký", "Audit log", SUPERVISION),
    NavLink("admin_users.staff", "Nhân viên", "Staff", ()),
    NavLink("admin_directory.agencies", "Cơ quan", "Agencies", ()),
    NavLink("admin_offices.offices", "Bưu cục", "Offices", ()),
    NavLink("admin_directory.coverage", "Độ phủ", "Coverage", ()),
    NavLink("audit.api_clients", "Khóa API", "API keys", ()),
)


def links_for(role: str) -> list[NavLink]:
    """The links ``role`` sees, in NAV's order."""
    return [link for link in NAV if role == "admin" or role in link.roles]


def nav_links() -> list[dict[str, str | bool]]:
    """The current user's links for the template: label, url, and whether it is this page."""
    user = current_user()
    if user is None:
        return []
    return [{"vi": link.vi, "en": link.en, "url": url_for(link.endpoint),
             "here": request.endpoint == link.endpoint} for link in links_for(user.role)]
