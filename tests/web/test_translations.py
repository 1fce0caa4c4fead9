"""One language at a time (web/i18n.py): complete catalogs, no unmarked words, the reader's
choice."""

import re

import pytest
from sqlmodel import Session, select

from delivery.models import User
from tests.web.test_pages import csrf_of, login
from web.catalogs import marked_strings, missing, templates_with_unmarked_words, unmarked_words
from web.i18n import LANGUAGES, read_catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_an_entry_in_each_language_for_every_marked_string(language):
    gaps = [f"{m.where}:{m.line} {m.message_id!r}" for m in missing(language)]
    assert gaps == [], "run `python -m web.catalogs add-missing`, then translate:\n" + \
        "\n".join(gaps[:40])


def test_it_marks_every_word_the_templates_show():
    assert templates_with_unmarked_words() == {}


def placeholders_kept(message) -> bool:
    """Every form of the translation (one in Vietnamese, two in English for an ngettext message)
    has the placeholders of the message's id."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = sorted(PLACEHOLDER.findall(ids[0]))
    return all(sorted(PLACEHOLDER.findall(form)) == wanted for form in forms)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_every_placeholder_of_a_message_in_its_translation(language):
    wrong = [message.id for message in read_catalog(language)
             if message.id and not placeholders_kept(message)]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_no_words_nothing_shows_any_more(language):
    marked = {(m.message_id, m.context) for m in marked_strings().values()}
    stale = [m.id for m in read_catalog(language) if m.id and (
        m.id if isinstance(m.id, str) else m.id[0], m.context) not in marked]
    assert stale == []


def test_it_finds_unmarked_words_in_html_attributes_and_jinja_literals():
    assert unmarked_words('<input placeholder="Số nhà">') == ["Số", "nhà"]
    assert unmarked_words("{{ 'công dân' if x else _('người nhận') }}") == ["công dân"]
    assert unmarked_words("<p>{{ _('Đã gửi') }} · PDF</p>") == []
    assert unmarked_words("<td>{{ '✓' if ok else '—' }}</td>") == []


def test_it_refuses_one_message_translated_two_ways(tmp_path):
    for name, words in (("a.po", "Items"), ("b.po", "Consignments")):
        (tmp_path / "en").mkdir(exist_ok=True)
        (tmp_path / "en" / name).write_text(f'msgid "Bưu gửi"\nmsgstr "{words}"\n',
                                            encoding="utf-8")
    with pytest.raises(ValueError, match="Bưu gửi"):
        read_catalog("en", tmp_path)


def test_it_shows_staff_pages_in_vietnamese_only_by_default(demo, client):
    login(client, "counter")
    page = client.get("/counter").get_data(as_text=True)
    assert "Tạo bưu gửi" in page and "New item" not in page and 'lang="vi"' in page


def test_it_shows_staff_pages_in_english_once_the_user_chooses_it(demo, client):
    login(client, "counter")
    token = csrf_of(client.get("/counter").data)
    chosen = client.post("/staff/language", data={"language": "en", "next": "/counter?q=RR",
                                                 "csrf_token": token})
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/counter?q=RR"
    page = client.get("/counter").get_data(as_text=True)
    assert "New item" in page and "Tạo bưu gửi" not in page and 'lang="en"' in page


def test_it_keeps_the_choice_on_the_account_for_every_device(demo, client):
    login(client, "counter")
    client.post("/staff/language", data={"language": "en",
                                         "csrf_token": csrf_of(client.get("/counter").data)})
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(User).where(User.username == "counter")).one().language == "en"
    other_device = demo.test_client()
    login(other_device, "counter")
    assert "New item" in other_device.get("/counter").get_data(as_text=True)


def test_it_refuses_a_language_choice_without_the_csrf_token(demo, client):
    login(client, "counter")
    assert client.post("/staff/language", data={"language": "en"}).status_code == 400
    assert "Tạo bưu gửi" in client.get("/counter").get_data(as_text=True)


def test_it_ignores_a_language_it_does_not_have(demo, client):
    login(client, "counter")
    client.post("/staff/language", data={"language": "fr",
                                         "csrf_token": csrf_of(client.get("/counter").data)})
    assert "Tạo bưu gửi" in client.get("/counter").get_data(as_text=True)


def test_it_lets_a_visitor_choose_the_login_pages_language(demo, client):
    assert "Log in" in client.get("/login?lang=en").get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)  # the cookie remembers it
    assert "Log in" in page and "Đăng nhập" not in page


def test_it_offers_the_other_language_by_its_own_name(demo, client):
    page = client.get("/login").get_data(as_text=True)
    assert 'value="en"' in page and "English" in page and 'value="vi" lang' not in page


def test_it_shows_a_domain_message_in_the_pages_language(app):
    from web.i18n import one_language, speaking

    with app.test_request_context("/"):
        with speaking("en"):
            assert one_language("bắt buộc / required") == "required"
        with speaking("vi"):
            assert one_language("bắt buộc / required") == "bắt buộc"
        assert one_language("a / b / c") == "a / b / c"
        assert one_language("Cơ quan / Agency: không có / none") == "Cơ quan: không có"
        assert one_language("Mã phường xã / wards: đã có bưu cục phục vụ / already served: 00070"
                            ) == "Mã phường xã: đã có bưu cục phục vụ: 00070"
        with speaking("en"):
            assert one_language("Cơ quan / Agency: không có / none") == "Agency: none"


def test_it_names_a_wrong_field_in_the_users_language(demo, client):
    login(client, "counter")
    client.post("/staff/language", data={"language": "en",
                                         "csrf_token": csrf_of(client.get("/counter").data)})
    token = csrf_of(client.get("/staff/password").data)
    page = client.post("/staff/password", data={
        "current_password": "wrong", "password": "a-new-password-456",
        "password_again": "another-password-789", "csrf_token": token}).get_data(as_text=True)
    assert "Current password: not your current password" in page
    assert "New password again: " in page and "hai lần" not in page


def test_it_explains_an_unknown_page_in_the_readers_language(demo, client):
    page = client.get("/counter/no-such-page")
    assert page.status_code == 404 and "Không tìm thấy" in page.get_data(as_text=True)
    english = client.get("/counter/no-such-page?lang=en").get_data(as_text=True)
    assert "Not found" in english and "There is no such page or item." in english
    assert "Không tìm thấy" not in english


def test_it_keeps_the_allowed_methods_on_a_refused_methods_page(demo, client):
    page = client.delete("/login")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]
    assert "Trang này không nhận cách gửi đó" in page.get_data(as_text=True)
