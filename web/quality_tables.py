"""The tables of the quality dashboard, as plain rows: the page shows them, CSV and XLSX export them
and the monthly PDF prints them, so all four say the same. The page gets them in the reader's
language (``dashboard_tables``); the files, read by other programs and sent on, keep both languages
in every cell ("Vietnamese / English", ``bilingual_tables``). Events carry their UPU EMSEVT code
beside our name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from delivery.models import VIETNAM_TIME
from delivery.status_model import UPU_CODES
from tracking.message_costs import ChannelCost
from tracking.service_quality import QualityReport
from tracking.wording import reason_label, status_label

from .i18n import current_language, lazy_gettext, pgettext, speaking
from .i18n import gettext as _

BUCKET_LABELS = {
    "under_1_day": lazy_gettext("< 1 ngày"), "1_2_days": lazy_gettext("1–2 ngày"),
    "2_3_days": lazy_gettext("2–3 ngày"), "3_5_days": lazy_gettext("3–5 ngày"),
    "5_7_days": lazy_gettext("5–7 ngày"), "over_7_days": lazy_gettext("≥ 7 ngày")}
OUTCOME_EVENTS = (("delivered", lazy_gettext("Phát thành công")),
                  ("delivery_failed", lazy_gettext("Phát không thành công")),
                  ("returned_to_agency", lazy_gettext("Chuyển hoàn cơ quan")))


@dataclass(frozen=True)
class Table:
    key: str  # in export file names and URLs
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def local(value: Any) -> str:
    return value.astimezone(VIETNAM_TIME).strftime("%Y-%m-%d %H:%M") if value else ""


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def summary_table(report: QualityReport) -> Table:
    f, r = report.figures, report.rating
    rows = [
        (_("Bưu gửi tạo trong kỳ"), f.volume),
        (_("Phát thành công"), f.delivered),
        (_("Đúng hạn"), f.on_time), (_("Trễ hạn"), f.late),
        (_("Không có hạn phát"), f.without_due_date),
        (_("Chuyển hoàn cơ quan"), f.returned),
        (_("Phát thành công lần đầu"), percent(f.first_attempt_success_rate)),
        (_("Số lần phát mỗi bưu gửi"),
         "—" if f.attempts_per_delivery is None else f.attempts_per_delivery),
        (_("Lần phát không thành công"), f.failed_attempts),
        (_("Quá hạn chưa phát"), f.past_due_count),
        (_("Đã thu (VND)"), f.collected_vnd),
        (_("Còn phải thu (VND)"), f.to_collect_vnd),
        (_("Lượt đánh giá"), r.count),
        (_("Điểm trung bình"), "—" if r.average is None else r.average),
    ]
    return Table("summary", _("Tổng hợp"), (_("Chỉ tiêu"), _("Giá trị")), rows)


def events_table(report: QualityReport) -> Table:
    f = report.figures
    counts = {"delivered": f.delivered, "delivery_failed": f.failed_attempts,
              "returned_to_agency": f.returned}
    rows = [(event, UPU_CODES[event] or "—", str(label), counts[event])
            for event, label in OUTCOME_EVENTS]
    return Table("events", _("Sự kiện trong kỳ"),
                 (_("Sự kiện"), "UPU EMSEVT", _("Tên"), _("Số lượng")), rows)


def failures_table(report: QualityReport) -> Table:
    rows = [(s.reason, reason_label(s.reason, current_language()), s.count,
             percent(s.cumulative_share)) for s in report.figures.failures_by_reason]
    return Table("failures", _("Lý do phát không thành công"),
                 (_("Mã"), _("Lý do"), _("Số lần"), _("Lũy kế")), rows)


def delivery_times_table(report: QualityReport) -> Table:
    rows = [(str(BUCKET_LABELS[key]), count)
            for key, count in report.figures.delivery_times.items()]
    return Table("delivery_times", _("Thời gian từ khi tạo đến khi phát"),
                 (_("Thời gian"), _("Số bưu gửi")), rows)


def _holder(kind: str) -> str:
    """Who holds a past-due item: a courier, an office, or the agency (not handed over yet)."""
    return {"courier": _("Bưu tá"), "office": pgettext("singular", "Bưu cục"),
            "agency": _("Cơ quan (chưa bàn giao)")}.get(kind, kind)


def past_due_table(report: QualityReport) -> Table:
    rows = [(item.tracking_number, local(item.due_at),
             status_label(item.status, current_language()),
             _holder(item.holder_kind), item.holder) for item in report.figures.past_due]
    return Table("past_due", _("Quá hạn chưa phát, cũ nhất trước"),
                 (_("Số hiệu"), _("Hạn phát"), _("Trạng thái"), _("Đang giữ"), _("Tên")), rows)


def comments_table(report: QualityReport) -> Table:
    rows = [(c.tracking_number, c.stars, c.comment, local(c.given_at))
            for c in report.rating.recent_comments]
    return Table("comments", _("Nhận xét gần đây"),
                 (_("Số hiệu"), _("Sao"), _("Nhận xét"), _("Ngày")), rows)


CHANNEL_LABELS = {"sms": "SMS", "zns": "Zalo ZNS"}


def message_costs_table(costs: list[ChannelCost]) -> Table:
    """What the messages to citizens cost (tracking.message_costs); not part of the report itself,
    so the page and the exports add it (``dashboard_tables``)."""
    rows = [(c.month, f"{c.agency_code} {c.agency_name}", CHANNEL_LABELS.get(c.channel, c.channel),
             c.messages, c.segments if c.channel == "sms" else "—", c.price_vnd) for c in costs]
    return Table("message_costs", _("Chi phí tin nhắn theo tháng"),
                 (_("Tháng"), pgettext("singular", "Cơ quan"), _("Kênh"), _("Số tin"),
                  _("Số phần SMS"), _("Chi phí (VND)")), rows)


BUILDERS = (summary_table, events_table, failures_table, delivery_times_table, past_due_table,
            comments_table)
TABLE_KEYS = ("summary", "events", "failures", "delivery_times", "past_due", "comments")


def dashboard_tables(report: QualityReport,
                     costs: list[ChannelCost] | None = None) -> dict[str, Table]:
    """Every table of the dashboard, by key, in page order, in this request's language; the
    message costs when given."""
    tables = {table.key: table for table in (build(report) for build in BUILDERS)}
    if costs is not None:
        tables["message_costs"] = message_costs_table(costs)
    return tables


def bilingual_tables(report: QualityReport,
                     costs: list[ChannelCost] | None = None) -> dict[str, Table]:
    """``dashboard_tables`` for the files: every text that differs between the languages written
    "Vietnamese / English", whoever downloads them (a file is passed on, its reader's language is
    unknown)."""
    with speaking("vi"):
        vietnamese = dashboard_tables(report, costs)
    with speaking("en"):
        english = dashboard_tables(report, costs)
    return {key: _both(table, english[key]) for key, table in vietnamese.items()}


def _both(vietnamese: Table, english: Table) -> Table:
    return replace(vietnamese, title=_pair(vietnamese.title, english.title),
                   headers=tuple(map(_pair, vietnamese.headers, english.headers)),
                   rows=[tuple(map(_pair, vi_row, en_row))
                         for vi_row, en_row in zip(vietnamese.rows, english.rows, strict=True)])


def _pair(vietnamese: Any, english: Any) -> Any:
    return f"{vietnamese} / {english}" if vietnamese != english else vietnamese
