"""The courier's money pages: the amount and VietQR on the item, the collected amount in the
delivery form, and the day's total on the home page."""

import re

import zxingcpp
from PIL import Image
from sqlmodel import select

from delivery.models import Agency
from labels.vietqr import crc_holds
from tests.web.test_courier_pages import out_for_delivery
from tests.web.test_pages import csrf_of, login
from tracking.money import Collection


def with_account(session) -> None:
    for agency in session.exec(select(Agency)).all():
        agency.payment_bank_bin, agency.payment_account = "970436", "0011004123456"
        agency.payment_account_name = "TRUNG TAM PHUC VU HANH CHINH CONG"
        session.add(agency)
    session.commit()


def raster(svg: str, scale: int = 4) -> Image.Image:
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        image.paste(0, (int(x) * scale, int(y) * scale, (int(x) + 1) * scale, (int(y) + 1) * scale))
    return image


def deliver(client, number, **money):
    page = client.get(f"/courier/items/{number}")
    data = {"csrf_token": csrf_of(page.data), "event": "delivered",
            "received_by": "Nguyễn Văn An", "relation": "self", "id_last4": "2345", **money}
    return client.post(f"/courier/items/{number}/scan", data=data)


def collections(session) -> list[tuple[int, str]]:
    rows = [(c.amount_vnd, c.method) for c in session.exec(select(Collection)).all()]
    session.rollback()  # end the read: SQLite would keep the app's next write waiting
    return rows


def test_it_shows_the_amount_and_a_vietqr_for_it(demo, client, api_headers, session):
    with_account(session)
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert "22.000 đ" in page and ">Hiện mã VietQR</summary>" in page
    (result,) = zxingcpp.read_barcodes(raster(re.search(r"<svg.*?</svg>", page).group(0)))
    assert crc_holds(result.text) and "0813" + number in result.text and "540522000" in result.text


def test_it_says_to_collect_cash_when_the_agency_has_no_account(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert "Cơ quan chưa khai báo tài khoản nhận chuyển khoản: thu tiền mặt" in page
    assert "<svg" not in page


def test_it_prefills_the_amount_due_in_the_delivery_form(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert re.search(r'name="collected_vnd"[^>]*value="22000"', page)


def test_it_records_what_the_courier_collected_and_sums_the_day(demo, client, api_headers,
                                                                  session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    deliver(client, number, collected_vnd="22.000", payment_method="transfer")
    assert collections(session) == [(22000, "transfer")]
    home = client.get("/courier").get_data(as_text=True)
    assert "Tiền đã thu hôm nay" in home and "Chuyển khoản: <strong>22.000 đ" in home


def test_it_stores_nothing_for_an_amount_that_is_not_whole_dong(demo, client, api_headers,
                                                                 session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    answer = deliver(client, number, collected_vnd="22.000,5", payment_method="cash")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Số tiền đã thu phải là số đồng nguyên" in page and "proof.collected_vnd" not in page
    assert collections(session) == []
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["status"] == "out_for_delivery"


def test_it_shows_no_money_section_once_the_item_is_delivered(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    deliver(client, number, collected_vnd="22000", payment_method="cash")
    assert 'id="money"' not in client.get(f"/courier/items/{number}").get_data(as_text=True)
