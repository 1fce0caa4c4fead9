"""The admin's directory pages: agencies (webhook secret shown once), offices (details, the wards a
delivery office serves, the agencies a counter serves), beats, the coverage report; each change
audited, each refused form back with what was typed, and none of it for anyone but an admin."""

import json
import re

import pytest
from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.audit import AuditEntry
from delivery.beats import beat_entries
from delivery.directory import find_agency, find_office
from delivery.models import PostOffice, Ward
from delivery.served import served_agencies, served_wards
from tests.conftest import PASSWORD
from tests.web.test_pages import csrf_of, login

HANOI = 1
HOAN_KIEM, CUA_NAM, BA_DINH = 70, 73, 4  # GSO codes; the demo's 100100 serves the first two
DEMO_AGENCY = "000.00.01.H26"
NEW_AGENCY = {"code": "000.00.02.H26", "name": "Sở Tư pháp Hà Nội", "province": "1",
              "webhook_url": "https://motcua.example/hook", "attempt_limit": "3",
              "return_within_days": "5", "pickup_hold_days": "10"}
SECRET = re.compile(r'<output id="secret" class="secret mono">([0-9a-f]{64})</output>')


@pytest.fixture
def admin(demo):
    with Session(demo.extensions["db_engine"]) as db:
        create_user(db, "admin", PASSWORD, "admin")
        db.commit()
    client = demo.test_client()
    login(client, "admin")
    return client


def db_of(app) -> Session:
    return Session(app.extensions["db_engine"])


def audited(app, action) -> list[AuditEntry]:
    with db_of(app) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)))


def post(client, page, url=None, **form):
    """Post ``form`` to ``url`` (default ``page``) with the CSRF token of ``page``."""
    token = csrf_of(client.get(page).data)
    return client.post(url or page, data={"csrf_token": token, **form})


def text_of(response) -> str:
    return response.get_data(as_text=True)


def new_office(client, **fields):
    form = {"code": "100200", "name": "Bưu cục phát Ba Đình", "kind": "delivery_office",
            "province": "1", "address": "", "hours": "", **fields}
    return post(client, "/staff/offices/new", **form)


# --- agencies ------------------------------------------------------------------------------------

def test_it_lists_agencies_with_their_province_webhook_and_counters(demo, admin):
    text = text_of(admin.get("/staff/agencies"))
    assert DEMO_AGENCY in text and "Thành phố Hà Nội" in text and "100000" in text
    assert "Chưa đặt" in text  # the demo agency has no webhook URL


def test_it_creates_an_agency_and_shows_its_secret_once(demo, admin):
    response = post(admin, "/staff/agencies/new", **NEW_AGENCY)
    (secret,) = SECRET.findall(text_of(response))
    with db_of(demo) as db:
        agency = find_agency(db, NEW_AGENCY["code"])
    assert response.status_code == 201 and agency.webhook_secret == secret
    assert response.headers["Cache-Control"] == "no-store"
    assert "chỉ hiện một lần" in text_of(response).lower()
    assert secret not in text_of(admin.get(f"/staff/agencies/{agency.code}"))
    assert secret not in text_of(admin.get("/staff/agencies"))


def test_it_saves_a_new_agencys_delivery_settings_and_audits_it(demo, admin):
    post(admin, "/staff/agencies/new", **NEW_AGENCY)
    with db_of(demo) as db:
        agency = find_agency(db, NEW_AGENCY["code"])
    assert (agency.attempt_limit, agency.pickup_hold_days, agency.province_code) == (3, 10, 1)
    (entry,) = audited(demo, "agency.saved")
    assert entry.subject == f"agency:{agency.code}" and entry.actor_name == "admin"


def test_it_keeps_what_was_typed_and_names_the_fields_after_an_agency_error(demo, admin):
    response = post(admin, "/staff/agencies/new", **{**NEW_AGENCY, "code": "H26",
                                                     "webhook_url": "motcua.example/hook"})
    text = text_of(response)
    assert response.status_code == 422
    assert "Mã: mã đơn vị điện tử có dạng 000.00.01.H26" in text
    assert "Webhook URL: phải là địa chỉ http://" in text
    assert 'value="H26"' in text and 'value="Sở Tư pháp Hà Nội"' in text
    assert 'value="motcua.example/hook"' in text and 'value="1" selected' in text


def test_it_refuses_a_setting_that_is_not_a_number_keeping_it(demo, admin):
    response = post(admin, "/staff/agencies/new", **{**NEW_AGENCY, "attempt_limit": "hai"})
    assert response.status_code == 422 and 'value="hai"' in text_of(response)
    assert "Số lần phát tối đa: là một số nguyên" in text_of(response)


