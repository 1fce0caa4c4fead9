"""Staff accounts' rules, without the web: placement by role, the last admin, passwords ending
sessions."""

import pytest

from delivery.accounts import create_user, end_sessions
from delivery.errors import Conflict, ValidationFailed
from delivery.models import PostOffice
from delivery.staff import Placement, create_staff, place_staff, replace_password, set_active

PASSWORD = "long-enough-1"


@pytest.fixture
def office(session):
    office = PostOffice(code="100900", name="Bưu cục phát Hoàn Kiếm", kind="delivery_office",
                        province_code=1)
    session.add(office)
    session.commit()
    return office


def test_it_names_every_wrong_field_at_once(session):
    with pytest.raises(ValidationFailed) as refused:
        create_staff(session, "a b", "short", "other", Placement("courier"))
    assert set(refused.value.errors) == {"username", "password", "office"}


def test_it_lets_an_admin_work_without_an_office(session):
    assert create_staff(session, "root", PASSWORD, PASSWORD, Placement("admin")).office_id is None


def test_it_lets_one_of_two_admins_be_disabled(session):
    create_user(session, "root", PASSWORD, "admin")
    second = create_user(session, "root2", PASSWORD, "admin")
    assert set_active(session, second, False) and not second.active


def test_it_keeps_the_last_active_admin(session):
    """A disabled admin does not count."""
    last = create_user(session, "root", PASSWORD, "admin")
    create_user(session, "root2", PASSWORD, "admin").active = False
    session.flush()
    with pytest.raises(Conflict):
        set_active(session, last, False)


def test_it_keeps_the_admin_role_of_the_last_admin(session):
    last = create_user(session, "root", PASSWORD, "admin")
    with pytest.raises(ValidationFailed) as refused:
        place_staff(session, last, Placement("supervisor", province_code=1))
    assert set(refused.value.errors) == {"role"} and last.role == "admin"


def test_it_reports_changes_in_the_words_of_the_form(session, office):
    user = create_user(session, "hoa", PASSWORD, "counter")
    changes = place_staff(session, user, Placement("courier", office.code))
    assert changes == {"role": ["counter", "courier"], "office": [None, "100900"]}


def test_it_reports_no_change_when_nothing_changed(session, office):
    user = create_staff(session, "hoa", PASSWORD, PASSWORD, Placement("courier", office.code))
    assert place_staff(session, user, Placement("courier", office.code)) == {}


def test_it_ends_sessions_when_a_password_is_replaced(session):
    user = create_user(session, "hoa", PASSWORD, "admin")
    before = user.session_generation
    replace_password(session, user, "another-password", "another-password")
    session.flush()
    assert user.session_generation == before + 1


def test_it_counts_two_ends_of_sessions_made_apart(session):
    user = create_user(session, "hoa", PASSWORD, "admin")
    end_sessions(user)
    session.flush()
    end_sessions(user)
    session.flush()
    assert user.session_generation == 2
