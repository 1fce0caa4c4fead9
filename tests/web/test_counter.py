from sqlmodel import Session

from delivery.accounts import create_user
from tests.conftest import PASSWORD
from tests.payloads import intake_body, scan_body
from tests.web.test_pages import csrf_of, login

FORM = {"agency_code": "000.00.01.H26", "dossier_code": "000.00.01.H26-250609-0007",
        "name": "Trần Thị Bình",
        "phone": "+84 987 654 321", "national_id": "", "payer": "recipient", "amount_vnd": "22.000",
        "address": "Số 3 Đinh Tiên Hoàng, P. Lý Thái Tổ, Q. Hoàn Kiếm, Hà Nội", "note": ""}


def post_form(client, path, data):
    token = csrf_of(client.get(path).data)
    return client.post(path, data={**data, "csrf_token": token})


def test_it_creates_a_consignment_from_the_counter_form(demo, client, api_headers):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new", FORM)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Trần Thị Bình" in page and "Phường Hoàn Kiếm" in page and "0987654321" in page


def test_it_shows_every_error_on_the_form_and_keeps_what_was_typed(demo, client):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new",
                         {**FORM, "dossier_code": "sai", "phone": "123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="dossier_code-error"' in page
    assert 'id="phone-error"' in page and "Trần Thị Bình" in page


def test_it_names_the_fields_in_its_messages_as_the_form_does(demo, client):
    login(client, "counter")
    page = post_form(client, "/counter/consignments/new",
                     {**FORM, "phone": "123"}).get_data(as_text=True)
    assert "Điện thoại di động:" in page and "recipient.phone" not in page


def test_it_shows_the_form_again_when_a_field_holds_a_control_character(demo, client):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new",
                         {**FORM, "name": "Trần Thị\x07 Bình", "note": "gọi\x00 trước"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="new-consignment"' in page
    assert 'id="name-error">chứa ký tự không in được U+0007' in page and 'id="note-error"' in page


def test_it_keeps_what_was_typed_without_the_refused_characters(demo, client):
    login(client, "counter")
    page = post_form(client, "/counter/consignments/new",
                     {**FORM, "name": "Trần Thị\x07 Bình"}).get_data(as_text=True)
    assert 'value="Trần Thị Bình"' in page and 'value="000.00.01.H26-250609-0007"' in page


def test_it_creates_nothing_from_a_form_holding_a_control_character(demo, client):
    login(client, "counter")
    post_form(client, "/counter/consignments/new", {**FORM, "address": "Số 3\x1f Hàng Gai"})
    assert "000.00.01.H26-250609-0007" not in client.get("/counter").get_data(as_text=True)


def test_it_asks_the_clerk_to_choose_when_the_address_is_ambiguous(demo, client):
    login(client, "counter")
    address = "so 5 duong nguyen trai, phuong dong an, tp di an, binh duong"
    response = post_form(client, "/counter/consignments/new", {**FORM, "address": address})
    assert response.status_code == 422 and 'name="candidate"' in response.get_data(as_text=True)


def test_it_keeps_the_written_address_when_the_clerk_picks_the_ward(
    demo, client, api_headers, session
):
    from sqlmodel import select

    from delivery.models import Ward

    ward = session.exec(
        select(Ward).where(Ward.name == "Phường Dĩ An", Ward.province_code == 79)
    ).one()
    session.commit()  # end the read: on SQLite one transaction at a time may write
    login(client, "counter")
    address = "so 5 duong nguyen trai, phuong dong an, tp di an, binh duong"
    response = post_form(client, "/counter/consignments/new",
                         {**FORM, "address": address, "ward_code": str(ward.code),
                          "province_code": "79"})
    number = response.headers["Location"].rsplit("/", 1)[1]
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["address"]["text"] == address and shown["address"]["ward"]["code"] == ward.code
    assert (shown["address"]["street"] == "so 5 duong nguyen trai"
            and shown["destination_office"]["code"] == "820000")


def test_it_finds_a_consignment_by_phone_name_number_and_dossier_code(demo, client, api_headers):
    created = client.post("/api/v1/consignments", json=intake_body(),
                          headers=api_headers).get_json()
    login(client, "counter")
    for query in ("0912 345 678", "Văn An", created["tracking_number"], created["dossier_code"]):
        page = client.get("/counter", query_string={"q": query}).get_data(as_text=True)
        assert created["tracking_number"] in page, query
    assert created["tracking_number"] not in client.get(
        "/counter?q=Lê Văn Tám").get_data(as_text=True)


def test_it_hands_over_a_manifest_and_accepts_every_item(demo, client, api_headers):
    numbers = [client.post("/api/v1/consignments", json=intake_body(i),
                           headers=api_headers).get_json()["tracking_number"] for i in (1, 2, 3)]
    login(client, "counter")
    page = client.get("/counter/manifests/new")
    response = client.post("/counter/manifests/new", data={
        "csrf_token": csrf_of(page.data), "office_code": "100000", "agency_code": "000.00.01.H26",
        "n": numbers[:2]})
    manifest_path = response.headers["Location"]
    manifest_page = client.get(manifest_path)
    client.post(manifest_path + "/handover", data={"csrf_token": csrf_of(manifest_page.data),
                                                   "agency_signatory": "Lê Văn Cán Bộ",
                                                   "received_by": "Bưu tá Hòa"})
    statuses = [client.get(f"/api/v1/consignments/{n}", headers=api_headers).get_json()["status"]
                for n in numbers]
    assert statuses == ["accepted", "accepted", "created"]
    assert "Đã bàn giao" in client.get(manifest_path).get_data(as_text=True)


def test_it_keeps_couriers_away_from_the_counter_pages(demo, client):
    login(client, "courier")
    assert client.get("/counter/consignments/new").status_code == 403


def test_it_shows_the_route_across_provinces_after_the_handover(demo, client, api_headers):
    body = intake_body(1, address="Số 9 Nguyễn Trãi, Phường Đông Hòa, TP Dĩ An, Bình Dương")
    created = client.post("/api/v1/consignments", json=body, headers=api_headers).get_json()
    login(client, "counter")
    page = client.get("/counter/manifests/new")
    manifest_path = client.post("/counter/manifests/new", data={
        "csrf_token": csrf_of(page.data), "office_code": "100000",
        "n": [created["tracking_number"]]}
    ).headers["Location"]
    client.post(manifest_path + "/handover", data={
        "csrf_token": csrf_of(client.get(manifest_path).data), "agency_signatory": "A",
        "received_by": "B"})
    shown = client.get(f"/api/v1/consignments/{created['tracking_number']}",
                       headers=api_headers).get_json()
    assert [(leg["code"], leg["reached"]) for leg in shown["route"]] == [
        ("100000", True), ("100900", False), ("700900", False), ("820000", False)]
    public = client.get("/api/v1/track/" + created["tracking_url"].rsplit("/", 1)[1]).get_json()
    assert [leg["name"] for leg in public["route"]][-1] == "Bưu cục phát Dĩ An"


HCM_FORM = {**FORM, "agency_code": "000.00.01.H29", "dossier_code": "000.00.01.H29-250609-0007",
            "address": "Số 9 Nguyễn Trãi, Phường Đông Hòa, TP Dĩ An, Bình Dương"}


def agency_options(page: str) -> set[str]:
    import re

    return set(re.findall(r'<option value="(000\.[^"]+)"', page))


def test_it_offers_only_the_agencies_the_clerks_office_serves(demo, client):
    login(client, "counter")
    assert agency_options(client.get("/counter/consignments/new").get_data(as_text=True)) == {
        "000.00.01.H26"}
    login(client, "counter2")
    assert agency_options(client.get("/counter/consignments/new").get_data(as_text=True)) == {
        "000.00.01.H29"}


def test_it_refuses_an_agency_the_office_does_not_serve_and_keeps_the_form(demo, client):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new", HCM_FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "không phải cơ quan mà bưu cục này phục vụ" in page
    assert "000.00.01.H29-250609-0007" in page and "Trần Thị Bình" in page


def test_it_creates_the_second_agencys_item_at_its_own_counter(demo, client):
    login(client, "counter2")
    response = post_form(client, "/counter/consignments/new", HCM_FORM)
    assert response.status_code == 302
    assert "Bưu cục phát Dĩ An" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_it_names_the_expected_prefix_of_the_dossier_code_on_the_form(demo, client):
    login(client, "counter")
    response = post_form(client, "/counter/consignments/new",
                         {**FORM, "dossier_code": "000.00.01.H29-250609-0007"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mã hồ sơ: phải bắt đầu bằng 000.00.01.H26" in page


def test_it_lets_an_admin_create_for_any_agency(demo, client):
    from sqlmodel import Session

    from delivery.accounts import create_user
    from tests.conftest import PASSWORD

    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    login(client, "admin")
    page = client.get("/counter/consignments/new").get_data(as_text=True)
    assert agency_options(page) == {"000.00.01.H26", "000.00.01.H29"}
    assert post_form(client, "/counter/consignments/new", HCM_FORM).status_code == 302


def test_it_tells_a_user_whose_office_serves_no_agency(demo, client):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "hub-clerk", PASSWORD, "counter", "100900")  # a hub serves no agency
        db.commit()
    login(client, "hub-clerk", PASSWORD)
    page = client.get("/counter/consignments/new").get_data(as_text=True)
    assert 'id="no-agency"' in page and agency_options(page) == set()


def handed_over(client, api_headers, body):
    created = client.post("/api/v1/consignments", json=body, headers=api_headers).get_json()
    login(client, "counter")
    manifest_path = client.post("/counter/manifests/new", data={
        "csrf_token": csrf_of(client.get("/counter/manifests/new").data), "office_code": "100000",
        "n": [created["tracking_number"]]}).headers["Location"]
    client.post(manifest_path + "/handover", data={
        "csrf_token": csrf_of(client.get(manifest_path).data), "agency_signatory": "A",
        "received_by": "B"})
    return created["tracking_number"], created["tracking_url"].rsplit("/", 1)[1]


def test_it_leaves_out_of_the_route_a_hub_the_item_went_past(demo, client, api_headers):
    number, token = handed_over(client, api_headers, intake_body(1))
    ahead = [(leg["name"], leg["reached"])
             for leg in client.get(f"/api/v1/track/{token}").get_json()["route"]]
    client.post("/api/v1/scans", json=scan_body(number, "arrived_delivery_office"),
                headers=api_headers)
    passed = client.get(f"/api/v1/track/{token}").get_json()["route"]
    assert len(ahead) == 3 and [reached for _, reached in ahead] == [True, False, False]
    assert [(leg["name"], leg["reached"]) for leg in passed] == [(ahead[0][0], True),
                                                                  (ahead[2][0], True)]


def test_it_shows_the_fee_the_note_the_tracking_link_and_who_recorded_each_event(
    demo, client, api_headers
):
    created = client.post("/api/v1/consignments", json=intake_body(1),
                          headers=api_headers).get_json()
    client.post("/api/v1/scans", json=scan_body(created["tracking_number"], "accepted"),
                headers=api_headers)
    login(client, "counter")
    html = client.get(f"/counter/consignments/{created['tracking_number']}").get_data(as_text=True)
    assert "Thu hộ: <strong>22.000 đ</strong>" in html
    assert "Gọi trước khi giao" in html and created["tracking_url"] in html
    assert "(API demo-upstream" in html and "(api:" not in html


def test_it_opens_labels_in_a_new_tab_and_views_them_without_recording_a_print(
    demo, client, api_headers
):
    number = client.post("/api/v1/consignments", json=intake_body(1),
                         headers=api_headers).get_json()["tracking_number"]
    login(client, "counter")
    html = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert 'class="print-label" method="post" target="_blank"' in html
    client.get(f"/api/v1/consignments/{number}/label.pdf")
    assert client.get(f"/api/v1/consignments/{number}/prints").get_json()["prints"] == []


def test_it_refuses_an_amount_typed_with_a_fraction_and_keeps_what_was_typed(demo, client):
    login(client, "counter")
    answer = post_form(client, "/counter/consignments/new", {**FORM, "amount_vnd": "22000.00"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "số đồng nguyên" in html and 'value="22000.00"' in html
    assert "amount_vnd" not in html.split("<form")[0]  # no raw key in the message


def test_it_reads_an_amount_grouped_with_commas_as_the_same_amount(demo, client, api_headers):
    login(client, "counter")
    number = post_form(client, "/counter/consignments/new",
                       {**FORM, "amount_vnd": "22,000"}).headers["Location"].rsplit("/", 1)[1]
    html = client.get(f"/counter/consignments/{number}").get_data(as_text=True)
    assert "<strong>22.000 đ</strong>" in html


def test_it_stores_a_name_typed_decomposed_as_composed_text(demo, client, api_headers):
    import unicodedata

    body = intake_body(1, recipient={"name": unicodedata.normalize("NFD", "Vũ Thị Ưng"),
                                     "phone": "0912345678"})
    created = client.post("/api/v1/consignments", json=body, headers=api_headers).get_json()
    assert created["recipient"]["name"] == unicodedata.normalize("NFC", "Vũ Thị Ưng")
