"""Repeat views of the tracking documents are answered before Flask, exactly as Flask answers them
(web/repeat_views.py); everything else still reaches Flask."""

import pytest

from tests.web.public_helpers import create_item, move

ENGLISH, VIETNAMESE = '<html lang="en">', '<html lang="vi">'
# the heading of the page's history in each language: a page holds one, never the other
WORDS = {ENGLISH: ">Timeline</h2>", VIETNAMESE: ">Hành trình</h2>"}


def only(language: str, page: str) -> bool:
    other = VIETNAMESE if language == ENGLISH else ENGLISH
    return language in page and WORDS[language] in page and WORDS[other] not in page


@pytest.fixture
def flask_requests(demo):
    """Counts the requests Flask itself dispatched (web.repeat_views answers the others)."""
    seen = []
    demo.before_request(lambda: seen.append(1))
    return seen


def twice(client, url, **headers):
    """The first answer (rendered by Flask) and the repeat (from the cache)."""
    first = client.get(url, headers=headers)
    return first, client.get(url, headers=headers)


@pytest.mark.parametrize("path", ["/t/{token}", "/api/v1/track/{token}",
                                  "/api/v1/track/{token}?lang=en"])
def test_it_answers_a_repeat_view_as_flask_answered_the_first(
    demo, client, api_headers, flask_requests, path
):
    _, token = create_item(client, api_headers)
    before = len(flask_requests)
    first, repeat = twice(client, path.format(token=token))
    assert len(flask_requests) == before + 1
    assert repeat.status_code == first.status_code == 200 and repeat.data == first.data
    assert sorted(repeat.headers.items()) == sorted(first.headers.items())


def test_it_answers_not_modified_as_flask_does(demo, client, api_headers, flask_requests):
    _, token = create_item(client, api_headers)
    etag = client.get(f"/t/{token}").headers["ETag"]
    demo.extensions["tracking_cache"]._entries.clear()  # the next one is rendered by Flask again
    first, repeat = twice(client, f"/t/{token}", **{"If-None-Match": etag})
    assert repeat.status_code == first.status_code == 304 and repeat.data == first.data == b""
    assert sorted(repeat.headers.items()) == sorted(first.headers.items())


def test_it_shows_a_status_change_on_the_next_repeat_view(
    demo, client, api_headers, flask_requests
):
    number, token = create_item(client, api_headers)
    twice(client, f"/api/v1/track/{token}")
    move(client, api_headers, number, "accepted")
    assert client.get(f"/api/v1/track/{token}").get_json()["status"] == "accepted"


def test_it_keeps_each_language_of_the_page_apart(demo, client, api_headers, flask_requests):
    _, token = create_item(client, api_headers)
    for _ in range(2):
        assert only(ENGLISH, client.get(f"/t/{token}",
                                        headers={"Accept-Language": "en-GB,en;q=0.9"}).text)
        assert only(VIETNAMESE, client.get(f"/t/{token}", headers={"Accept-Language": "vi"}).text)
        client.set_cookie("lang", "en")
        assert only(ENGLISH, client.get(f"/t/{token}", headers={"Accept-Language": "vi"}).text)
        client.delete_cookie("lang")


def test_it_leaves_to_flask_a_language_chosen_in_the_url(demo, client, api_headers, flask_requests):
    _, token = create_item(client, api_headers)
    first, repeat = twice(client, f"/t/{token}?lang=en")
    assert "Set-Cookie" in repeat.headers and repeat.data == first.data
    assert len(flask_requests) >= 3  # intake, and both views


def test_it_leaves_to_flask_a_visitor_with_a_login_session(demo, api_headers, flask_requests):
    staff = demo.test_client()
    _, token = create_item(staff, api_headers)
    staff.set_cookie("session", "anything")
    before = len(flask_requests)
    twice(staff, f"/t/{token}")
    assert len(flask_requests) == before + 2


@pytest.mark.parametrize("path", ["/t/no-such-token", "/api/v1/track/no-such-token",
                                  "/t/bad%20token", "/api/v1/track/" + "x" * 65])
def test_it_leaves_unknown_and_malformed_tokens_to_flask(demo, client, flask_requests, path):
    first, repeat = twice(client, path)
    assert repeat.status_code == first.status_code == 404 and len(flask_requests) == 2


def test_it_leaves_other_methods_to_flask(demo, client, api_headers, flask_requests):
    _, token = create_item(client, api_headers)
    client.get(f"/api/v1/track/{token}")
    before = len(flask_requests)
    assert (client.head(f"/api/v1/track/{token}").status_code == 200
            and len(flask_requests) == before + 1)


def test_it_leaves_a_failing_database_to_flask(
    demo, client, api_headers, flask_requests, monkeypatch
):
    from web import repeat_views

    _, token = create_item(client, api_headers)
    twice(client, f"/api/v1/track/{token}")

    def broken(*_args, **_kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(repeat_views, "hot_read", broken)
    before = len(flask_requests)
    assert (client.get(f"/api/v1/track/{token}").status_code == 200
            and len(flask_requests) == before + 1)


def test_it_adds_the_security_headers_to_a_repeat_view(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    _, repeat = twice(client, f"/t/{token}")
    assert repeat.headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in repeat.headers[
        "Content-Security-Policy"]
