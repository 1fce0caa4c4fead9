import pytest

from delivery import s10
from tests.payloads import PATH_TO, intake_body, scan_body

PROBLEM = "application/problem+json"


def create(client, headers, body=None):
    return client.post("/api/v1/consignments", json=body or intake_body(), headers=headers)


def test_it_creates_a_consignment_as_the_contract_shows(demo, client, api_headers):
    response = create(client, api_headers)
    body = response.get_json()
    assert response.status_code == 201
    assert s10.is_valid(body["tracking_number"]) and body["status"] == "created"
    assert body["tracking_url"].startswith("http://localhost/t/")
    assert set(body["label_urls"]) == {"pdf", "svg", "png", "zpl"}
    assert (body["address"]["ward"]["name"] == "Phường Hoàn Kiếm"
            and body["address"]["province"]["code"] == 1)
    assert body["destination_office"]["code"] == "100100"
    assert body["created_at"].endswith("+07:00") and body["events"] == []


def test_it_answers_an_identical_repeat_with_200_and_the_same_consignment(
    demo, client, api_headers
):
    first = create(client, api_headers).get_json()
    again = create(client, api_headers)
    assert (again.status_code == 200
            and again.get_json()["tracking_number"] == first["tracking_number"])


def test_it_answers_a_conflicting_repeat_with_409(demo, client, api_headers):
    create(client, api_headers)
    response = create(client, api_headers, intake_body(note="khác"))
    assert response.status_code == 409 and response.mimetype == PROBLEM


def test_it_lists_every_bad_field_in_a_422(demo, client, api_headers):
    response = create(client, api_headers, {"dossier_code": "x",
                                            "recipient": {"name": "An", "phone": "1"},
                                            "address": ""})
    body = response.get_json()
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert {"dossier_code", "recipient.phone", "address"} <= set(body["errors"])
    assert {"type", "title", "status", "detail"} <= set(body)


def test_it_gives_candidates_for_an_unplaceable_address(demo, client, api_headers):
    body = create(client, api_headers, intake_body(
        address="so 5 duong nguyen trai, phuong dong an, tp di an, binh duong")).get_json()
    assert body["status"] == 422 and len(body["candidates"]) >= 2
    assert {c["province"]["code"] for c in body["candidates"]} == {79}


def test_it_refuses_a_body_that_is_not_json(demo, client, api_headers):
    response = client.post("/api/v1/consignments", data="<xml/>", headers=api_headers,
                           content_type="text/xml")
    assert response.status_code == 422 and "body" in response.get_json()["errors"]


