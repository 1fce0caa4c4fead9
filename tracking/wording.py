"""What statuses and events are called on pages and in messages, Vietnamese first, then English."""

from __future__ import annotations

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "created": ("Đã tạo bưu gửi, chờ bàn giao", "Created, awaiting handover"),
    "accepted": ("Bưu điện đã nhận", "Accepted by the post office"),
    "in_transit": ("Đang vận chuyển", "In transit"),
    "at_delivery_office": ("Đã đến bưu cục phát", "At the delivery office"),
    "out_for_delivery": ("Đang đi phát", "Out for delivery"),
    "attempt_failed": ("Phát không thành công", "Delivery attempt failed"),
    "held_for_pickup": ("Chờ nhận tại bưu cục", "Waiting for pick-up at the post office"),
    "delivered": ("Đã phát thành công", "Delivered"),
    "returning": ("Đang chuyển hoàn", "Returning to the issuing agency"),
    "returned": ("Đã chuyển hoàn cơ quan", "Returned to the issuing agency"),
    "cancelled": ("Đã hủy", "Cancelled"),
    # a collection (a dossier going to the agency)
    "picked_up": ("Bưu tá đã nhận hồ sơ", "Dossier collected by the courier"),
    "handed_to_agency": ("Đã bàn giao hồ sơ cho cơ quan giải quyết",
                         "Dossier handed to the agency"),
}

# How a status reads at a glance (its colour on pages, always with its words): delivered is done,
# a failure or a return is a problem, waiting at the office asks the citizen to act, the rest is
# on its way.
STATUS_TONES: dict[str, str] = {"delivered": "done", "handed_to_agency": "done",
                                "attempt_failed": "problem",
                                "returning": "problem", "returned": "problem",
                                "cancelled": "problem", "held_for_pickup": "action"}


def status_tone(status: str) -> str:
    """``done``, ``problem``, ``action`` or ``progress``: see STATUS_TONES."""
    return STATUS_TONES.get(status, "progress")


EVENT_LABELS: dict[str, tuple[str, str]] = {
    "accepted": ("Bưu điện nhận bưu gửi", "Accepted at the counter"),
    "arrived_hub": ("Đến trung tâm khai thác", "Arrived at the sorting centre"),
    "departed_hub": ("Rời trung tâm khai thác", "Left the sorting centre"),
    "arrived_delivery_office": ("Đến bưu cục phát", "Arrived at the delivery office"),
    "out_for_delivery": ("Bưu tá đang đi phát", "Out for delivery"),
    "delivery_failed": ("Phát không thành công", "Delivery attempt failed"),
    "held_for_pickup": ("Lưu tại bưu cục chờ nhận", "Held for pick-up"),
    "delivered": ("Phát thành công", "Delivered"),
    "returned_to_agency": ("Đã trả lại cơ quan giải quyết", "Returned to the issuing agency"),
    "cancelled": ("Hủy bưu gửi", "Cancelled"),
    "picked_up": ("Bưu tá nhận hồ sơ tại nhà", "Dossier collected at the citizen's address"),
    "handed_to_agency": ("Bàn giao hồ sơ cho cơ quan giải quyết", "Handed to the agency"),
    "pickup_expired": ("Hết hạn chờ nhận tại bưu cục, chuyển hoàn",
                       "Not collected in time; returning to the agency"),
    "reschedule_requested": ("Người nhận hẹn ngày giao khác",
                             "Recipient asked for another delivery date"),
    "pickup_requested": ("Người nhận đăng ký nhận tại bưu cục",
                         "Recipient will collect at the post office"),
    "instructions_given": ("Người nhận gửi chỉ dẫn cho bưu tá",
                           "Recipient left instructions for the courier"),
    "channel_chosen": ("Người nhận chọn kênh nhận tin (Zalo hoặc SMS)",
                       "Recipient chose how to be messaged (Zalo or SMS)"),
    "rerouted": ("Chuyển tuyến đến bưu cục phát khác", "Re-routed to another delivery office"),
    "due_date_changed": ("Điều chỉnh hạn phát theo lịch làm việc",
                         "Due date changed with the working calendar"),
}

LANGUAGES = ("vi", "en")


# Where a collection (a dossier going to the agency) is, where its words differ from a result's.
COLLECTION_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "created": ("Đã đặt lịch, chờ bưu tá đến nhận hồ sơ",
                "Booked: waiting for the courier to collect the dossier"),
    "accepted": ("Bưu điện đã nhận hồ sơ tại quầy", "Dossier received at the counter"),
    "attempt_failed": ("Bưu tá chưa nhận được hồ sơ", "The courier could not collect the dossier"),
    "at_delivery_office": ("Đã đến bưu cục bàn giao cơ quan",
                           "At the office that hands it to the agency"),
}


