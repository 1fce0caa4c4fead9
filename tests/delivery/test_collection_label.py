"""A collected dossier's envelope label goes the other way: from the citizen to the agency."""

from datetime import date

from sqlmodel import Session, select

from delivery.labelling import label_data
from delivery.models import Consignment
from tests.payloads import collection_body, intake_body


def labelled(app, client, headers, path, body):
    number = client.post(path, json=body, headers=headers).get_json()["tracking_number"]
    with Session(app.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()
        return label_data(db, item, qr_url="http://localhost/c/x", printed_on=date(2026, 12, 8))


def test_it_addresses_a_collected_dossier_to_the_agency_through_its_counter(
        demo, client, api_headers):
    label = labelled(demo, client, api_headers, "/api/v1/collections", collection_body())
    assert label.recipient_name == "Trung tâm Phục vụ hành chính công Thành phố Hà Nội"
    assert label.sender == "Trần Thị Bình (Phường Hoàn Kiếm, Thành phố Hà Nội)"
    assert label.destination_office == "Bưu điện Trung tâm Phục vụ HCC Hà Nội"
    assert label.sort_code.endswith("-100000")


def test_it_prints_neither_the_citizens_street_nor_phone_nor_a_sum_to_collect(
        demo, client, api_headers):
    label = labelled(demo, client, api_headers, "/api/v1/collections", collection_body())
    printed = " ".join(str(value) for value in label.__dict__.values())
    assert "Lý Thái Tổ" not in printed and "0987654321" not in printed
    assert label.amount_to_collect_vnd is None


def test_it_still_addresses_a_result_to_the_citizen(demo, client, api_headers):
    label = labelled(demo, client, api_headers, "/api/v1/consignments", intake_body())
    assert label.recipient_name == "Nguyễn Văn An" and label.amount_to_collect_vnd == 22000
