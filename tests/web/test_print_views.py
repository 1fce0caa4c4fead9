import io

import pytest
import zxingcpp
from PIL import Image
from sqlmodel import select

from delivery.manifests import create_manifest
from delivery.models import Agency, PostOffice
from delivery.print_models import LabelPrint
from tests.conftest import run_jobs
from tests.labels.pdf_reading import decoded, page_count, page_image, page_text
from tests.payloads import intake_body
from tests.web.test_pages import csrf_of, login

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def print_folder(request, tmp_path):
    """Finished print jobs go to a temporary folder, not the checkout's instance folder."""
    for name in ("app", "queued_app"):
        if name in request.fixturenames:
            request.getfixturevalue(name).config["PRINT_FOLDER"] = str(tmp_path)


def download(client, url, headers=None):
    response = client.get(url, headers=headers)
    data = response.data
    response.close()  # send_file keeps the file open until the response is closed
    return data


def consignments(client, headers, count=2):
    return [client.post("/api/v1/consignments", json=intake_body(i + 1),
                        headers=headers).get_json()["tracking_number"]
            for i in range(count)]


def courier_url(number):
    return f"http://localhost/courier/items/{number}"


def batch(client, headers, **body):
    return client.post("/api/v1/labels/batch", json=body, headers=headers)


def test_it_serves_a_pdf_label_that_decodes_to_the_s10_and_the_courier_url(
    demo, client, api_headers
):
    (number,) = consignments(client, api_headers, 1)
    pdf = client.get(f"/api/v1/consignments/{number}/label.pdf", headers=api_headers).data
    assert sorted(decoded(page_image(pdf))) == [
        ("Code128", number), ("QRCode", courier_url(number))]


def test_it_serves_a_png_at_300_dpi(demo, client, api_headers):
    (number,) = consignments(client, api_headers, 1)
    response = client.get(f"/api/v1/consignments/{number}/label.png?dpi=300&size=a6",
                          headers=api_headers)
    image = Image.open(io.BytesIO(response.data))
    assert (image.size == (1240, 1748)
            and {r.text for r in zxingcpp.read_barcodes(image)} >= {number})


def test_it_serves_zpl_for_a_300_dpi_printer(demo, client, api_headers):
    (number,) = consignments(client, api_headers, 1)
    zpl = client.get(f"/api/v1/consignments/{number}/label.zpl?dpi=300",
                     headers=api_headers).get_data(as_text=True)
    assert zpl.startswith("^XA\n^CI28") and f"^FD{number}^FS" in zpl and "^BY6" in zpl


def test_it_serves_zpl_with_its_text_as_graphics_for_printers_without_the_font(
    demo, client, api_headers
):
    (number,) = consignments(client, api_headers, 1)
    url = f"/api/v1/consignments/{number}/label.zpl"
    as_font = client.get(url, headers=api_headers).get_data(as_text=True)
    as_graphics = client.get(url + "?text=graphics", headers=api_headers).get_data(as_text=True)
    assert "^GFA" not in as_font and "^GFA" in as_graphics
    # the name is drawn, not sent as text
    assert "Nguyễn" in as_font and "Nguyễn" not in as_graphics
    assert "^BC" in as_graphics and f"^FD{number}^FS" in as_graphics  # barcodes stay native
    bad = client.get(url + "?text=bitmap", headers=api_headers)
    assert bad.status_code == 422 and "text" in bad.get_json()["errors"]


def test_it_names_a_bad_size_in_a_422(demo, client, api_headers):
    (number,) = consignments(client, api_headers, 1)
    response = client.get(f"/api/v1/consignments/{number}/label.pdf?size=a3", headers=api_headers)
    assert (response.status_code == 422 and response.mimetype == PROBLEM
            and "size" in response.get_json()["errors"])


