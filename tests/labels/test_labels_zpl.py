import io
import re

import pytest
from PIL import Image

from labels.png import render_label_png
from labels.sample import SAMPLE, sample_label
from labels.zpl import field_data, render_label_zpl


def test_it_wraps_one_label_in_one_xa_xz_pair_with_utf8():
    zpl = render_label_zpl(SAMPLE)
    assert (zpl.startswith("^XA\n^CI28\n") and zpl.endswith("^XZ\n")
            and zpl.count("^XA") == zpl.count("^XZ") == 1)


def test_it_encodes_the_s10_with_bc_and_the_url_with_bq():
    zpl = render_label_zpl(SAMPLE)
    assert re.search(r"\^BY4\^BCN,\d+,N,N,N,A\^FH\\\^FDRR287043775VN\^FS", zpl)
    assert f"^BQN,2,8^FH\\^FDMA,{SAMPLE.qr_url}^FS" in zpl


def test_it_keeps_vietnamese_text_as_utf8_field_data():
    assert "^FDNguyễn Thị Hồng Nhung^FS" in render_label_zpl(SAMPLE)


def test_it_sizes_the_label_in_dots_for_the_dpi():
    assert "^PW799\n^LL1199" in render_label_zpl(SAMPLE, dpi=203)
    assert "^PW1181\n^LL1772" in render_label_zpl(SAMPLE, dpi=300)


def test_it_cannot_be_made_to_run_commands_by_a_name():
    zpl = render_label_zpl(
        sample_label(recipient_name="A^XZ~JR\r\n^XA^PQ99", street="~DGR:X.GRF,1,1,FF")
    )
    assert zpl.count("^XZ") == 1 and zpl.count("^XA") == 1 and "~" not in zpl and "^PQ99" not in zpl


def test_it_keeps_carets_and_tildes_printable_as_hex_escapes():
    assert field_data("A^B~C\\D\x07") == "A\\5EB\\7EC\\5CD"


def test_it_refuses_a_dpi_it_cannot_print():
    with pytest.raises(ValueError):
        render_label_zpl(SAMPLE, dpi=600)


GRAPHIC_FIELD = re.compile(r"\^FO(\d+),(\d+)(\^FR)?\^GFA,(\d+),(\d+),(\d+),([0-9A-F]*)\^FS")


def test_it_can_send_every_text_as_a_graphic_field_needing_no_printer_font():
    zpl = render_label_zpl(SAMPLE, text_as_graphics=True)
    assert "^A@" not in zpl and "DEJAVU" not in zpl and "Nguy" not in zpl
    assert "^BCN" in zpl and "^BQN" in zpl and zpl.count("^XA") == zpl.count("^XZ") == 1


def test_it_sizes_each_graphic_field_by_its_rows_of_hex():
    fields = GRAPHIC_FIELD.findall(render_label_zpl(SAMPLE, text_as_graphics=True))
    assert len(fields) >= 15
    for _x, _y, _reverse, total, again, per_row, data in fields:
        assert total == again and len(data) == 2 * int(total) and int(total) % int(per_row) == 0


def test_it_draws_the_graphic_text_where_the_png_label_has_it():
    png = Image.open(io.BytesIO(render_label_png(SAMPLE, dpi=203))).convert("1")
    fields = GRAPHIC_FIELD.findall(render_label_zpl(SAMPLE, text_as_graphics=True))
    for x, y, reverse, total, _, per_row, data in fields:
        rows = int(total) // int(per_row)
        ink = Image.frombytes("1", (int(per_row) * 8, rows), bytes.fromhex(data))
        for row in range(rows):
            for col in range(ink.width):
                if ink.getpixel((col, row)):
                    assert png.getpixel((int(x) + col, int(y) + row)) == (255 if reverse else 0)