def test_it_takes_a_consignment_from_acceptance_to_delivery(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    statuses = []
    for event in PATH_TO["delivered"]:
        response = client.post("/api/v1/scans", json=scan_body(number, event), headers=api_headers)
        assert response.status_code == 201
        statuses.append(response.get_json()["status"])
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert statuses == ["accepted", "at_delivery_office", "out_for_delivery", "delivered"]
    assert ([e["event"] for e in shown["events"]] == PATH_TO["delivered"]
            and shown["status"] == "delivered")


def test_it_answers_a_repeated_scan_with_200_and_no_new_event(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    body = scan_body(number, "accepted")
    client.post("/api/v1/scans", json=body, headers=api_headers)
    again = client.post("/api/v1/scans", json=body, headers=api_headers)
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert again.status_code == 200 and len(shown["events"]) == 1


def test_it_answers_a_forbidden_transition_with_409_naming_both_ends(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    response = client.post("/api/v1/scans", json=scan_body(number, "delivered"),
                           headers=api_headers)
    body = response.get_json()
    assert (response.status_code == 409 and body["from_status"] == "created"
            and body["event"] == "delivered")


def test_it_answers_an_unknown_number_with_404(demo, client, api_headers):
    response = client.post("/api/v1/scans", json=scan_body("RR287043775IN", "accepted"),
                           headers=api_headers)
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_it_records_a_batch_with_one_result_per_scan_in_order(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    scans = [scan_body(number, "accepted"), scan_body(number, "delivered"),
             scan_body("RR287043775IN", "accepted")]
    results = client.post("/api/v1/scans/batch", json={"scans": scans},
                          headers=api_headers).get_json()["results"]
    assert [r["http_status"] for r in results] == [201, 409, 404]
    assert results[0]["status"] == "accepted" and results[1]["problem"]["from_status"] == "accepted"


def test_it_refuses_an_oversized_batch(demo, client, api_headers):
    scans = [scan_body("RR287043775IN", "accepted")] * 501
    assert client.post("/api/v1/scans/batch", json={"scans": scans},
                       headers=api_headers).status_code == 422


def test_it_serves_the_label_as_svg_with_both_codes(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    response = client.get(f"/api/v1/consignments/{number}/label.svg", headers=api_headers)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert (b"Nguy\xe1\xbb\x85n V\xc4\x83n An" in response.data
            and "Cấp giấy phép".encode() not in response.data)


def test_it_serves_a_png_label_that_decodes_to_the_number_and_courier_url(
    demo, client, api_headers
):
    import io

    import zxingcpp
    from PIL import Image

    number = create(client, api_headers).get_json()["tracking_number"]
    png = client.get(f"/api/v1/consignments/{number}/label.png?dpi=203", headers=api_headers).data
    texts = {r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}
    assert texts == {number, f"http://localhost/courier/items/{number}"}


def test_it_rejects_an_unknown_label_size(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    response = client.get(f"/api/v1/consignments/{number}/label.svg?size=a0", headers=api_headers)
    assert response.status_code == 422


def test_it_shows_the_public_tracking_without_personal_data(demo, client, api_headers):
    created = create(client, api_headers).get_json()
    client.post("/api/v1/scans", json=scan_body(created["tracking_number"], "accepted"),
                headers=api_headers)
    token = created["tracking_url"].rsplit("/", 1)[1]
    response = client.get(f"/api/v1/track/{token}")
    body = response.get_json()
    assert body["recipient"] == "N*** V** A" and body["destination"]["ward"] == "Phường Hoàn Kiếm"
    assert [e["event"] for e in body["events"]] == ["accepted"]
    for secret in ("0912345678", "Số 12 Lý Thái Tổ", "001085012345", "2345", "Nguyễn Văn An"):
        assert secret not in response.get_data(as_text=True)


def test_it_does_not_find_a_wrong_token(demo, client):
    assert client.get("/api/v1/track/not-a-real-token").status_code == 404


@pytest.mark.parametrize("method, path", [("post", "/api/v1/consignments"),
                                          ("get", "/api/v1/consignments/X"),
                                          ("post", "/api/v1/scans"),
                                          ("post", "/api/v1/addresses/resolve")])
def test_it_answers_anonymous_calls_with_401(demo, client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_it_answers_a_revoked_key_with_401(demo, client):
    response = client.get("/api/v1/consignments/X", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_it_answers_a_missing_scope_with_403(demo, client, session):
    from delivery.accounts import create_api_client

    _, key = create_api_client(session, "reader", "read", postal=True)
    session.commit()
    response = client.post("/api/v1/scans", json={}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403 and response.mimetype == PROBLEM


def test_it_resolves_an_address(demo, client, api_headers):
    response = client.post("/api/v1/addresses/resolve", json={"text": "Phường Cửa Nam, Hà Nội"},
                           headers=api_headers)
    body = response.get_json()
    assert (body["ward"]["name"] == "Phường Cửa Nam" and body["province"]["code"] == 1
            and body["legacy"] is None)


def test_it_answers_an_unknown_api_path_with_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_it_describes_every_endpoint_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/consignments", "/api/v1/scans", "/api/v1/scans/batch", "/api/v1/track/{token}",
            "/api/v1/addresses/resolve", "/api/v1/consignments/{tracking_number}", "/api/v1/track",
            "/api/v1/labels/batch", "/api/v1/manifests/{number}/manifest.pdf"} <= set(paths)


def test_it_is_healthy_and_ready(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok"}


def test_it_is_not_ready_when_redis_is_unreachable(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    app.extensions["db_engine"].dispose()
    app.extensions["redis"].close()
    assert response.status_code == 503 and response.get_json()["redis"].startswith("error")


def test_it_refuses_a_collected_amount_that_is_not_whole_dong_with_422(demo, client, api_headers):
    number = create(client, api_headers).get_json()["tracking_number"]
    for event in PATH_TO["out_for_delivery"]:
        client.post("/api/v1/scans", json=scan_body(number, event), headers=api_headers)
    body = scan_body(number, "delivered")
    body["proof"]["collected_vnd"] = "22.000,5"
    response = client.post("/api/v1/scans", json=body, headers=api_headers)
    errors = response.get_json()["errors"]
    assert response.status_code == 422 and "Số tiền đã thu" in errors["proof.collected_vnd"]
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["status"] == "out_for_delivery"


def test_it_documents_the_money_of_a_delivery(demo, client):
    proof = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Proof"]
    assert {"collected_vnd", "payment_method"} <= set(proof["properties"])


def test_it_says_what_it_corrected_in_a_resolved_address(demo, client, api_headers):
    response = client.post("/api/v1/addresses/resolve",
                           json={"text": "Phường Bến Ngé, Quận 1, TP HCM"}, headers=api_headers)
    body = response.get_json()
    assert response.status_code == 200 and body["ward"]["name"] == "Phường Sài Gòn"
    assert body["corrections"] == [{"written": "Phường Bến Ngé", "official": "Phường Bến Nghé"}]
    assert body["confidence"] < 0.8
