"""The admin's pages in the language the admin chose (web/i18n.py): English words only, field names
and domain messages included, once the admin picks English; Vietnamese only by default."""

from tests.web.test_admin_directory import BA_DINH, HOAN_KIEM, new_office, post, text_of
from tests.web.test_admin_users import admin  # noqa: F401  (the fixture)
from tests.web.test_pages import csrf_of


def in_english(client) -> None:
    token = csrf_of(client.get("/staff/users").data)
    client.post("/staff/language", data={"language": "en", "csrf_token": token})


def test_it_shows_the_staff_list_in_vietnamese_only_by_default(demo, admin):  # noqa: F811
    text = text_of(admin.get("/staff/users"))
    assert "Tạo tài khoản" in text and "Nhân viên quầy" in text and "Đang dùng" in text
    assert "New account" not in text and "Counter staff" not in text and "Active" not in text


def test_it_shows_the_staff_list_in_english_once_the_admin_chooses_it(demo, admin):  # noqa: F811
    in_english(admin)
    text = text_of(admin.get("/staff/users"))
    assert "New account" in text and "Counter staff" in text and "Active" in text
    assert "Tạo tài khoản" not in text and "Nhân viên quầy" not in text and "Đang dùng" not in text


def test_it_names_a_refused_fields_and_its_message_in_english(demo, admin):  # noqa: F811
    in_english(admin)
    text = text_of(post(admin, "/staff/users/new", username="hoa.nt", role="courier", office="",
                        password="short", password_again="short"))
    assert "Not created:" in text and "Post office: " in text and "Password: " in text
    assert "Chưa tạo được" not in text and "Bưu cục làm việc" not in text


def test_it_tells_an_office_saved_and_names_the_taken_ward_in_english(demo, admin):  # noqa: F811
    in_english(admin)
    new_office(admin)
    assert "Office 100200 created; now pick the wards it serves" in text_of(
        admin.get("/staff/offices/100200"))
    text = text_of(post(admin, "/staff/offices/100200", "/staff/offices/100200/wards",
                        ward=[str(BA_DINH), str(HOAN_KIEM)]))
    assert "Wards it serves" in text and "already served by another office" in text
    assert "Phường xã bưu cục phát" not in text and "đã do bưu cục khác phát" not in text


def test_it_shows_the_agencys_calendar_in_english(demo, admin):  # noqa: F811
    in_english(admin)
    text = text_of(admin.get("/staff/agencies/000.00.01.H26"))
    assert "Working calendar and due dates" in text and "Same province" in text
    assert "Lịch làm việc" not in text and "Cùng tỉnh" not in text
