"""proof.id_source: whether the ID digits of a delivery were read from the card's QR or typed,
kept with the event."""

import json

import pytest

from delivery.access import EVERYTHING
from delivery.errors import ValidationFailed
from tests.payloads import PROOF, scan_body
from tests.tracking.test_scans import _to_out_for_delivery
from tracking.scans import record_scan


def test_it_keeps_that_the_digits_were_read_from_the_card(session, consignment):
    _to_out_for_delivery(session, consignment)
    body = scan_body(consignment.tracking_number, "delivered",
                     proof={**PROOF, "id_source": "cccd_qr"})
    result = record_scan(session, body, "user:1", scope=EVERYTHING, otp_required=False)
    session.commit()
    assert json.loads(result.event.proof)["id_source"] == "cccd_qr"


def test_it_keeps_no_source_when_none_is_given(session, consignment):
    _to_out_for_delivery(session, consignment)
    result = record_scan(session, scan_body(consignment.tracking_number, "delivered"), "user:1",
                         scope=EVERYTHING, otp_required=False)
    assert "id_source" not in json.loads(result.event.proof)


def test_it_refuses_an_unknown_source(session, consignment):
    _to_out_for_delivery(session, consignment)
    body = scan_body(consignment.tracking_number, "delivered",
                     proof={**PROOF, "id_source": "photo"})
    with pytest.raises(ValidationFailed) as refused:
        record_scan(session, body, "user:1", scope=EVERYTHING)
    assert refused.value.errors == {"proof.id_source": "một trong / one of: cccd_qr, typed"}
