"""Label rendering speed and memory (issue 4). Run: .venv/bin/python bench/labels_bench.py [--json]

Prints a table: figure, target, pass/fail. Not a test: figures depend on the machine.
- per-label render time vs the bare cost of the two symbols, measured in the same run on the same
  labels: qrcode (ECC M, best fit, mask chosen as usual) to a module matrix, plus python-barcode's
  Code 128 to its module string. Our render includes those two plus layout and drawing.
- the same target read strictly: what a render adds beyond making its own two symbols (our QR and
  Code 128, the same matrix and modules as bare, timed alone), against bare: "1.3x" becomes
  <= 0.30x, so a cheaper QR cannot pay for costlier drawing.
- a 1,000-label batch PDF streamed to a file, on one core, and the peak RSS of a fresh process
  rendering 200 vs 1,000 labels (it streams, so the peak must not grow with the batch).
"""

from __future__ import annotations

import functools
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import barcode
import qrcode
from qrcode.constants import ERROR_CORRECT_M

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from labels.codes import code128_modules, qr_matrix  # noqa: E402
from labels.model import LabelData  # noqa: E402
from labels.pdf import render_label_pdf, stream_labels_pdf  # noqa: E402
from labels.png import render_label_png  # noqa: E402
from labels.sample import sample_label  # noqa: E402
from labels.svg import render_label_svg  # noqa: E402
from labels.zpl import render_label_zpl  # noqa: E402

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
           "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân", "Hoài")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hạnh", "Khoa", "Linh", "Mỹ", "Nhung", "Phúc",
          "Quyên", "Sơn", "Thảo", "Uyên", "Việt", "Yến", "Tường", "Hưng", "Lộc", "Trâm")
_STREETS = ("Nguyễn Thị Minh Khai", "Lý Thường Kiệt", "Trần Hưng Đạo", "Hai Bà Trưng",
            "Phạm Ngũ Lão", "Điện Biên Phủ", "Võ Văn Tần", "Cách Mạng Tháng Tám",
            "Nam Kỳ Khởi Nghĩa", "Lê Lợi", "Hùng Vương")
_WARDS = ("Phường Bến Thành", "Phường Sài Gòn", "Phường Tân Định", "Phường Bàn Cờ",
          "Phường Xuân Hòa", "Phường Nhiêu Lộc", "Phường Chợ Quán", "Phường An Đông")


def labels(count: int) -> list[LabelData]:
    """Distinct labels: every citizen's own number, URL, name, phone, street, ward and dossier code,
    so nothing per citizen can be served from a cache (a day's batch shares sender, office and
    province)."""
    return [
        sample_label(
            tracking_number=f"RR{i:09d}VN",
            qr_url=f"https://ketqua.example.gov.vn/courier/items/RR{i:09d}VN",
            recipient_name=f"{_FAMILY[i % 14]} {_MIDDLE[i // 14 % 11]} {_GIVEN[i * 7 % 21]} "
                           f"{_GIVEN[i // 3 % 21]}",
            recipient_phone=f"09{i * 7919 % 10**8:08d}",
            street=f"Số {i % 397 + 1} đường {_STREETS[i % 11]}, tổ {i % 23 + 1}, "
                   f"khu phố {i % 7 + 1}",
            ward=_WARDS[i % 8],
            dossier_code=f"H48.15-2506{i % 28 + 1:02d}-{i:04d}",
        )
        for i in range(count)
    ]


def bare(label: LabelData) -> None:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(label.qr_url)
    qr.make(fit=True)
    qr.get_matrix()
    barcode.get_barcode_class("code128")(label.tracking_number).build()


def own_symbols(label: LabelData) -> None:
    """The two symbols as our renderers make them (labels.codes): what a render costs before
    layout."""
    qr_matrix(label.qr_url)
    code128_modules(label.tracking_number)


