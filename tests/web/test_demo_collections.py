"""The demo's collections: one on today's round, one collected with its pages; seeded twice
safely."""

from pathlib import Path

from sqlmodel import select

from delivery.collection_models import CollectionOrder, DossierPage
from delivery.models import VIETNAM_TIME, Consignment, utcnow
from tests.web.test_pages import login
from web.demo_collections import COLLECTIONS, seed_demo_collections


def collections(session):
    return session.exec(select(Consignment, CollectionOrder).join(
        CollectionOrder, CollectionOrder.consignment_id == Consignment.id)
        .order_by(Consignment.id)).all()


def test_it_books_one_for_todays_round_and_one_collected_with_its_pages(demo, session):
    with demo.app_context():
        assert seed_demo_collections(session) == len(COLLECTIONS)
    (booked, order), (collected, done) = collections(session)
    today = utcnow().astimezone(VIETNAM_TIME).date()
    assert (booked.status, order.window_date) == ("created", today)
    assert collected.status == "picked_up" and done.pages_pdf_sha256
    pages = session.exec(select(DossierPage).where(
        DossierPage.consignment_id == collected.id)).all()
    folder = Path(demo.config["PROOF_PHOTO_DIR"]) / "pages"
    assert len(pages) == 2 and all((folder / p.photo).is_file() for p in pages)


def test_it_changes_nothing_when_seeded_again(demo, session):
    with demo.app_context():
        seed_demo_collections(session)
        before = [(c.tracking_number, c.status, c.version) for c, _ in collections(session)]
        seed_demo_collections(session)
    assert [(c.tracking_number, c.status, c.version) for c, _ in collections(session)] == before


def test_it_puts_the_pick_up_on_the_demo_couriers_round(demo, session, client):
    with demo.app_context():
        seed_demo_collections(session)
    (booked, _), _ = collections(session)
    session.commit()  # end the read: SQLite lets the login write
    login(client, "courier")
    assert booked.tracking_number in client.get("/courier").get_data(as_text=True)
