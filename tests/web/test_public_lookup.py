from tests.conftest import make_app
from tests.web.public_helpers import create_item
from tests.web.test_pages import PASSWORD, csrf_of, login


def lookup(client, number, last4, **kwargs):
    return client.get("/api/v1/track",
                      query_string={"tracking_number": number, "phone_last4": last4}, **kwargs)


def test_it_finds_an_item_by_number_and_the_phones_last_four_digits(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    body = lookup(client, number, "5678").get_json()
    assert (body["tracking_number"] == number and body["recipient"] == "N*** V** A"
            and "0912345678" not in str(body))


def test_it_answers_a_wrong_pair_exactly_like_an_unknown_number(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    wrong, unknown = lookup(client, number, "0000"), lookup(client, "RR287043775IN", "5678")
    assert (wrong.status_code, wrong.get_data()) == (unknown.status_code, unknown.get_data())
    assert (wrong.status_code == 404
            and wrong.headers["Content-Type"] == unknown.headers["Content-Type"])


def test_it_limits_guesses_on_one_number_with_429_and_retry_after(demo, client, api_headers):
    demo.config["TRACK_LOOKUP_LIMIT"] = 3
    number, _ = create_item(client, api_headers)
    answers = [lookup(client, number, f"{n:04d}", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
               for n in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_it_limits_one_client_trying_many_numbers(demo, client):
    demo.config["TRACK_LOOKUP_LIMIT"] = 1  # three lookups per client
    numbers = ["RR287043775IN", "EE471108151FR", "RR072705659PL", "EB000717595HK"]
    assert [lookup(client, n, "1234").status_code for n in numbers] == [404, 404, 404, 429]


def test_it_counts_lookups_in_redis_shared_by_every_web_process(
    queued_app, database_url, redis_server_url, redis
):
    queued_app.config["TRACK_LOOKUP_LIMIT"] = 2
    other = make_app(database_url, REDIS_URL=redis_server_url, TRACK_LOOKUP_LIMIT=2)
    codes = [lookup(app.test_client(), "RR287043775IN", "1234").status_code
             for app in (queued_app, other, other)]
    other.extensions["db_engine"].dispose()
    other.extensions["redis"].close()
    assert codes == [404, 404, 429] and redis.ttl("ratelimit:track:n:RR287043775IN") > 0


def test_it_opens_the_page_from_the_lookup_form(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    response = client.get("/t", query_string={"tracking_number": number, "phone_last4": "5678"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{token}")


def test_it_says_the_same_on_the_form_for_any_miss(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    wrong = client.get("/t", query_string={"tracking_number": number, "phone_last4": "0000"})
    unknown = client.get("/t", query_string={
        "tracking_number": number.replace(number[2:10], "00000000"), "phone_last4": "5678"})
    assert (wrong.status_code == unknown.status_code == 404
            and "Không tìm thấy" in wrong.get_data(as_text=True))


def test_it_counts_a_number_written_with_spaces_as_the_same_number(demo, client):
    demo.config["TRACK_LOOKUP_LIMIT"] = 1
    assert lookup(client, "RR287043775IN", "1234").status_code == 404
    other_client = {"environ_base": {"REMOTE_ADDR": "10.9.9.9"}}
    assert lookup(client, "rr 287 043 775 in", "4321", **other_client).status_code == 429


GARBAGE = ["", "x", "RR287043775I1", "RR287043776IN", "' OR 1=1 --", "R" * 10_000, "٣٣"]


def test_it_answers_garbage_numbers_404_at_once_and_stores_no_limiter_key_in_redis(
    queued_app, redis
):
    queued_app.config["TRACK_LOOKUP_LIMIT"] = 1
    client = queued_app.test_client()
    api = [lookup(client, number, "1234").status_code for number in GARBAGE * 3]
    pages = [client.get("/t", query_string={"tracking_number": n, "phone_last4": "1234"})
             .status_code for n in GARBAGE[1:]]
    assert set(api) == set(pages) == {404} and redis.keys("ratelimit:*") == []
    assert lookup(client, "RR287043775IN", "12345").status_code == 404  # nor garbage digits
    assert redis.keys("ratelimit:*") == []
    lookup(client, "RR287043775IN", "1234")  # a well-formed pair is counted
    assert len(redis.keys("ratelimit:*")) == 2


def test_it_stores_no_key_for_garbage_in_the_in_process_limiter(demo, client):
    for number in GARBAGE:
        assert lookup(client, number, "1234").status_code == 404
    lookup(client, "RR287043775IN", "١٢٣٤")  # Arabic-Indic digits are no phone digits
    limiters = demo.extensions.get("track_limiters", ())
    assert all(limiter._counts == {} for limiter in limiters)
    lookup(client, "RR287043775IN", "1234")
    per_client, per_number = demo.extensions["track_limiters"]
    assert list(per_number._counts) == ["track:n:RR287043775IN"]


def test_it_greets_a_visitor_of_the_site_with_the_lookup_and_links_the_staff_login(demo, client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="phone_last4"' in html
    assert 'href="/login"' in html


def test_it_still_takes_a_logged_in_courier_home(demo, client):
    login(client, "courier")
    assert client.get("/").headers["Location"].endswith("/courier")


def test_it_sends_a_citizen_who_scans_the_label_to_the_lookup_with_the_number_in(
    demo, client, api_headers
):
    number, _ = create_item(client, api_headers)
    landing = client.get(f"/courier/items/{number}", follow_redirects=True)
    html = landing.get_data(as_text=True)
    assert landing.status_code == 200 and f'value="{number}"' in html
    assert "Không tìm thấy" not in html
    assert f'href="/login?next=/courier/items/{number}"' in html


def test_it_brings_a_courier_who_logs_in_from_the_lookup_back_to_the_item(
    demo, client, api_headers
):
    number, _ = create_item(client, api_headers)
    client.get(f"/courier/items/{number}", follow_redirects=True)
    token = csrf_of(client.get(f"/login?next=/courier/items/{number}").data)
    answer = client.post(f"/login?next=/courier/items/{number}", data={
        "csrf_token": token, "username": "courier", "password": PASSWORD})
    assert answer.headers["Location"].endswith(f"/courier/items/{number}")


def test_it_links_the_login_only_back_to_a_label_page(demo, client):
    html = client.get("/t", query_string={"tracking_number": "RR287043775IN",
                                          "staff_next": "//evil.example/"}).get_data(as_text=True)
    assert "evil.example" not in html and 'href="/login"' in html


def test_it_keeps_what_was_typed_after_a_miss(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    html = client.get("/t", query_string={"tracking_number": number, "phone_last4": "0000"}
                      ).get_data(as_text=True)
    assert f'value="{number}"' in html and 'value="0000"' in html


def test_it_says_how_long_to_wait_after_too_many_tries(demo, client, api_headers):
    demo.config["TRACK_LOOKUP_LIMIT"] = 1
    number, _ = create_item(client, api_headers)
    for last4 in ("0000", "1111"):
        answer = client.get("/t", query_string={"tracking_number": number, "phone_last4": last4})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 429 and "Vui lòng thử lại sau" in html and " phút" in html