def per_label_ms(funcs: dict[str, Callable[[LabelData], object]], items: list[LabelData],
                 rounds: int = 5) -> dict[str, float]:
    """CPU ms per label for each function: best of `rounds` passes over `items`. The functions take
    turns within each round, so load from other processes falls on all of them alike, and the time
    is this process's CPU time (time.process_time), not wall time, so waiting for a core does not
    count."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, func in funcs.items():
            start = time.process_time()
            for item in items:
                func(item)
            best[name] = min(best[name], (time.process_time() - start) / len(items))
    return {name: seconds * 1000 for name, seconds in best.items()}


def batch_child(count: int) -> None:
    """In a fresh process: stream `count` labels to /dev/null; print seconds and peak RSS (MB)."""
    items = (sample_label(tracking_number=f"RR{i:09d}VN",
                          qr_url=f"https://ketqua.example.gov.vn/courier/items/RR{i:09d}VN")
             for i in range(count))
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        for chunk in stream_labels_pdf(items):
            sink.write(chunk)
    seconds = time.perf_counter() - start
    print(f"{seconds:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")


def run_child(count: int) -> tuple[float, float]:
    # taskset pins the child to one core, as the target says
    command = ["taskset", "-c", "0", sys.executable, __file__, "--batch", str(count)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


Row = tuple[str, str, str, str]  # figure, value, target, result ("pass", "FAIL" or "")


def render_rows(times: dict[str, float], formats: list[str]) -> list[Row]:
    """The per-label rows from CPU ms per label (`times`: "bare", "own" and each format): each
    render against bare (<= 1.3x), then what each render adds beyond its own symbols against bare
    (<= 0.30x)."""
    base, own = times["bare"], times["own"]
    rows = [("bare qrcode + python-barcode, CPU ms/label", f"{base:.2f}", "—", ""),
            ("our own QR + Code 128 (same symbols), CPU ms/label (x bare)",
             f"{own:.2f} ({own / base:.2f}x)", "—", "")]
    for name in formats:
        ratio = times[name] / base
        rows.append((f"{name} render, CPU ms/label (x bare)", f"{times[name]:.2f} ({ratio:.2f}x)",
                     "<= 1.3x", "pass" if ratio <= 1.3 else "FAIL"))
    for name in formats:
        beyond = (times[name] - own) / base
        rows.append((f"{name} render beyond its own symbols, CPU ms/label (x bare)",
                     f"{times[name] - own:.2f} ({beyond:.2f}x)", "<= 0.30x",
                     "pass" if beyond <= 0.30 else "FAIL"))
    return rows


def results() -> list[Row]:
    """Every figure of this benchmark with its target (bench/all.py collects these)."""
    formats: dict[str, Callable[[LabelData], object]] = {
        "pdf": render_label_pdf, "svg": render_label_svg, "zpl (203 dpi)": render_label_zpl,
        "png (203 dpi)": render_label_png,
        "png (300 dpi)": functools.partial(render_label_png, dpi=300)}
    rows = render_rows(per_label_ms({"bare": bare, "own": own_symbols, **formats}, labels(200)),
                       list(formats))
    small_s, small_mb = run_child(200)
    big_s, big_mb = run_child(1000)
    return [
        *rows,
        ("batch PDF 1,000 labels, s (one core)", f"{big_s:.2f}", "<= 10 s",
         "pass" if big_s <= 10 else "FAIL"),
        ("peak RSS 200 labels, MB", f"{small_mb:.0f}", "—", ""),
        ("peak RSS 1,000 labels, MB", f"{big_mb:.0f}", "<= 250 MB",
         "pass" if big_mb <= 250 else "FAIL"),
        ("RSS growth 200 -> 1,000 labels, MB", f"{big_mb - small_mb:.1f}", "~0 (streams)",
         "pass" if big_mb - small_mb <= 5 else "FAIL"),
    ]


def main() -> None:
    rows = results()
    if "--json" in sys.argv:
        print(json.dumps([dict(zip(("figure", "value", "target", "result"), row, strict=True))
                          for row in rows]))
        return
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>16}  {'target':>14}  result")
    for figure, value, target, result in rows:
        print(f"{figure:<{width}}  {value:>16}  {target:>14}  {result}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        batch_child(int(sys.argv[2]))
    else:
        main()
