"""New consignments are placed on the map in the background, when a geocoder and a job queue are
configured."""

from sqlmodel import Session

from delivery.address import GeocoderSettings
from delivery.models import Consignment
from tests.conftest import run_jobs
from tests.payloads import intake_body
from tests.stand_ins_geo import NominatimStandIn
from tests.tracking.notified import HEADERS, seed

STREET = (21.0302, 105.8522)


def created(app) -> Consignment:
    number = app.test_client().post("/api/v1/consignments", json=intake_body(), headers=HEADERS)
    assert number.status_code == 201
    with Session(app.extensions["db_engine"]) as db:
        return db.get(Consignment, 1)


def test_it_places_a_new_consignment_on_the_map_in_the_background(
    queued_app, monkeypatch, tmp_path
):
    seed(queued_app, monkeypatch)
    with NominatimStandIn({"Số 12 Lý Thái Tổ": STREET}) as server:
        queued_app.config["GEOCODER"] = GeocoderSettings(server.url, min_delay_seconds=0,
                                                         cache_path=tmp_path / "geo.sqlite3")
        assert created(queued_app).lat is None  # the request did not wait for the geocoder
        run_jobs(queued_app)
    with Session(queued_app.extensions["db_engine"]) as db:
        placed = db.get(Consignment, 1)
    assert (placed.lat, placed.lon) == STREET
    assert server.requests[0][0].startswith("Số 12 Lý Thái Tổ, ")


def test_it_leaves_the_request_alone_without_a_job_queue(demo):
    with NominatimStandIn({"Số 12 Lý Thái Tổ": STREET}) as server:
        demo.config["GEOCODER"] = GeocoderSettings(server.url, min_delay_seconds=0)
        placed = created(demo)
    assert placed.lat is None and server.requests == []
