"""The packed 1-bit page and its PNG encoding."""

import io

from PIL import Image

from labels.raster import Page


def _image(page: Page, dpi: int = 203) -> Image.Image:
    return Image.open(io.BytesIO(page.png(dpi)))


def test_it_encodes_a_white_page_as_a_1_bit_png_with_its_dpi():
    image = _image(Page(799, 1199))
    assert (image.size, image.mode, round(image.info["dpi"][0])) == ((799, 1199), "1", 203)
    assert image.convert("L").getextrema() == (255, 255)


def test_it_fills_exactly_the_half_open_box():
    page = Page(40, 30)
    page.fill(3, 4, 11, 9)
    image = _image(page).convert("L")
    dark = Image.eval(image, lambda v: 255 - v).getbbox()
    assert dark == (3, 4, 11, 9)


def test_it_clips_drawing_at_the_page_edges():
    page = Page(20, 10)
    # two rows, 30 dots wide
    page.ink(-3, -1, (1 << 30) - 1 | ((1 << 30) - 1) << page.stride, 2, 30)
    page.repeat_row((1 << 25) - 1, 8, 5)
    dark = Image.eval(_image(page).convert("L"), lambda v: 255 - v)
    assert dark.getbbox() == (0, 0, 20, 10)
    assert dark.getpixel((5, 0)) == 255 and dark.getpixel((5, 1)) == 0


def test_it_clears_dots_for_inverse_text():
    page = Page(16, 4)
    page.fill(0, 0, 16, 4)
    page.ink(4, 1, 0b111, 1, 3, white=True)
    image = _image(page).convert("L")
    assert [image.getpixel((x, 1)) for x in range(3, 8)] == [0, 255, 255, 255, 0]


def test_it_keeps_earlier_ink_when_drawing_on_rows_that_are_no_longer_white():
    page = Page(24, 8)
    page.repeat_row(0b1111, 0, 4)  # white rows: copied
    page.fill(12, 4, 14, 5)  # in the same byte column as the next rows
    page.repeat_row(0b11 << 10, 2, 4)  # rows 2-4 already inked: OR'ed
    page.ink(20, 3, 0b1 | 0b1 << page.stride, 2, 1)  # rows 3-4: one inked, one white
    dark = Image.eval(_image(page).convert("L"), lambda v: 255 - v)
    black = {(x, y) for y in range(8) for x in range(24) if dark.getpixel((x, y))}
    expected = ({(x, y) for y in range(4) for x in range(4)}
                | {(x, y) for y in range(2, 6) for x in (10, 11)})
    assert black == expected | {(12, 4), (13, 4), (20, 3), (20, 4)}
