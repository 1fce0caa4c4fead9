"""The courier's pages say which login served them (for the phone's offline queue, which sends a
scan only under the login of the courier who queued it) and carry the logout hook."""

import re

import pytest
from sqlmodel import Session, select

from delivery.models import User
from tests.web.test_pages import login

PAGES = ["/courier", "/courier/scan"]


def stamp(client, path="/courier/scan"):
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'<meta name="courier-login" content="(\d+):(\d+):(\d+)" data-name="([^"]*)"',
                      html)
    return found.groups() if found else None


@pytest.mark.parametrize("path", PAGES)
def test_it_names_the_login_and_loads_the_logout_hook_on_courier_pages(demo, client, path):
    login(client, "courier")
    with Session(demo.extensions["db_engine"]) as db:
        courier = db.exec(select(User).where(User.username == "courier")).one()
    user, _since, _rendered, name = stamp(client, path)
    assert (int(user), name) == (courier.id, "courier")
    assert "js/courier/logout.js" in client.get(path).get_data(as_text=True)


def test_it_stamps_each_page_with_when_it_was_rendered(demo, client):
    login(client, "courier")
    first, second = stamp(client), stamp(client)
    assert first[:2] == second[:2] and int(second[2]) >= int(first[2])


def test_it_gives_another_login_another_key(demo, client):
    login(client, "courier")
    before = stamp(client)
    client.post("/logout", data={"csrf_token": re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/courier/scan").get_data(
            as_text=True)).group(1)})
    login(client, "supervisor")
    after = stamp(client)
    assert before[0] != after[0] and after[3] == "supervisor"