def test_it_refuses_to_create_an_agency_whose_code_exists(demo, admin):
    response = post(admin, "/staff/agencies/new", **{**NEW_AGENCY, "code": DEMO_AGENCY})
    with db_of(demo) as db:
        name = find_agency(db, DEMO_AGENCY).name
    assert response.status_code == 422 and name != NEW_AGENCY["name"]
    assert f"đã có cơ quan mã {DEMO_AGENCY}" in text_of(response)


def test_it_edits_an_agency_and_audits_the_change(demo, admin):
    post(admin, "/staff/agencies/new", **NEW_AGENCY)
    page = f"/staff/agencies/{NEW_AGENCY['code']}"
    response = post(admin, page, **{**NEW_AGENCY, "code": "ignored", "name": "Sở Tư pháp",
                                    "webhook_url": "", "pickup_hold_days": "14"})
    with db_of(demo) as db:
        agency, ignored = find_agency(db, NEW_AGENCY["code"]), find_agency(db, "ignored")
    assert response.status_code == 302 and ignored is None
    assert (agency.name, agency.webhook_url, agency.pickup_hold_days) == ("Sở Tư pháp", None, 14)
    assert json.loads(audited(demo, "agency.saved")[-1].detail) == {"created": False}


def test_it_shows_the_secret_an_agency_without_one_is_given_when_saved(demo, admin):
    page = f"/staff/agencies/{DEMO_AGENCY}"  # the demo's agency has no secret
    response = post(admin, page, **{**NEW_AGENCY, "name": "TT PVHCC Hà Nội"})
    (secret,) = SECRET.findall(text_of(response))
    with db_of(demo) as db:
        assert find_agency(db, DEMO_AGENCY).webhook_secret == secret


def test_it_rotates_a_webhook_secret_and_shows_the_new_one_once(demo, admin):
    post(admin, "/staff/agencies/new", **NEW_AGENCY)
    page = f"/staff/agencies/{NEW_AGENCY['code']}"
    with db_of(demo) as db:
        old = find_agency(db, NEW_AGENCY["code"]).webhook_secret
    response = post(admin, page, f"{page}/webhook-secret", confirm="yes")
    (secret,) = SECRET.findall(text_of(response))
    with db_of(demo) as db:
        assert find_agency(db, NEW_AGENCY["code"]).webhook_secret == secret != old
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Khóa cũ đã ngừng có hiệu lực" in text_of(response)
    assert audited(demo, "agency.secret_rotated")[0].subject == f"agency:{NEW_AGENCY['code']}"
    assert secret not in text_of(admin.get(page))


def test_it_rotates_nothing_without_the_confirmation(demo, admin):
    page = f"/staff/agencies/{DEMO_AGENCY}"
    with db_of(demo) as db:
        old = find_agency(db, DEMO_AGENCY).webhook_secret
    response = post(admin, page, f"{page}/webhook-secret")
    with db_of(demo) as db:
        assert find_agency(db, DEMO_AGENCY).webhook_secret == old
    assert response.status_code == 302 and audited(demo, "agency.secret_rotated") == []


def test_it_answers_404_for_an_unknown_agency(demo, admin):
    assert admin.get("/staff/agencies/000.00.99.H26").status_code == 404


# --- offices -------------------------------------------------------------------------------------

def test_it_lists_offices_by_province_and_kind(demo, admin):
    text = text_of(admin.get("/staff/offices"))
    assert all(code in text for code in ("100000", "100900", "100100", "700900", "820000"))
    hubs = text_of(admin.get("/staff/offices?province=79&kind=hub"))
    assert "700900" in hubs and "820000" not in hubs and "100900" not in hubs


def test_it_creates_a_delivery_office_and_opens_its_page(demo, admin):
    response = new_office(admin, hours="7:30-17:00")
    with db_of(demo) as db:
        office = find_office(db, "100200")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/offices/100200"
    assert (office.kind, office.opening_hours) == ("delivery_office", "7:30-17:00")
    assert json.loads(audited(demo, "office.saved")[0].detail) == {"created": True}


def test_it_keeps_what_was_typed_and_names_the_fields_after_an_office_error(demo, admin):
    response = new_office(admin, code="12", name="", address="1 Phố Huế", kind="hub")
    text = text_of(response)
    assert response.status_code == 422
    assert "Mã: mã bưu cục gồm 5 hoặc 6 chữ số" in text and "Tên: bắt buộc" in text
    assert 'value="12"' in text and 'value="1 Phố Huế"' in text
    assert 'value="hub" selected' in text


