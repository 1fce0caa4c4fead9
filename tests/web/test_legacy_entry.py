"""Text typed in TCVN3 or VNI reaching each entry point (the intake API, the address resolver, the
counter's form, a CSV or Excel import) is used and stored in Unicode, and the answer says so."""

import pytest
from sqlmodel import Session, select

from delivery.errors import ValidationFailed
from delivery.import_file import read_rows
from delivery.importing import ImportRun, row_notices
from delivery.models import Consignment
from tests.delivery.test_importing import csv_bytes
from tests.delivery.workbooks import HEADER, xlsx_bytes
from tests.payloads import intake_body
from tests.web.test_counter import FORM, post_form
from tests.web.test_import import upload
from tests.web.test_pages import login

# "Nguyễn Văn An", "Số 12 Lý Thái Tổ, ..., Hà Nội" as typed in .VnTime (TCVN3) and VNI-Times
NAME_TCVN3 = "NguyÔn V¨n An"
ADDRESS_TCVN3 = "Sè 12 Lý Th¸i Tæ, Ph\xadêng Lý Th¸i Tæ, QuËn Hoµn KiÕm, Hµ Néi"
ADDRESS = "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội"
ADDRESS_VNI = "Soá 12 Lyù Thaùi Toå, Phöôøng Lyù Thaùi Toå, Quaän Hoaøn Kieám, Haø Noäi"
NOTICE = "Đã chuyển mã TCVN3 sang Unicode"  # as the page says it
STORED_NOTICE = NOTICE + " / converted from TCVN3"  # as the domain keeps it


def stored(app) -> list[Consignment]:
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Consignment)).all()


def tcvn3_body(number=1):
    return intake_body(number, address=ADDRESS_TCVN3,
                       recipient={"name": NAME_TCVN3, "phone": "0912345678"})


def test_it_resolves_and_stores_an_intake_typed_in_tcvn3_in_unicode(demo, client, api_headers):
    response = client.post("/api/v1/consignments", json=tcvn3_body(), headers=api_headers)
    body = response.get_json()
    assert response.status_code == 201 and body["converted_from"] == "tcvn3"
    assert body["address"]["ward"]["name"] == "Phường Hoàn Kiếm"
    assert body["recipient"]["name"] == "Nguyễn Văn An" and body["address"]["text"] == ADDRESS
    item = stored(demo)[0]
    assert (item.recipient_name, item.recipient_name_folded, item.address_text) == (
        "Nguyễn Văn An", "nguyen van an", ADDRESS)


def test_it_adds_no_conversion_to_an_intake_in_unicode(demo, client, api_headers):
    body = client.post("/api/v1/consignments", json=intake_body(), headers=api_headers).get_json()
    assert "converted_from" not in body


def test_it_takes_the_same_dossier_sent_again_in_unicode_as_a_repeat(demo, client, api_headers):
    client.post("/api/v1/consignments", json=tcvn3_body(), headers=api_headers)
    again = client.post("/api/v1/consignments", headers=api_headers, json=intake_body(
        address=ADDRESS, recipient={"name": "Nguyễn Văn An", "phone": "0912345678"}))
    assert again.status_code == 200


def test_it_resolves_an_address_typed_in_vni_and_says_so(demo, client, api_headers):
    response = client.post("/api/v1/addresses/resolve", json={"text": ADDRESS_VNI},
                           headers=api_headers)
    body = response.get_json()
    assert response.status_code == 200 and body["converted_from"] == "vni"
    assert body["ward"]["name"] == "Phường Hoàn Kiếm" and body["street"].startswith("Số 12")


def test_it_says_it_converted_when_it_cannot_place_the_address(demo, client, api_headers):
    text = "Soá 5 ñöôøng Nguyeãn Traõi, phöôøng Ñoâng An, TP Dó An, Bình Döông"
    resolved = client.post("/api/v1/addresses/resolve", json={"text": text}, headers=api_headers)
    created = client.post("/api/v1/consignments", json=intake_body(address=text),
                          headers=api_headers)
    assert [r.status_code for r in (resolved, created)] == [422, 422]
    assert {r.get_json()["converted_from"] for r in (resolved, created)} == {"vni"}
    assert resolved.get_json()["candidates"]


def test_it_tells_the_clerk_the_form_was_converted(demo, client):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new",
                         {**FORM, "name": NAME_TCVN3, "address": ADDRESS_TCVN3})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NOTICE in page and "Nguyễn Văn An" in page and NAME_TCVN3 not in page


def test_it_imports_a_csv_row_typed_in_tcvn3_and_notes_it(demo, client):
    login(client, "counter")
    row = f'000.00.01.H26-250609-0001,{NAME_TCVN3},0912345678,"{ADDRESS_TCVN3}",,\n'
    page = client.get(upload(client, csv_bytes(row)).headers["Location"]).get_data(as_text=True)
    assert 'id="import-notices"' in page and NOTICE in page
    assert [c.recipient_name for c in stored(demo)] == ["Nguyễn Văn An"]


def test_it_imports_a_csv_saved_by_an_old_excel_in_windows_1252(demo, client):
    """An old Excel's "CSV" of a sheet set in .VnTime: TCVN3 bytes, its header too."""
    login(client, "counter")
    content = ("M· hå s¬,Hä tªn,§iÖn tho¹i,§Þa chØ\n"
               f'000.00.01.H26-250609-0001,{NAME_TCVN3},0912345678,"{ADDRESS_TCVN3}"\n'
               ).encode("cp1252")
    page = client.get(upload(client, content).headers["Location"]).get_data(as_text=True)
    assert NOTICE in page
    assert [(c.recipient_name, c.address_text) for c in stored(demo)] == [
        ("Nguyễn Văn An", ADDRESS)]


def test_it_still_refuses_a_windows_1252_csv_that_is_not_tcvn3_or_vni():
    content = "ma_ho_so,ho_ten,dien_thoai,dia_chi\nX,Jürgen Müller,0912345678,Köln\n"
    with pytest.raises(ValidationFailed, match="UTF-8"):
        read_rows("a.csv", content.encode("cp1252"))


def test_it_imports_an_excel_row_typed_in_tcvn3_and_notes_it(demo, client):
    login(client, "counter")
    content = xlsx_bytes(HEADER, ["000.00.01.H26-250609-0001", NAME_TCVN3, "0912345678",
                                  ADDRESS_TCVN3],
                         ["000.00.01.H26-250609-0002", "Trần Thị Bình", "0987654321", ADDRESS])
    upload(client, content, "ketqua.xlsx")
    with Session(demo.extensions["db_engine"]) as db:
        run = db.exec(select(ImportRun)).one()
        assert run.created_count == 2 and row_notices(run) == {2: STORED_NOTICE}
    assert {c.address_text for c in stored(demo)} == {ADDRESS}

