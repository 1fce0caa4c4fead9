import pytest
from sqlmodel import select

from delivery import s10
from delivery.errors import AddressNotResolved, Conflict, ValidationFailed
from delivery.intake import create_consignment, parse_intake
from delivery.models import Consignment
from tests.payloads import intake_body


def test_it_creates_a_consignment_with_a_valid_s10_number(new_consignment):
    consignment = new_consignment()
    assert s10.is_valid(consignment.tracking_number)
    assert consignment.tracking_number.endswith("VN")


def test_it_places_the_contract_address_on_the_new_ward(new_consignment):
    consignment = new_consignment()
    assert (consignment.province_code, consignment.street) == (1, "Số 12 Lý Thái Tổ")
    assert consignment.legacy_district == "Quận Hoàn Kiếm"


def test_it_keeps_the_address_as_written(new_consignment):
    assert new_consignment().address_text == intake_body()["address"]


def test_it_stores_only_the_last_four_digits_of_the_national_id(new_consignment):
    assert new_consignment().recipient_id_last4 == "2345"


def test_it_gives_every_consignment_an_unguessable_token(new_consignment):
    first, second = new_consignment(), new_consignment()
    assert len(first.tracking_token) >= 32 and first.tracking_token != second.tracking_token


def test_it_returns_the_same_consignment_for_an_identical_repeat(session, agency):
    first, created = create_consignment(session, parse_intake(intake_body()), agency,
                                        indicator="RR")
    session.commit()
    again, created_again = create_consignment(session, parse_intake(intake_body()), agency,
                                              indicator="RR")
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert len(session.exec(select(Consignment)).all()) == 1


def test_it_refuses_the_same_dossier_code_with_a_different_body(session, agency):
    create_consignment(session, parse_intake(intake_body()), agency, indicator="RR")
    session.commit()
    with pytest.raises(Conflict, match="different body"):
        create_consignment(session, parse_intake(intake_body(note="khác")), agency, indicator="RR")


def test_it_reports_every_field_error_at_once():
    body = intake_body(dossier_code="bad", recipient={"name": "", "phone": "123"},
                       payment={"payer": "someone", "amount_vnd": -1})
    with pytest.raises(ValidationFailed) as error:
        parse_intake(body)
    assert set(error.value.errors) == {"dossier_code", "recipient.name", "recipient.phone",
                                       "payment.payer", "payment.amount_vnd"}


def test_it_names_a_bad_national_id():
    with pytest.raises(ValidationFailed) as error:
        parse_intake(intake_body(recipient={"name": "An", "phone": "0912345678",
                                            "national_id": "12AB"}))
    assert "recipient.national_id" in error.value.errors


def test_it_refuses_a_body_that_is_not_an_object():
    with pytest.raises(ValidationFailed):
        parse_intake(["not", "an", "object"])


def test_it_accepts_a_structured_address(session, agency):
    body = intake_body(address={"street": "Số 1 Tràng Tiền", "ward_code": 70, "province_code": 1})
    consignment, _ = create_consignment(session, parse_intake(body), agency, indicator="RR")
    assert (consignment.ward_code, consignment.legacy_ward) == (70, None)


def test_it_refuses_a_ward_outside_the_given_province():
    with pytest.raises(ValidationFailed):
        parse_intake(intake_body(address={"street": "Số 1", "ward_code": 70, "province_code": 79}))


def test_it_gives_candidates_for_an_address_it_cannot_place():
    with pytest.raises(AddressNotResolved):
        parse_intake(intake_body(address="asdf qwerty zxcv"))


def test_it_refuses_a_dossier_code_of_another_unit_naming_the_expected_prefix(session, agency):
    body = intake_body(dossier_code="000.00.01.H29-250609-0001")
    with pytest.raises(ValidationFailed) as error:
        create_consignment(session, parse_intake(body), agency, indicator="RR")
    assert set(error.value.errors) == {"dossier_code"}
    assert "000.00.01.H26" in error.value.errors["dossier_code"]
    assert session.exec(select(Consignment)).all() == []


def test_it_reports_another_units_code_with_the_other_field_errors():
    body = intake_body(dossier_code="000.00.01.H29-250609-0001",
                       recipient={"name": "An", "phone": "123"})
    with pytest.raises(ValidationFailed) as error:
        parse_intake(body, agency_code="000.00.01.H26")
    assert set(error.value.errors) == {"dossier_code", "recipient.phone"}
    assert error.value.errors["dossier_code"].startswith("Mã hồ sơ / Dossier code")


def test_it_looks_a_repeat_up_within_the_agency_only(session, agency):
    """An item of another agency under the same code (taken before codes were per agency) is
    neither returned nor a conflict: the agency gets its own item."""
    from delivery.models import Agency

    other = Agency(code="000.00.01.H29", name="Trung tâm Phục vụ hành chính công TP. Hồ Chí Minh")
    session.add(other)
    session.flush()
    squatted, _ = create_consignment(session, parse_intake(intake_body()), agency, indicator="RR")
    squatted.agency_id = other.id
    session.commit()
    own, created = create_consignment(session, parse_intake(intake_body(note="khác")), agency,
                                      indicator="RR")
    session.commit()
    assert created and own.id != squatted.id and own.agency_id == agency.id
    assert len(session.exec(select(Consignment)).all()) == 2


def test_it_asks_to_confirm_a_ward_read_through_a_typo_rather_than_storing_it():
    body = intake_body(1, address="Số 9 Lê Lợi, Phường Bến Ngé, Quận 1, TP HCM")
    with pytest.raises(AddressNotResolved) as refused:
        parse_intake(body)
    assert "Bến Ngé → Phường Bến Nghé?" in refused.value.detail
    assert len(refused.value.candidates) == 1