def test_it_refuses_to_create_an_office_whose_code_exists(demo, admin):
    response = new_office(admin, code="100100")
    assert response.status_code == 422 and "đã có bưu cục mã 100100" in text_of(response)


def test_it_changes_an_offices_details_keeping_its_wards(demo, admin):
    response = post(admin, "/staff/offices/100100", name="Bưu cục phát Hoàn Kiếm",
                    kind="delivery_office", province="1", address="75 Đinh Tiên Hoàng",
                    hours="7:00-19:00")
    with db_of(demo) as db:
        office = find_office(db, "100100")
        wards = served_wards(db, office)
    assert response.status_code == 302 and office.opening_hours == "7:00-19:00"
    assert wards == (HOAN_KIEM, CUA_NAM)


def test_it_refuses_to_make_a_delivery_office_with_wards_a_hub(demo, admin):
    response = post(admin, "/staff/offices/100100", name="Bưu cục phát Hoàn Kiếm", kind="hub",
                    province="1")
    assert response.status_code == 422
    assert "chỉ bưu cục phát phục vụ phường xã" in text_of(response)


def test_it_saves_the_wards_a_delivery_office_picks(demo, admin):
    new_office(admin)
    response = post(admin, "/staff/offices/100200", "/staff/offices/100200/wards",
                    ward=[str(BA_DINH), "8"])
    with db_of(demo) as db:
        wards = served_wards(db, find_office(db, "100200"))
    assert response.status_code == 302 and wards == (BA_DINH, 8)
    assert json.loads(audited(demo, "office.saved")[-1].detail) == {"wards": ["00004", "00008"]}


def test_it_shows_a_ward_served_elsewhere_with_its_office_and_not_to_be_ticked(demo, admin):
    new_office(admin)
    text = text_of(admin.get("/staff/offices/100200"))
    box = re.search(r'<input type="checkbox" name="ward" value="70"[^>]*>[^<]*<span[^>]*>00070'
                    r'</span> Phường Hoàn Kiếm <span class="served-by">· bưu cục 100100',
                    text)
    assert box and "disabled" in box.group(0)


def test_it_refuses_a_ward_another_office_serves_naming_that_office(demo, admin):
    new_office(admin)
    response = post(admin, "/staff/offices/100200", "/staff/offices/100200/wards",
                    ward=[str(BA_DINH), str(HOAN_KIEM)])
    text = text_of(response)
    with db_of(demo) as db:
        assert served_wards(db, find_office(db, "100200")) == ()
    assert response.status_code == 422
    assert "đã do bưu cục khác phát" in text and "(100100 Bưu cục phát Hoàn Kiếm)" in text
    assert re.search(r'value="4" checked', text)  # what was ticked stays ticked


def test_it_saves_the_agencies_a_counter_serves(demo, admin):
    post(admin, "/staff/agencies/new", **NEW_AGENCY)
    response = post(admin, "/staff/offices/100000", "/staff/offices/100000/agencies",
                    agency=[DEMO_AGENCY, NEW_AGENCY["code"]])
    with db_of(demo) as db:
        serves = served_agencies(db, find_office(db, "100000"))
    assert response.status_code == 302 and serves == (DEMO_AGENCY, NEW_AGENCY["code"])


# --- beats ---------------------------------------------------------------------------------------

def new_beat(client, **fields):
    form = {"code": "T01", "name": "Hàng Bạc", "ward": [str(HOAN_KIEM)], "courier": "courier",
            **fields}
    return post(client, "/staff/offices/100100/beats/new", **form)


def beats_of(app, office_code="100100"):
    with db_of(app) as db:
        return beat_entries(db, find_office(db, office_code))


def new_beats(app):
    """The beats these tests made (the demo has its own, HK-01)."""
    return [beat for beat in beats_of(app) if beat.code != "HK-01"]


def test_it_creates_a_beat_with_its_wards_and_courier(demo, admin):
    response = new_beat(admin)
    ((beat),) = new_beats(demo)
    assert response.status_code == 302
    assert (beat.code, beat.wards, beat.courier) == ("T01", (HOAN_KIEM,), "courier")
    assert audited(demo, "beat.saved")[0].subject == "beat:100100/T01"
    assert "Hàng Bạc" in text_of(admin.get("/staff/offices/100100"))


