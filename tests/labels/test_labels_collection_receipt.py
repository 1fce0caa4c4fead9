import dataclasses
import datetime

import pytest

from labels.collection_receipt import (
    CollectionReceipt,
    DossierDocument,
    render_collection_receipt_pdf,
)
from tests.labels.pdf_reading import decoded, page_image, page_text

URL = "https://ketqua.example.gov.vn/t/Zx8kq2LmN4pQ7rS9"
DOCUMENTS = (DossierDocument("Tờ khai đề nghị đổi giấy phép lái xe", 1, True),
             DossierDocument("Bản sao Căn cước công dân", 2, False),
             DossierDocument("Giấy khám sức khỏe của người lái xe", 1, True))


BASE = CollectionReceipt(
    tracking_number="RR287043775VN", dossier_code="000.00.01.H26-250609-0001",
    procedure="Cấp đổi giấy phép lái xe", agency="Sở Xây dựng Hà Nội",
    citizen_name="Nguyễn Văn An",
    collected_at=datetime.datetime(2026, 12, 7, 3, 5, tzinfo=datetime.UTC),
    collected_by="Trần Thị Bình", office="Bưu cục Hoàn Kiếm", documents=DOCUMENTS, pages=5,
    fee_vnd=22000, fee_payer="Công dân / citizen", tracking_url=URL)


def receipt(**changes: object) -> CollectionReceipt:
    return dataclasses.replace(BASE, **changes)


def test_it_prints_the_tracking_number_spaced():
    assert "RR 287 043 775 VN" in page_text(render_collection_receipt_pdf(receipt()))


def test_it_lists_every_document_by_name():
    text = page_text(render_collection_receipt_pdf(receipt()))
    assert [d.name in text for d in DOCUMENTS] == [True, True, True]


def test_it_marks_the_missing_document_thieu():
    text = page_text(render_collection_receipt_pdf(receipt()))
    assert "Bản sao Căn cước công dân 2 Thiếu / missing" in text
    assert text.count("Thiếu / missing") == 1


def test_it_prints_the_fee_in_dong():
    assert "22.000 đ" in page_text(render_collection_receipt_pdf(receipt()))


def test_it_says_no_fee_when_none_is_collected():
    assert "Không thu / none" in page_text(render_collection_receipt_pdf(receipt(fee_vnd=None)))


def test_it_prints_the_collection_time_in_vietnam_time():
    assert "07/12/2026 10:05" in page_text(render_collection_receipt_pdf(receipt()))


def test_it_accepts_documents_as_plain_tuples():
    plain = receipt(documents=[("Đơn đề nghị", 1, False)])
    assert plain.documents == (DossierDocument("Đơn đề nghị", 1, False),)


def test_it_reads_back_the_qr_link_and_the_code_128_at_300_dpi():
    image = page_image(render_collection_receipt_pdf(receipt()), dpi=300)
    assert sorted(decoded(image)) == [("Code128", "RR287043775VN"), ("QRCode", URL)]


def test_it_refuses_a_collection_time_without_a_time_zone():
    with pytest.raises(ValueError, match="timezone-aware"):
        render_collection_receipt_pdf(receipt(collected_at=datetime.datetime(2026, 12, 7, 10)))
