import datetime

from labels.manifest import ManifestData, ManifestLine, render_manifest_pdf
from tests.labels.pdf_reading import decoded, page_count, page_image, page_text


def manifest(items: int = 3) -> ManifestData:
    lines = tuple(ManifestLine(f"RR{i:09d}VN", "Phường Hoàn Kiếm", "Thành phố Hà Nội",
                               22000 if i == 0 else None)
                  for i in range(items))
    return ManifestData("BB-251128-0001",
                        "Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                        "Bưu điện Trung tâm Phục vụ HCC Hà Nội",
                        datetime.datetime(2025, 11, 28, 9, 30), "user:1", lines)


def test_it_prints_the_manifest_number_as_a_code128_the_clerk_can_scan():
    assert ("Code128", "BB-251128-0001") in decoded(page_image(render_manifest_pdf(manifest())))


def test_it_lists_items_with_s10_and_ward_and_counts_them():
    text = page_text(render_manifest_pdf(manifest()))
    assert "RR 000 000 002 VN" in text and "Phường Hoàn Kiếm" in text and "Total: 3" in text


def test_it_has_signature_blocks_for_both_sides():
    text = page_text(render_manifest_pdf(manifest()))
    assert "FOR THE AGENCY" in text and "FOR THE POST OFFICE" in text


def test_it_continues_a_long_manifest_on_more_pages_with_signatures_at_the_end():
    pdf = render_manifest_pdf(manifest(80))
    last = page_count(pdf) - 1
    assert (last >= 2 and "RR 000 000 079 VN" in page_text(pdf, last)
            and "FOR THE AGENCY" in page_text(pdf, last))


def test_it_asks_the_time_received_of_the_taker_only():
    text = page_text(render_manifest_pdf(manifest()))
    assert text.count("giờ nhận") == 1 and "time received" in text
