"""Label rendering speed and memory (issue 4). Run: .venv/bin/python bench/labels_bench.py

Prints a table: figure, target, pass/fail. Not a test: figures depend on the machine.
- per-label render time vs the bare cost of the two symbols, measured in the same run on the same
  labels: qrcode (ECC M, best fit, mask chosen as usual) to a module matrix, plus python-barcode's
  Code 128 to its module string. Our render includes those two plus layout and drawing.
- a 1,000-label batch PDF streamed to a file, on one core, and the peak RSS of a fresh process
  rendering 200 vs 1,000 labels (it streams, so the peak must not grow with the batch).
"""

from __future__ import annotations

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

from labels.model import LabelData  # noqa: E402
from labels.pdf import render_label_pdf, stream_labels_pdf  # noqa: E402
from labels.png import render_label_png  # noqa: E402
from labels.sample import sample_label  # noqa: E402
from labels.svg import render_label_svg  # noqa: E402
from labels.zpl import render_label_zpl  # noqa: E402


def labels(count: int) -> list[LabelData]:
    """Distinct labels (distinct numbers and URLs), so nothing can be served from a cache."""
    return [sample_label(tracking_number=f"RR{i:09d}VN", qr_url=f"https://ketqua.example.gov.vn/courier/items/"
                         f"RR{i:09d}VN") for i in range(count)]


def bare(label: LabelData) -> None:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(label.qr_url)
    qr.make(fit=True)
    qr.get_matrix()
    barcode.get_barcode_class("code128")(label.tracking_number).build()


def per_label_ms(func: Callable[[LabelData], object], items: list[LabelData], rounds: int = 3) -> float:
    """Best of `rounds` passes over `items`, in ms per label (best-of damps noise from other processes)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best * 1000


def batch_child(count: int) -> None:
    """In a fresh process: stream `count` labels to /dev/null; print seconds and peak RSS (MB)."""
    items = (sample_label(tracking_number=f"RR{i:09d}VN", qr_url=f"https://ketqua.example.gov.vn/courier/items/"
                          f"RR{i:09d}VN") for i in range(count))
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


def main() -> None:
    items = labels(200)
    base = per_label_ms(bare, items)
    rows = [("bare qrcode + python-barcode, ms/label", f"{base:.2f}", "—", "")]
    formats = {"pdf": render_label_pdf, "svg": render_label_svg, "zpl (203 dpi)": render_label_zpl,
               "png (203 dpi)": render_label_png}
    for name, func in formats.items():
        ms = per_label_ms(func, items if name != "png (203 dpi)" else items[:50])
        ratio = ms / base
        rows.append((f"{name} render, ms/label (x bare)", f"{ms:.2f} ({ratio:.2f}x)", "<= 1.3x",
                     "pass" if ratio <= 1.3 else "FAIL"))
    small_s, small_mb = run_child(200)
    big_s, big_mb = run_child(1000)
    rows += [
        ("batch PDF 1,000 labels, s (one core)", f"{big_s:.2f}", "<= 10 s", "pass" if big_s <= 10 else "FAIL"),
        ("peak RSS 200 labels, MB", f"{small_mb:.0f}", "—", ""),
        ("peak RSS 1,000 labels, MB", f"{big_mb:.0f}", "<= 250 MB", "pass" if big_mb <= 250 else "FAIL"),
        ("RSS growth 200 -> 1,000 labels, MB", f"{big_mb - small_mb:.1f}", "~0 (streams)",
         "pass" if big_mb - small_mb <= 5 else "FAIL"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>16}  {'target':>14}  result")
    for figure, value, target, result in rows:
        print(f"{figure:<{width}}  {value:>16}  {target:>14}  {result}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        batch_child(int(sys.argv[2]))
    else:
        main()
