"""The supervision and printing pages in the language a user chose (web/i18n.py): English words
only once they choose English, while the files other programs read keep both languages."""

import csv
import io

import pytest

from tests.quality_month import make_month
from tests.web.test_pages import csrf_of, login
from tests.web.test_print_views import consignments

SEPTEMBER = "from=2026-09-01&to=2026-09-30"


def in_english(client, page):
    token = csrf_of(client.get(page).data)
    client.post("/staff/language", data={"language": "en", "csrf_token": token})


@pytest.mark.parametrize(("path", "english", "vietnamese"), [
    ("/staff/at-risk", "Items at risk of being late", "Bưu gửi sắp trễ hạn"),
    ("/staff/outbox", "Dead letters (0)", "Thư chết"),
    ("/staff/ratings", "No ratings in this period", "Chưa có đánh giá"),
    ("/staff/reconciliation", "Cash reconciliation", "Đối soát thu hộ"),
    ("/staff/requests", "No open requests", "Không có yêu cầu"),
])
def test_it_shows_a_supervision_page_in_english_once_chosen(demo, client, path, english,
                                                            vietnamese):
    login(client, "supervisor")
    assert vietnamese in client.get(path).get_data(as_text=True)
    in_english(client, path)
    page = client.get(path).get_data(as_text=True)
    assert english in page and vietnamese not in page and 'lang="en"' in page


def test_it_draws_the_quality_dashboard_in_english_and_keeps_both_in_its_files(session, client):
    make_month(session)
    login(client, "s1")
    in_english(client, "/staff/quality")
    page = client.get(f"/staff/quality?{SEPTEMBER}").get_data(as_text=True)
    assert "Items created" in page and "Recipient absent" in page  # a figure, the Pareto's reason
    assert 'aria-label="Non-delivery reasons"' in page  # the chart's own words
    assert "Bưu gửi tạo trong kỳ" not in page and "Người nhận vắng nhà" not in page
    exported = client.get(f"/staff/quality/export/failures.csv?{SEPTEMBER}")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][:2] == ["recipient_absent", "Người nhận vắng nhà / Recipient absent"]


def test_it_shows_the_batch_form_and_its_job_page_in_english(demo, client, api_headers,
                                                             monkeypatch):
    monkeypatch.setattr("web.print_views.BACKGROUND_ABOVE", 1)
    numbers = consignments(client, api_headers, 2)
    login(client, "counter")
    in_english(client, "/print/batch")
    form = client.get("/print/batch").get_data(as_text=True)
    assert "Print a batch of labels" in form and "In nhãn hàng loạt" not in form
    response = client.post("/print/batch", data={"numbers": "\n".join(numbers), "size": "100x150",
                                                 "sheet": "label",
                                                 "csrf_token": csrf_of(form.encode())})
    job = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Print job" in job and "Lệnh in" not in job
    assert '"retrying": "connection lost, retrying"' in job  # the script's words, in English


def test_it_names_custody_holders_and_flags_in_the_pages_language(app):
    from web.i18n import speaking
    from web.supervision import custody_words

    flag = "Bưu cục 100000: picked_up không có quét nhận đến / without an arrival scan"
    with app.test_request_context("/"):
        with speaking("en"):
            assert custody_words("Công dân / citizen Trần Thị Bình") == "Citizen Trần Thị Bình"
            assert custody_words(flag) == "Bưu cục 100000: without an arrival scan"
            assert custody_words("counter @ 100000") == "counter @ 100000"
        with speaking("vi"):
            assert custody_words("Cơ quan / agency Sở Tư pháp") == "Cơ quan Sở Tư pháp"
            assert custody_words(flag) == \
                "Bưu cục 100000: picked_up không có quét nhận đến"


def test_it_keeps_the_values_of_a_domain_message_in_vietnamese(app):
    from web.i18n import one_language, speaking

    with app.test_request_context("/"):
        with speaking("vi"):
            assert one_language("không có bưu gửi / unknown: RR1VN, RR2VN") == \
                "không có bưu gửi: RR1VN, RR2VN"
            assert one_language("tối đa / at most 500") == "tối đa 500"
            assert one_language("tối đa 300 ký tự / at most 300 characters") == "tối đa 300 ký tự"
            assert one_language("office: chọn bưu cục / choose an office") == "office: chọn bưu cục"
        with speaking("en"):
            assert one_language("không có bưu gửi / unknown: RR1VN") == "unknown: RR1VN"
