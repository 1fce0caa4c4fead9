"""The counter's form without JavaScript: an address the resolver corrected is not stored until the
clerk confirms the ward, and the page says what was corrected."""

from tests.web.test_counter import FORM
from tests.web.test_pages import csrf_of, login

TYPO = "12 Lê Lợi, Phường Bến Nghá, Quận 1, TP HCM"


def post_form(client, **fields):
    token = csrf_of(client.get("/counter/consignments/new").data)
    return client.post("/counter/consignments/new", data={**FORM, **fields, "csrf_token": token})


def test_it_shows_the_correction_and_offers_the_corrected_ward_without_javascript(demo, client):
    login(client, "counter")
    response = post_form(client, address=TYPO)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Đã sửa Phường Bến Nghá → Phường Bến Nghé? Cần xác nhận phường/xã" in page
    assert "Phường Sài Gòn, Thành phố Hồ Chí Minh" in page and 'name="candidate"' in page
    assert TYPO in page  # what was typed stays in the form


def test_it_creates_the_item_once_the_clerk_confirms_the_corrected_ward(demo, client):
    login(client, "counter")
    page = post_form(client, address=TYPO).get_data(as_text=True)
    ward = page.split('name="candidate" value="')[1].split(":")[0]
    response = post_form(client, address=TYPO, ward_code=ward, province_code="79")
    assert response.status_code == 302
    assert "Phường Sài Gòn" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_it_takes_the_ward_ticked_without_javascript(demo, client):
    login(client, "counter")
    page = post_form(client, address=TYPO).get_data(as_text=True)
    candidate = page.split('name="candidate" value="')[1].split('"')[0]
    response = post_form(client, address=TYPO, candidate=candidate)  # no script: only the radio
    assert response.status_code == 302
    assert "Phường Sài Gòn" in client.get(response.headers["Location"]).get_data(as_text=True)
