"""Text composed from cached glyphs must look as Pillow draws the whole string."""

import pytest
from PIL import Image, ImageChops, ImageDraw

from labels import glyphs

LINES = [
    "Nguyễn Thị Hồng Nhung",
    "TRƯƠNG NGUYỄN HOÀNG PHƯƠNG UYÊN",
    "Số 12 đường Nguyễn Thị Minh Khai, tổ 5, khu phố 3",
    "ĐT / Tel: 0901 234 567",
    "Thu hộ / Collect: 22.000 đ",
    "AVAWATAYTo Tr Ty Yo LT Vĩnh Yên",
    "ỗộờởỡợừửữựỳỵỷỹ ĂẮẰẲẴẶ ÂẤẦẨẪẬ Đđ Ơ Ư",
    "<script>&\"' ~_|{}",
]
WIDTH, HEIGHT, X, Y = 2400, 200, 1000, 130
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def _by_pillow(text: str, px: float, bold: bool, anchor: str) -> Image.Image:
    image = Image.new("1", (WIDTH, HEIGHT), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    draw.text((X, Y), text, font=glyphs.font(px, bold), fill=0, anchor=ANCHORS[anchor])
    return image


def _composed(text: str, px: float, bold: bool, anchor: str) -> Image.Image:
    image = Image.new("1", (WIDTH, HEIGHT), 1)
    run = glyphs.set_text(text, px, bold, anchor, WIDTH)
    if run is not None:
        ink = Image.frombytes("1", (run.width, run.height), b"".join(run.packed_rows()))
        image.paste(0, (X + run.left, Y + run.top), ink)
    return image


def _same_up_to_one_dot(a: Image.Image, b: Image.Image) -> bool:
    """Pillow may move a whole line by one dot (it places a line by outline boxes)."""
    return any(
        ImageChops.offset(a, dx, dy).tobytes() == b.tobytes()
        for dx in (0, -1, 1)
        for dy in (0, -1, 1)
    )


@pytest.mark.parametrize("px", [16.4, 18.4, 29.3, 41.6, 80.3])
@pytest.mark.parametrize("bold", [False, True])
def test_it_composes_vietnamese_lines_as_pillow_draws_them(px, bold):
    for text in LINES:
        for anchor in ANCHORS:
            assert _same_up_to_one_dot(
                _by_pillow(text, px, bold, anchor), _composed(text, px, bold, anchor)
            ), text


@pytest.mark.parametrize(
    "text", ["Vie\u0302\u0323t Nam", "مرحبا", "office fields", "x\u200fy"]
)
def test_it_leaves_marks_ligatures_and_other_scripts_to_pillow(text):
    assert not glyphs.is_simple(text)
    assert _same_up_to_one_dot(
        _by_pillow(text, 29.3, False, "start"), _composed(text, 29.3, False, "start")
    )


def test_it_returns_no_run_for_blank_text():
    assert glyphs.set_text("   ", 20.0, False, "start", 800) is None


def test_it_refuses_text_wider_than_the_row():
    with pytest.raises(ValueError, match="wider|more than"):
        glyphs.set_text("W" * 200, 40.0, True, "start", 800)