def test_it_keeps_what_was_typed_after_a_beat_error(demo, admin):
    response = new_beat(admin, ward=[], name="Hàng Đào")
    text = text_of(response)
    assert response.status_code == 422 and new_beats(demo) == []
    assert "Mã phường xã: ít nhất một phường xã" in text
    assert 'value="T01"' in text and 'value="Hàng Đào"' in text
    assert 'value="courier" selected' in text


def test_it_changes_a_beats_wards(demo, admin):
    new_beat(admin)
    page = "/staff/offices/100100/beats/edit/T01"
    response = post(admin, page, name="Hàng Bạc", ward=[str(HOAN_KIEM), str(CUA_NAM)],
                    courier="")
    ((beat),) = new_beats(demo)
    assert response.status_code == 302 and (beat.wards, beat.courier) == ((HOAN_KIEM, CUA_NAM), "")


def test_it_deletes_a_beat_after_asking(demo, admin):
    new_beat(admin)
    page = "/staff/offices/100100/beats/delete/T01"
    assert "Xóa tuyến phát" in text_of(admin.get(page)) and len(new_beats(demo)) == 1
    response = post(admin, page)
    assert response.status_code == 302 and new_beats(demo) == []
    assert audited(demo, "beat.deleted")[0].subject == "beat:100100/T01"


def test_it_has_no_beats_for_a_hub(demo, admin):
    assert admin.get("/staff/offices/100900/beats/new").status_code == 404


# --- coverage ------------------------------------------------------------------------------------

def office_without_couriers(app) -> None:
    with db_of(app) as db:
        db.add(PostOffice(code="820100", name="Bưu cục phát mới", kind="delivery_office",
                          province_code=79))
        db.commit()


def test_it_shows_the_coverage_numbers_of_each_province(demo, admin):
    post(admin, "/staff/agencies/new", **NEW_AGENCY)  # no counter serves it
    office_without_couriers(demo)
    with db_of(demo) as db:
        hanoi_wards = len(db.exec(select(Ward).where(Ward.province_code == HANOI)).all())
    text = text_of(admin.get("/staff/coverage"))
    hanoi = re.search(r'<tr id="province-1">.*?</tr>', text, re.S).group(0)
    assert f"<strong>{hanoi_wards - 2}</strong> / {hanoi_wards}" in hanoi
    assert NEW_AGENCY["code"] in hanoi and DEMO_AGENCY not in hanoi
    hcmc = re.search(r'<tr id="province-79">.*?</tr>', text, re.S).group(0)
    assert "820100" in hcmc and "820000" not in hcmc  # only the one without couriers


def test_it_shows_the_totals_of_the_coverage(demo, admin):
    office_without_couriers(demo)
    with db_of(demo) as db:
        wards = len(db.exec(select(Ward)).all())
    text = text_of(admin.get("/staff/coverage"))
    assert f'<strong id="total-wards">{wards - 5}</strong>' in text  # the demo serves 5 wards
    assert '<strong id="total-offices">1</strong>' in text
    assert '<strong id="total-agencies">0</strong>' in text


def test_it_shows_the_coverage_of_one_province(demo, admin):
    text = text_of(admin.get("/staff/coverage?province=79"))
    assert 'id="province-79"' in text and 'id="province-1"' not in text


# --- who may -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["counter", "courier", "supervisor"])
def test_it_refuses_the_directory_pages_to_anyone_but_an_admin(demo, client, role):
    login(client, role)
    paths = ["/staff/agencies", f"/staff/agencies/{DEMO_AGENCY}", "/staff/offices",
             "/staff/offices/100100", "/staff/offices/100100/beats/new", "/staff/coverage"]
    assert {path: client.get(path).status_code for path in paths} == dict.fromkeys(paths, 403)


def test_it_refuses_a_change_by_a_non_admin(demo, client):
    login(client, "supervisor")
    response = post(client, "/login", "/staff/agencies/new", **NEW_AGENCY)
    with db_of(demo) as db:
        assert response.status_code == 403 and find_agency(db, NEW_AGENCY["code"]) is None


def test_it_links_the_directory_pages_from_an_admins_header(demo, admin):
    header = text_of(admin.get("/staff/users")).split("<main")[0]
    assert all(f'href="{path}"' in header for path in
               ("/staff/agencies", "/staff/offices", "/staff/coverage"))


def test_it_shows_no_directory_links_to_a_supervisor(demo, client):
    login(client, "supervisor")
    assert "/staff/agencies" not in text_of(client.get("/staff/outbox"))

