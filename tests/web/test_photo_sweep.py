"""Door photos no tracking event names (the upload of a request that died before its scan was
recorded) are deleted once an hour old, by the worker's hourly job or `flask --app web
sweep-photos`; the photos of recorded scans stay."""

import json
import os
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from delivery.models import TrackingEvent
from tests.web.test_retention import PNG, make_item
from tracking.proof_files import store_photo


def two_hours_old(path: Path) -> Path:
    then = time.time() - 2 * 3600
    os.utime(path, (then, then))
    return path


@pytest.fixture
def folder(demo) -> Path:
    return Path(demo.config["PROOF_PHOTO_DIR"])


def sweep(app) -> str:
    return app.test_cli_runner().invoke(args=["sweep-photos"]).output


def named_photo(app) -> Path:
    with Session(app.extensions["db_engine"]) as db:
        proof = db.exec(select(TrackingEvent.proof).where(TrackingEvent.event == "delivered")).one()
    return Path(app.config["PROOF_PHOTO_DIR"]) / json.loads(proof)["photo"]


def test_it_deletes_an_hour_old_photo_no_event_names(demo, folder):
    orphan = two_hours_old(folder / store_photo(folder, PNG))
    assert "Deleted 1 door photo" in sweep(demo) and not orphan.exists()


def test_it_keeps_the_photo_of_a_recorded_delivery(demo, client, api_headers, folder):
    make_item(client, api_headers, 1, "delivered", folder)
    photo = two_hours_old(named_photo(demo))
    assert "Deleted 0" in sweep(demo) and photo.is_file()


def test_it_keeps_a_photo_written_within_the_hour(demo, folder):
    young = folder / store_photo(folder, PNG)
    assert "Deleted 0" in sweep(demo) and young.is_file()


def test_it_leaves_files_not_named_like_photos_alone(demo, folder):
    folder.mkdir(parents=True, exist_ok=True)
    stranger = folder / "README.txt"
    stranger.write_text("kept")
    two_hours_old(stranger)
    assert "Deleted 0" in sweep(demo) and stranger.is_file()


def test_it_sweeps_photos_in_the_hourly_retention_job(demo, client, api_headers, folder):
    from web.tasks import periodic_retention

    make_item(client, api_headers, 1, "delivered", folder)
    kept = two_hours_old(named_photo(demo))
    orphan = two_hours_old(folder / store_photo(folder, PNG))
    with demo.app_context():
        periodic_retention()
    assert kept.is_file() and not orphan.exists()
