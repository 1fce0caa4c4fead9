"""The tables of the quality dashboard, as plain rows: the page shows them, CSV and XLSX export them
and the monthly PDF prints them, so all four say the same. Vietnamese first, English after, in the
post's words; events carry their UPU EMSEVT code beside our name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from delivery.models import VIETNAM_TIME
from delivery.status_model import UPU_CODES
from tracking.message_costs import ChannelCost
from tracking.service_quality import QualityReport
from tracking.wording import reason_label, status_label

BUCKET_LABELS = {
    "under_1_day": "< 1 ngày / day", "1_2_days": "1–2 ngày / days", "2_3_days": "2–3 ngày / days",
    "3_5_days": "3–5 ngày / days", "5_7_days": "5–7 ngày / days",
    "over_7_days": "≥ 7 ngày / days"}
HOLDERS = {"courier": "Bưu tá / courier", "office": "Bưu cục / office",
           "agency": "Cơ quan (chưa bàn giao) / agency (not handed over)"}
OUTCOME_EVENTS = (("delivered", "Phát thành công / delivered"),
                  ("delivery_failed", "Phát không thành công / delivery attempt failed"),
                  ("returned_to_agency", "Chuyển hoàn cơ quan / returned to the agency"))


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
        ("Bưu gửi tạo trong kỳ / items created", f.volume),
        ("Phát thành công / delivered", f.delivered),
        ("Đúng hạn / on time", f.on_time), ("Trễ hạn / late", f.late),
        ("Không có hạn phát / no due date", f.without_due_date),
        ("Chuyển hoàn cơ quan / returned to the agency", f.returned),
        ("Phát thành công lần đầu / first-attempt success", percent(f.first_attempt_success_rate)),
        ("Số lần phát mỗi bưu gửi / attempts per delivery",
         "—" if f.attempts_per_delivery is None else f.attempts_per_delivery),
        ("Lần phát không thành công / failed attempts", f.failed_attempts),
        ("Quá hạn chưa phát / past due, open", f.past_due_count),
        ("Đã thu (VND) / collected", f.collected_vnd),
        ("Còn phải thu (VND) / to collect", f.to_collect_vnd),
        ("Lượt đánh giá / ratings", r.count),
        ("Điểm trung bình / average stars", "—" if r.average is None else r.average),
    ]
    return Table("summary", "Tổng hợp / Summary", ("Chỉ tiêu / Figure", "Giá trị / Value"), rows)


def events_table(report: QualityReport) -> Table:
    f = report.figures
    counts = {"delivered": f.delivered, "delivery_failed": f.failed_attempts,
              "returned_to_agency": f.returned}
    rows = [(event, UPU_CODES[event] or "—", label, counts[event])
            for event, label in OUTCOME_EVENTS]
    return Table("events", "Sự kiện trong kỳ / Events in the period",
                 ("Sự kiện / Event", "UPU EMSEVT", "Tên / Name", "Số lượng / Count"), rows)


def failures_table(report: QualityReport) -> Table:
    rows = [(s.reason, f"{reason_label(s.reason)} / {reason_label(s.reason, 'en')}", s.count,
             percent(s.cumulative_share)) for s in report.figures.failures_by_reason]
    return Table("failures", "Lý do phát không thành công / Non-delivery reasons",
                 ("Mã / Code", "Lý do / Reason", "Số lần / Count", "Lũy kế / Cumulative"), rows)


def delivery_times_table(report: QualityReport) -> Table:
    rows = [(BUCKET_LABELS[key], count) for key, count in report.figures.delivery_times.items()]
    return Table("delivery_times", "Thời gian từ khi tạo đến khi phát / Intake to delivery",
                 ("Thời gian / Time", "Số bưu gửi / Items"), rows)


def past_due_table(report: QualityReport) -> Table:
    rows = [(item.tracking_number, local(item.due_at),
             f"{status_label(item.status)} / {status_label(item.status, 'en')}",
             HOLDERS[item.holder_kind], item.holder) for item in report.figures.past_due]
    return Table("past_due", "Quá hạn chưa phát, cũ nhất trước / Past due, oldest first",
                 ("Số hiệu / Number", "Hạn phát / Due", "Trạng thái / Status",
                  "Đang giữ / Held by", "Tên / Name"), rows)


def comments_table(report: QualityReport) -> Table:
    rows = [(c.tracking_number, c.stars, c.comment, local(c.given_at))
            for c in report.rating.recent_comments]
    return Table("comments", "Nhận xét gần đây / Recent comments",
                 ("Số hiệu / Number", "Sao / Stars", "Nhận xét / Comment", "Ngày / Date"), rows)


CHANNEL_LABELS = {"sms": "SMS", "zns": "Zalo ZNS"}


def message_costs_table(costs: list[ChannelCost]) -> Table:
    """What the messages to citizens cost (tracking.message_costs); not part of the report itself,
    so the page and the exports add it (``dashboard_tables``)."""
    rows = [(c.month, f"{c.agency_code} {c.agency_name}", CHANNEL_LABELS.get(c.channel, c.channel),
             c.messages, c.segments if c.channel == "sms" else "—", c.price_vnd) for c in costs]
    return Table("message_costs", "Chi phí tin nhắn theo tháng / Monthly message cost",
                 ("Tháng / Month", "Cơ quan / Agency", "Kênh / Channel", "Số tin / Messages",
                  "Số phần SMS / SMS segments", "Chi phí (VND) / Cost"), rows)


BUILDERS = (summary_table, events_table, failures_table, delivery_times_table, past_due_table,
            comments_table)
TABLE_KEYS = ("summary", "events", "failures", "delivery_times", "past_due", "comments")


def dashboard_tables(report: QualityReport,
                     costs: list[ChannelCost] | None = None) -> dict[str, Table]:
    """Every table of the dashboard, by key, in page order; the message costs when given."""
    tables = {table.key: table for table in (build(report) for build in BUILDERS)}
    if costs is not None:
        tables["message_costs"] = message_costs_table(costs)
    return tables
