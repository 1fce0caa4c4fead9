"""The citizen's pages in one language at a time: Vietnamese by default, English by ``?lang=en``
(kept in a cookie) or the browser's preference, whoever else is logged in."""

from sqlmodel import Session, select

from delivery.models import User
from tests.web.public_helpers import create_item, move, page_csrf
from tests.web.test_pages import csrf_of, login
from tests.web.test_public_booking import PHONE, gateway, send_code, start, wrong  # noqa: F401


def text(response) -> str:
    return response.get_data(as_text=True)


def test_it_shows_the_tracking_page_in_english_only(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    page = text(client.get(f"/t/{token}?lang=en"))
    assert 'lang="en"' in page and "What to prepare" in page and "Timeline" in page
    assert "Cần chuẩn bị khi nhận" not in page and "Hành trình" not in page
    assert "Another delivery date" in page and "Hẹn ngày phát khác" not in page


def test_it_shows_the_tracking_page_in_vietnamese_only_by_default(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    page = text(client.get(f"/t/{token}"))
    assert "Cần chuẩn bị khi nhận" in page and "Hành trình" in page
    assert "What to prepare" not in page and "Timeline" not in page


def test_it_says_a_delivery_and_asks_for_a_rating_in_english(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office",
         "out_for_delivery", "delivered")
    page = text(client.get(f"/t/{token}?lang=en"))
    assert "Delivered at" in page and "How was the delivery?" in page and "Very good" in page
    assert "Đã phát lúc" not in page and "Rất hài lòng" not in page


def test_it_answers_a_citizens_request_in_their_language(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    client.get(f"/t/{token}?lang=en")  # the cookie keeps the choice for the form's answer
    client.post(f"/t/{token}/requests",
                data={"csrf_token": page_csrf(client, token), "kind": "pickup"})
    page = text(client.get(f"/t/{token}"))
    assert "Your request was recorded" in page and "Đã ghi nhận yêu cầu" not in page
    assert "You will collect it at the post office" in page


def test_it_shows_the_lookup_and_its_miss_in_english(demo, client):
    page = text(client.get("/t?lang=en&tracking_number=RR000000014VN&phone_last4=0000"))
    assert "Track an item" in page and "No item matches this number and phone" in page
    assert "Tra cứu bưu gửi" not in page and "Không tìm thấy" not in page


def test_it_says_an_unknown_tracking_link_in_english(demo, client):
    response = client.get("/t/no-such-token?lang=en")
    assert response.status_code == 404 and "Tracking link not found" in text(response)
    assert "Không tìm thấy" not in text(response)


def test_it_shows_the_collection_booking_in_english(demo, client, gateway):  # noqa: F811
    page = text(client.get("/collect?lang=en"))
    assert "Have the post collect your dossier at home" in page and "Full name" in page
    assert "Đặt bưu điện đến nhận hồ sơ" not in page and "Họ và tên" not in page
    location = start(client).headers["Location"]
    refused = text(send_code(client, location, wrong(gateway.otp_for(PHONE))))
    assert "Wrong code: 4 tries left." in refused and "Mã không đúng" not in refused


def test_it_shows_a_staff_user_the_citizens_page_in_the_visitors_language(
    demo, client, api_headers
):
    _, token = create_item(client, api_headers)
    login(client, "counter")
    client.post("/staff/language", data={"language": "en",
                                         "csrf_token": csrf_of(client.get("/counter").data)})
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(User).where(User.username == "counter")).one().language == "en"
    page = text(client.get(f"/t/{token}?lang=vi"))
    assert "Cần chuẩn bị khi nhận" in page and "What to prepare" not in page
    lookup = text(client.get("/t"))  # the cookie now says Vietnamese too
    assert "Tra cứu bưu gửi" in lookup and "Track an item" not in lookup
