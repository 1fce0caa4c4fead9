"""Recording label prints in the domain: a reprint says why, reasons have a length, batches may
leave the reason out."""

import pytest

from delivery.errors import ValidationFailed
from delivery.printing import MAX_PRINT_REASON, print_reason, record_label_print, record_prints


def test_it_records_a_first_print_without_a_reason(session, new_consignment):
    row = record_label_print(session, new_consignment(), "user:1", "pdf")
    assert (row.reprint, row.reason, row.format) == (False, None, "pdf")


def test_it_records_a_reprint_with_its_reason_trimmed(session, new_consignment):
    item = new_consignment()
    record_label_print(session, item, "user:1", "pdf")
    row = record_label_print(session, item, "user:2", "svg", "  rách nhãn ")
    assert (row.reprint, row.reason, row.actor) == (True, "rách nhãn", "user:2")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_it_refuses_a_reprint_without_a_reason(session, new_consignment, reason):
    item = new_consignment()
    record_label_print(session, item, "user:1", "pdf")
    with pytest.raises(ValidationFailed) as error:
        record_label_print(session, item, "user:1", "pdf", reason)
    assert list(error.value.errors) == ["reason"]


def test_it_lets_a_batch_reprint_without_a_reason(session, new_consignment):
    items = [new_consignment(), new_consignment()]
    record_label_print(session, items[0], "user:1", "pdf")
    rows = record_prints(session, items, "user:1", "html")
    assert [r.reprint for r in rows] == [True, False]


@pytest.mark.parametrize("raw", ["x" * (MAX_PRINT_REASON + 1), " " * (MAX_PRINT_REASON + 1), 7,
                                 ["torn"]])
def test_it_names_the_reason_when_it_is_too_long_or_not_text(raw):
    with pytest.raises(ValidationFailed) as error:
        print_reason(raw)
    assert list(error.value.errors) == ["reason"]


def test_it_takes_a_reason_of_exactly_the_limit():
    assert print_reason("x" * MAX_PRINT_REASON) == "x" * MAX_PRINT_REASON
