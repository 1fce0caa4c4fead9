"""Reading PDFs back the way a printer driver or a scanner would: text and symbols."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_text(pdf: bytes, index: int = 0) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
        return text
    finally:
        document.close()


def page_image(pdf: bytes, index: int = 0, dpi: int = 203) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72)
        image = bitmap.to_pil().convert("L")
        bitmap.close()
        page.close()
        return image
    finally:
        document.close()


def decoded(image: Image.Image) -> list[tuple[str, str]]:
    """(format, text) of every symbol zxing-cpp finds, top to bottom."""
    results = sorted(
        zxingcpp.read_barcodes(image), key=lambda r: (r.position.top_left.y, r.position.top_left.x)
    )
    return [(r.format.name, r.text) for r in results]