def status_label(status: str, lang: str = "vi", direction: str = "to_citizen") -> str:
    """What ``status`` is called for an item going ``direction`` (a collection's own words
    first)."""
    own = COLLECTION_STATUS_LABELS.get(status) if direction == "to_agency" else None
    vi, en = own or STATUS_LABELS.get(status, (status, status))
    return en if lang == "en" else vi


# What a collection's events are called where a result's words would mislead (its hub scans say
# where the dossier left or reached, its arrival is at the office serving the agency).
COLLECTION_EVENT_LABELS: dict[str, tuple[str, str]] = {
    "accepted": ("Bưu điện nhận hồ sơ tại quầy", "Dossier handed in at the counter"),
    "departed_hub": ("Chuyển đi từ bưu cục", "Left the post office"),
    "arrived_hub": ("Đến bưu cục trung chuyển", "Reached a post office on the way"),
    "arrived_delivery_office": ("Đến bưu cục bàn giao cơ quan",
                                "Reached the office that hands it to the agency"),
    "delivery_failed": ("Bưu tá chưa nhận được hồ sơ", "The courier could not collect it"),
    "cancelled": ("Hủy lịch thu gom", "Collection cancelled"),
}


def event_label(event: str, lang: str = "vi", direction: str = "to_citizen") -> str:
    """What ``event`` is called for an item going ``direction``."""
    own = COLLECTION_EVENT_LABELS.get(event) if direction == "to_agency" else None
    vi, en = own or EVENT_LABELS.get(event, (event, event))
    return en if lang == "en" else vi


REASON_LABELS: dict[str, tuple[str, str]] = {
    "recipient_absent": ("Người nhận vắng nhà", "Recipient absent"),
    "address_incorrect": ("Địa chỉ sai hoặc thiếu", "Address incorrect or incomplete"),
    "recipient_refused": ("Người nhận từ chối", "Recipient refused"),
    "recipient_moved": ("Người nhận đã chuyển đi", "Recipient moved"),
    "identity_not_verified": ("Không xác minh được danh tính", "Identity could not be verified"),
    "recipient_asked_another_date": ("Người nhận hẹn ngày khác",
                                     "Recipient asked for another date"),
    "premises_closed": ("Nơi nhận đóng cửa / không an toàn", "Premises closed or unsafe"),
    "other": ("Lý do khác (ghi rõ)", "Other (explain in the note)"),
}
# Reasons other events carry (not why a delivery failed): an out_for_delivery before the
# recipient's day, or though they will collect at the office (delivery.requested_date).
OTHER_REASON_LABELS: dict[str, tuple[str, str]] = {
    "before_requested_date": ("Đi phát trước ngày người nhận hẹn",
                              "Sent out before the day the recipient asked for"),
    "despite_pickup_request": ("Đi phát dù người nhận đăng ký nhận tại bưu cục",
                               "Sent out though the recipient will collect at the office"),
}


def reason_label(reason: str, lang: str = "vi") -> str:
    vi, en = REASON_LABELS.get(reason) or OTHER_REASON_LABELS.get(reason, (reason, reason))
    return en if lang == "en" else vi


# What the courier's buttons say: what the person does, in the post's words (a status says where
# the item is: EVENT_LABELS).
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "delivered": ("Xác nhận phát thành công", "Confirm delivered"),
    "delivery_failed": ("Báo phát không thành công", "Report a failed delivery"),
    "out_for_delivery": ("Nhận bưu gửi đi phát", "Take it out for delivery"),
    "held_for_pickup": ("Lưu tại bưu cục chờ nhận", "Hold at the office for pick-up"),
    "returned_to_agency": ("Chuyển hoàn cơ quan giải quyết", "Return to the issuing agency"),
    "picked_up": ("Xác nhận đã nhận hồ sơ", "Confirm the dossier collected"),
    "handed_to_agency": ("Bàn giao hồ sơ cho cơ quan", "Hand the dossier to the agency"),
}


# A collection's buttons where they differ from a result's.
COLLECTION_ACTION_LABELS: dict[str, tuple[str, str]] = {
    "accepted": ("Xác nhận đã nhận hồ sơ tại quầy", "Confirm the dossier received at the counter"),
    "delivery_failed": ("Báo không nhận được hồ sơ", "Report the dossier not collected"),
}


def action_label(event: str, lang: str = "vi", direction: str = "to_citizen") -> str:
    """The button that records ``event`` for an item going ``direction``: its own words, else the
    event's label."""
    own = COLLECTION_ACTION_LABELS.get(event) if direction == "to_agency" else None
    vi, en = own or ACTION_LABELS.get(event) or EVENT_LABELS.get(event, (event, event))
    return en if lang == "en" else vi
