"""Regenerate the printing screenshots in docs/screenshots (A4 4-up sheet, handover manifest).

Run: .venv/bin/python bench/labels_screenshots.py   (rasterises the PDFs with pypdfium2 at 150 dpi)
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labels.manifest import ManifestData, ManifestLine, render_manifest_pdf  # noqa: E402
from labels.pdf import Sheet, stream_labels_pdf  # noqa: E402
from labels.sample import sample_label  # noqa: E402

NAMES = ["Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Hoàng Phương Uyên", "Phạm Quốc Việt"]


def save_first_page(pdf: bytes, path: Path, dpi: int = 150) -> None:
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    bitmap = page.render(scale=dpi / 72)
    bitmap.to_pil().convert("L").save(path, optimize=True)
    bitmap.close()
    page.close()
    document.close()


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    os.makedirs(out, exist_ok=True)
    labels = [sample_label(tracking_number=f"RR28704377{i}VN"[:13], recipient_name=name,
                           amount_to_collect_vnd=22000 if i % 2 == 0 else None)
              for i, name in enumerate(NAMES)]
    save_first_page(b"".join(stream_labels_pdf(labels, sheet=Sheet.A4_4UP)),
                    out / "labels-a4-4up.png")
    items = tuple(ManifestLine(f"RR{287043770 + i:09d}VN", ward, "Thành phố Hà Nội",
                               22000 if i % 3 == 0 else None)
                  for i, ward in enumerate(["Phường Hoàn Kiếm", "Phường Cửa Nam",
                                            "Phường Ba Đình"] * 4))
    manifest = ManifestData("BK251128-00042", "Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                            "Bưu điện Trung tâm Phục vụ HCC Hà Nội (100000)",
                            datetime.datetime(2025, 11, 28, 9, 30), "user:1", items,
                            agency_signatory="Nguyễn Văn Bình")
    save_first_page(render_manifest_pdf(manifest), out / "manifest-a4.png")


if __name__ == "__main__":
    main()
