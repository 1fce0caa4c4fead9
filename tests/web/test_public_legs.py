"""A dossier's two legs on one tracking page: the collection and the result booked back on the
same dossier code show each other, only for the same citizen's phone; the JSON stays as it was."""

from tests.payloads import collection_body, intake_body, scan_body
from tracking.wording import status_label

CITIZEN = {"name": "Trần Thị Bình", "phone": "0987654321", "national_id": "001190012345"}


def token_of(url):
    return url.rsplit("/t/", 1)[1]


def two_legs(client, headers, phone=CITIZEN["phone"]):
    collection = client.post("/api/v1/collections", json=collection_body(),
                             headers=headers).get_json()
    for event in ("picked_up", "handed_to_agency"):
        client.post("/api/v1/scans", json=scan_body(collection["tracking_number"], event),
                    headers=headers)
    result = client.post("/api/v1/consignments",
                         json=intake_body(recipient={**CITIZEN, "phone": phone}),
                         headers=headers).get_json()
    return collection, result


def page(client, item, **kwargs):
    return client.get(f"/t/{token_of(item['tracking_url'])}", **kwargs).get_data(as_text=True)


def test_it_shows_the_result_coming_back_on_the_collections_page(demo, client, api_headers):
    collection, result = two_legs(client, api_headers)
    html = page(client, collection)
    assert "Hồ sơ gửi đi: Hành trình" in html
    other = html[html.index('id="other-leg"'):]
    assert "Kết quả trả về" in other and result["tracking_number"] in other


def test_it_shows_the_dossier_sent_on_the_results_page_in_english(demo, client, api_headers):
    collection, result = two_legs(client, api_headers)
    html = page(client, result, query_string={"lang": "en"})
    other = html[html.index('id="other-leg"'):]
    assert "Dossier sent" in other and collection["tracking_number"] in other
    assert "Result coming back: History" in html


def test_it_never_shows_another_persons_leg(demo, client, api_headers):
    collection, result = two_legs(client, api_headers, phone="0911111111")
    assert 'id="other-leg"' not in page(client, collection)
    assert 'id="other-leg"' not in page(client, result)


def test_it_shows_the_other_legs_new_status_at_once(demo, client, api_headers):
    collection, result = two_legs(client, api_headers)
    page(client, collection)  # rendered and kept in the cache
    client.post("/api/v1/scans", json=scan_body(result["tracking_number"], "accepted"),
                headers=api_headers)
    other = page(client, collection).split('id="other-leg"')[1]
    assert status_label("accepted") in other.split('id="other-status"')[1].split("</div>")[0]


def test_it_keeps_the_public_json_without_the_other_leg(demo, client, api_headers):
    collection, _ = two_legs(client, api_headers)
    body = client.get(f"/api/v1/track/{token_of(collection['tracking_url'])}").get_json()
    assert "other" not in body and "0987654321" not in str(body)
