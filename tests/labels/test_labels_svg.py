import xml.etree.ElementTree as ET

from labels.model import LabelSize
from labels.sample import SAMPLE, sample_label
from labels.svg import render_label_svg

NS = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{NS}g") if g.get("class") == "barcode")
    return list(group)


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def test_it_produces_a_100_by_150_mm_document():
    root = ET.fromstring(render_label_svg(SAMPLE))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "100mm", "150mm", "0 0 100 150")


def test_it_produces_an_a6_document():
    root = ET.fromstring(render_label_svg(SAMPLE, LabelSize.A6))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "105mm", "148mm", "0 0 105 148")


def test_it_escapes_markup_in_the_recipient_name():
    svg = render_label_svg(sample_label(recipient_name='Lê <script>&"x'))
    assert "<script>" not in svg and 'Lê &lt;script&gt;&amp;"x' in svg
    assert 'Lê <script>&"x' in _texts(svg)


def test_it_draws_bars_with_a_narrowest_width_of_0_5_mm_and_at_least_12_5_mm_tall():
    bars = _bars(render_label_svg(SAMPLE))
    assert min(float(b.get("width")) for b in bars) == 0.5
    assert min(float(b.get("height")) for b in bars) >= 12.5


def test_it_leaves_at_least_ten_modules_of_quiet_zone_inside_the_page():
    bars = _bars(render_label_svg(SAMPLE))
    left = min(float(b.get("x")) for b in bars)
    right = max(float(b.get("x")) + float(b.get("width")) for b in bars)
    assert left >= 3.75 and 100 - right >= 3.75


def test_it_draws_the_qr_as_a_single_path():
    paths = list(ET.fromstring(render_label_svg(SAMPLE)).iter(f"{NS}path"))
    assert len(paths) == 1


def test_it_prints_the_spaced_tracking_number():
    assert "RR 287 043 775 VN" in _texts(render_label_svg(SAMPLE))


def test_it_prints_the_amount_to_collect_when_set():
    assert "Thu hộ / Collect: 22.000 đ" in _texts(render_label_svg(SAMPLE))


def test_it_omits_the_collect_line_without_an_amount():
    texts = _texts(render_label_svg(sample_label(amount_to_collect_vnd=None)))
    assert not any("Collect" in t for t in texts)


def test_it_omits_the_legacy_line_when_absent():
    texts = _texts(render_label_svg(sample_label(legacy_line=None)))
    assert not any("Former" in t for t in texts)
