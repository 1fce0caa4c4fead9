"""The courier sees when the round's code has not reached the recipient's phone, on which channel
it stands, and may send a new code (a new round: the old code was scrubbed once sent)."""

from sqlmodel import Session, select

from delivery.audit import AuditEntry
from delivery.models import Consignment
from tests.tracking.channel_fixtures import providers, sends
from tests.web.public_helpers import create_item, move
from tests.web.test_pages import csrf_of, login
from tracking.models import DeliveryOtp
from tracking.otp import otp_matches

NOT_REACHED = "Mã chưa tới máy người nhận"


def out_for_delivery(client, api_headers) -> str:
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "out_for_delivery")
    return number


def item_page(client, number: str) -> str:
    return client.get(f"/courier/items/{number}").get_data(as_text=True)


def new_code(client, number: str):
    page = client.get(f"/courier/items/{number}").data
    return client.post(f"/courier/items/{number}/new-code", data={"csrf_token": csrf_of(page)})


def test_it_warns_the_courier_while_the_code_has_no_delivery_receipt(demo, client, api_headers):
    with providers(demo):
        number = out_for_delivery(client, api_headers)
    login(client, "courier")
    html = item_page(client, number)
    assert NOT_REACHED in html and "Zalo: chưa có báo nhận</li>" in html
    assert ">Gửi mã mới</button>" in html


def test_it_names_each_channel_that_refused_the_code(demo, client, api_headers):
    with providers(demo, without_zalo=("84912345678",)):
        number = out_for_delivery(client, api_headers)
    login(client, "courier")
    html = item_page(client, number)
    assert "Zalo: từ chối</li>" in html and "SMS: chưa có báo nhận</li>" in html


def test_it_says_nothing_once_the_code_reached_the_phone(demo, client, api_headers):
    with providers(demo):
        number = out_for_delivery(client, api_headers)
    with Session(demo.extensions["db_engine"]) as db:
        send = db.get(type(sends(demo)[-1]), sends(demo)[-1].id)
        send.receipt = "delivered"
        db.commit()
    login(client, "courier")
    assert NOT_REACHED not in item_page(client, number)


def test_it_texts_a_new_code_in_a_new_round_and_audits_it(demo, client, api_headers):
    with providers(demo) as (_, zns):
        number = out_for_delivery(client, api_headers)
        login(client, "courier")
        assert new_code(client, number).status_code == 302
        code = zns.delivered[-1]["template_data"]["otp"]
    with Session(demo.extensions["db_engine"]) as db:
        rounds = db.exec(select(DeliveryOtp).order_by(DeliveryOtp.round)).all()
        audit = db.exec(select(AuditEntry).where(AuditEntry.action == "otp.new_code")).one()
    assert [r.round for r in rounds] == [1, 2] and otp_matches(rounds[1], code)
    assert not otp_matches(rounds[0], code)
    assert (audit.actor_name, audit.detail) == ("courier", '{"round": 2}')
    assert "Đã gửi mã mới; mã cũ hết hiệu lực" in item_page(client, number)


def test_it_caps_new_codes_per_item_and_day(demo, client, api_headers):
    with providers(demo):
        number = out_for_delivery(client, api_headers)
        login(client, "courier")
        for _ in range(3):
            new_code(client, number)
        new_code(client, number)
    with Session(demo.extensions["db_engine"]) as db:
        rounds = len(db.exec(select(DeliveryOtp)).all())
    assert rounds == 4
    assert "Chưa gửi mã mới: đã gửi 3 mã mới hôm nay; hãy kiểm tra lại số điện thoại" in \
        item_page(client, number)


def test_it_sends_no_code_for_an_item_not_on_a_round(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    login(client, "courier")
    new_code(client, number)
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(DeliveryOtp)).all() == []
        assert db.exec(select(Consignment)).one().status == "created"


def test_it_refuses_a_new_code_without_the_csrf_token(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    assert client.post(f"/courier/items/{number}/new-code").status_code == 400


def test_it_names_the_cccd_digits_as_the_fallback_when_the_code_is_not_required(
        demo, client, api_headers):
    demo.config["DELIVERY_OTP_REQUIRED"] = False  # as the tests' app has it
    with providers(demo):
        number = out_for_delivery(client, api_headers)
    login(client, "courier")
    assert "Không có mã: người nhận đọc 4 số cuối CCCD" in item_page(client, number)


def test_it_says_the_cccd_digits_do_not_replace_a_required_code(demo, client, api_headers):
    demo.config["DELIVERY_OTP_REQUIRED"] = True
    with providers(demo):
        number = out_for_delivery(client, api_headers)
    login(client, "courier")
    assert "Cần mã OTP; 4 số cuối CCCD không thay được mã" in item_page(client, number)


def test_it_warns_nobody_when_the_gateway_never_reports_receipts(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)  # the console gateway, as in the demo
    login(client, "courier")
    assert NOT_REACHED not in item_page(client, number)
