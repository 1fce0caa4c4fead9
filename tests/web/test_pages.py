import re

from tests.conftest import PASSWORD
from tests.payloads import intake_body


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def login(client, username, password=PASSWORD):
    token = csrf_of(client.get("/login").data)
    return client.post("/login",
                       data={"username": username, "password": password, "csrf_token": token})


def test_it_sends_anonymous_visitors_to_the_login_page(demo, client):
    response = client.get("/counter")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_it_logs_a_courier_in_to_the_courier_home(demo, client):
    response = login(client, "courier")
    assert response.status_code == 302 and response.headers["Location"].endswith("/courier")


def test_it_refuses_a_wrong_password_with_a_readable_message(demo, client):
    response = login(client, "courier", "wrong")
    assert response.status_code == 200 and "Sai tên đăng nhập" in response.get_data(as_text=True)


def test_it_refuses_a_login_without_the_csrf_token(demo, client):
    client.get("/login")
    response = client.post("/login", data={"username": "courier", "password": PASSWORD})
    assert response.status_code == 400


def test_it_does_not_redirect_off_site_after_login(demo, client):
    token = csrf_of(client.get("/login").data)
    response = client.post("/login?next=https://evil.example/",
                           data={"username": "courier", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/courier"


def test_it_keeps_couriers_out_of_the_counter(demo, client):
    login(client, "courier")
    assert client.get("/counter").status_code == 403


def test_it_lets_a_courier_scan_from_the_item_page(demo, client, api_headers):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    login(client, "courier")
    page = client.get(f"/courier/items/{number}")
    assert page.status_code == 200 and "Bưu điện nhận bưu gửi" in page.get_data(as_text=True)
    client.post(f"/courier/items/{number}/scan",
                data={"event": "accepted", "csrf_token": csrf_of(page.data)})
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["status"] == "accepted" and shown["events"][0]["actor"].startswith("user:")


def test_it_refuses_a_session_scan_without_the_csrf_token(demo, client, api_headers):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=api_headers).get_json()["tracking_number"]
    login(client, "courier")
    response = client.post("/api/v1/scans", json={"event_id": "abcdefgh", "tracking_number": number,
                                                  "event": "accepted",
                                                  "occurred_at": "2026-11-28T09:00:00+07:00"})
    assert response.status_code == 400


def test_it_shows_the_citizen_page_in_vietnamese_then_english(demo, client, api_headers):
    url = client.post("/api/v1/consignments", json=intake_body(),
                      headers=api_headers).get_json()["tracking_url"]
    path = url.replace("http://localhost", "")
    assert "Người nhận: N*** V** A" in client.get(path).get_data(as_text=True)
    english = client.get(path + "?lang=en")
    assert "Recipient: N*** V** A" in english.get_data(as_text=True)
    assert "Recipient" in client.get(path).get_data(as_text=True)  # the choice is remembered


def test_it_sends_security_headers(client):
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert (headers["X-Content-Type-Options"] == "nosniff"
            and headers["Referrer-Policy"] == "no-referrer")