@pytest.mark.parametrize("dpi", ["²", "9" * 5000, "0300"])
def test_it_names_a_dpi_that_is_not_one_it_prints_in_a_422(demo, client, api_headers, dpi):
    (number,) = consignments(client, api_headers, 1)
    response = client.get(f"/api/v1/consignments/{number}/label.png?dpi={dpi}",
                          headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["dpi"]


@pytest.mark.parametrize("query", ["size=", "text="])
def test_it_names_an_empty_label_option_in_a_422(demo, client, api_headers, query):
    """Not the default: the API document's enums have no empty value."""
    (number,) = consignments(client, api_headers, 1)
    response = client.get(f"/api/v1/consignments/{number}/label.zpl?{query}", headers=api_headers)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == [query[:-1]]


def test_it_returns_one_pdf_with_the_labels_in_the_given_order(demo, client, api_headers):
    numbers = consignments(client, api_headers, 3)[::-1]
    pdf = batch(client, api_headers, tracking_numbers=numbers).data
    assert [dict(decoded(page_image(pdf, i)))["Code128"] for i in range(3)] == numbers


def test_it_names_unknown_numbers_of_a_batch(demo, client, api_headers):
    (number,) = consignments(client, api_headers, 1)
    response = batch(client, api_headers, tracking_numbers=[number, "RR287043775VN"])
    body = response.get_json()
    assert response.status_code == 422 and "RR287043775VN" in body["errors"]["tracking_numbers"]


def test_it_refuses_a_batch_without_numbers(demo, client, api_headers):
    response = batch(client, api_headers, tracking_numbers=[])
    assert response.status_code == 422 and "tracking_numbers" in response.get_json()["errors"]


def test_it_puts_a_batch_four_to_an_a4_sheet(demo, client, api_headers):
    numbers = consignments(client, api_headers, 5)
    assert page_count(batch(client, api_headers, tracking_numbers=numbers, sheet="a4").data) == 2


def test_it_renders_a_background_batch_in_process_without_redis(demo, client, api_headers):
    numbers = consignments(client, api_headers, 2)
    job = batch(client, api_headers, tracking_numbers=numbers, background=True).get_json()
    status = client.get(job["status_url"], headers=api_headers).get_json()
    pdf = download(client, status["download_url"], api_headers)
    assert ((status["state"], status["done"], status["total"]) == ("done", 2, 2)
            and page_count(pdf) == 2)


def test_it_renders_a_background_batch_on_a_real_rq_worker(queued_app, monkeypatch):
    monkeypatch.setenv("DEMO_API_KEY", "bk_test-key-for-the-demo-upstream-client")
    from sqlmodel import Session

    from web.demo import seed_demo

    with queued_app.app_context(), Session(queued_app.extensions["db_engine"]) as db:
        seed_demo(db)
    client = queued_app.test_client()
    headers = {"Authorization": "Bearer bk_test-key-for-the-demo-upstream-client"}
    numbers = consignments(client, headers, 2)
    job = batch(client, headers, tracking_numbers=numbers, background=True).get_json()
    assert job["state"] == "queued" and job["download_url"] is None
    run_jobs(queued_app)
    status = client.get(job["status_url"], headers=headers).get_json()
    pdf = download(client, status["download_url"], headers)
    assert (status["state"] == "done"
            and [dict(decoded(page_image(pdf, i)))["Code128"] for i in range(2)] == numbers)


def test_it_hides_a_print_job_from_another_clerk(demo, client, api_headers):
    numbers = consignments(client, api_headers, 1)
    job = batch(client, api_headers, tracking_numbers=numbers, background=True).get_json()
    login(client, "counter")
    assert client.get(job["status_url"]).status_code == 404


def test_it_shows_the_counter_a_print_view_with_page_sized_svgs(demo, client, api_headers):
    numbers = consignments(client, api_headers, 2)
    login(client, "counter")
    page = client.get(f"/print/labels?n={numbers[0]}&n={numbers[1]}&size=a6").get_data(as_text=True)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm"') == 2
    assert "label-a6" in page and "<?xml" not in page


def test_it_opens_the_print_view_of_a_small_batch_the_counter_confirms(demo, client, api_headers):
    numbers = consignments(client, api_headers, 2)
    login(client, "counter")
    token = csrf_of(client.get("/print/batch").data)
    response = client.post("/print/batch", data={"numbers": "\n".join(numbers), "size": "a6",
                                                 "sheet": "label", "csrf_token": token})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("/print/labels?" in response.headers["Location"]
            and page.count('width="105mm" height="148mm"') == 2)


def test_it_sends_a_large_batch_from_the_counter_form_to_a_job_page(
    demo, client, api_headers, monkeypatch
):
    monkeypatch.setattr("web.print_views.BACKGROUND_ABOVE", 1)
    numbers = consignments(client, api_headers, 2)
    login(client, "counter")
    token = csrf_of(client.get("/print/batch").data)
    response = client.post("/print/batch", data={"numbers": "\n".join(numbers), "size": "100x150",
                                                 "sheet": "label", "csrf_token": token})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("/print/jobs/" in response.headers["Location"]
            and 'data-status-url="/api/v1/print-jobs/' in page)


def test_it_refuses_the_counter_form_without_the_csrf_token(demo, client):
    login(client, "counter")
    assert client.post("/print/batch", data={"numbers": "RR287043775VN"}).status_code == 400


@pytest.fixture
def manifest_number(demo, client, api_headers, session):
    numbers = consignments(client, api_headers, 3)
    agency = session.exec(select(Agency)).first()
    office = session.exec(select(PostOffice).where(PostOffice.code == "100000")).one()
    manifest = create_manifest(session, agency, office, numbers, "user:1")
    session.commit()
    return manifest.number, numbers


def test_it_prints_the_manifest_with_a_scannable_number_and_its_items(
    client, api_headers, manifest_number
):
    number, items = manifest_number
    pdf = client.get(f"/api/v1/manifests/{number}/manifest.pdf", headers=api_headers).data
    text = page_text(pdf)
    assert (("Code128", number) in decoded(page_image(pdf)) and "Phường Hoàn Kiếm" in text
            and "Total: 3" in text)


def test_it_prints_every_label_of_a_manifest_in_its_order(
    client, api_headers, manifest_number, session
):
    number, items = manifest_number
    pdf = batch(client, api_headers, manifest=number).data
    assert page_count(pdf) == 3 and len(session.exec(select(LabelPrint)).all()) == 3


def test_it_answers_404_for_an_unknown_manifest(demo, client, api_headers):
    response = client.get("/api/v1/manifests/BK000000-00000/manifest.pdf", headers=api_headers)
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_it_records_the_labels_of_a_print_job_once_when_its_job_runs_twice(
    demo, client, api_headers
):
    from web.print_jobs import render_print_job

    numbers = consignments(client, api_headers, 2)
    job = batch(client, api_headers, tracking_numbers=numbers, background=True).get_json()
    with demo.app_context():
        assert render_print_job(job["id"]) == "done"  # the sweep enqueued it again
    with demo.app_context():
        from web.db import get_session

        prints = get_session().exec(select(LabelPrint).where(
            LabelPrint.print_job_id == job["id"])).all()
    assert len(prints) == 2
