"""Retention erases a collected dossier's pages with the citizen's personal data: the photos and
the PDF (files) and the page rows go, the PDF's hash stays."""

from pathlib import Path

from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder, DossierPage
from tests.web.door_helpers import book_for_today, item_of, page_jpeg, pick_up
from tests.web.public_helpers import move
from tests.web.test_pages import login
from tests.web.test_retention import age, run


def test_it_deletes_the_page_photos_and_the_pdf_with_the_personal_data(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    pick_up(client, number, photos=[page_jpeg(1), page_jpeg(2)])
    move(client, api_headers, number, "handed_to_agency")
    pages = Path(demo.config["PROOF_PHOTO_DIR"]) / "pages"
    assert len(list(pages.iterdir())) == 3
    age(demo, number, 181)
    assert "Anonymised 1 consignment" in run(demo).output
    item = item_of(demo, number)
    with Session(demo.extensions["db_engine"]) as db:
        assert db.exec(select(DossierPage).where(DossierPage.consignment_id == item.id)).all() == []
        order = db.get(CollectionOrder, item.id)
    assert list(pages.iterdir()) == []
    assert order.pages_pdf is None and order.pages_pdf_sha256 is not None


def test_it_keeps_the_pages_of_a_dossier_not_yet_due(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    pick_up(client, number, photos=[page_jpeg(1)])
    move(client, api_headers, number, "handed_to_agency")
    run(demo)
    assert len(list((Path(demo.config["PROOF_PHOTO_DIR"]) / "pages").iterdir())) == 2
