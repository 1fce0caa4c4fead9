"""A collected dossier's PDF from 30 phone photos (issue 22): time on one core and peak memory.

    python bench/dossier_pdf_bench.py [--runs 3] [--photos 30]

The photos are made once in a temporary folder and not counted: 4000 x 3000 JPEGs of 2-4 MB
each (a page-like picture with sensor noise, quality 85, EXIF orientation 6 as a phone held
upright writes it), each one different. Each run is a fresh process pinned to one core
(taskset) that reads the photos one at a time from disk and writes the PDF to a file with
labels.dossier_pages.write_dossier_pdf; it reports the wall time of that call and its peak RSS
(VmHWM, see `child`) above what the process held before the call (Python, the labels package).
Prints a markdown table of the runs, then one judged line per figure (median of the runs), the
shape bench/all.py reads.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from labels.dossier_pages import write_dossier_pdf  # noqa: E402

SECONDS_TARGET, MB_TARGET = 3.0, 200.0


def make_photos(folder: Path, count: int) -> list[int]:
    """`count` distinct 4000 x 3000 JPEGs of a page under a phone's noise; their sizes."""
    from PIL import Image, ImageChops, ImageDraw

    page = Image.new("L", (4000, 3000), 235)
    draw = ImageDraw.Draw(page)
    for line in range(40):  # lines of "text": dark strokes a phone sees on a form
        y = 200 + line * 65
        draw.rectangle((300, y, 300 + 1500 + (line * 397) % 2000, y + 22), fill=60)
    exif = Image.Exif()
    exif[0x0112] = 6
    sizes = []
    for index in range(count):
        noise = Image.effect_noise(page.size, 5 + index % 4)
        grey = ImageChops.add(page, noise, scale=1.0, offset=-128)
        photo = Image.merge("RGB", (grey, grey.point(lambda v: v * 0.97),
                                    grey.point(lambda v: v * 0.9)))
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=85, exif=exif.tobytes())
        (folder / f"page-{index:02d}.jpg").write_bytes(out.getvalue())
        sizes.append(len(out.getvalue()))
    return sizes


def _status_kb(field: str) -> int:
    """A `VmRSS`/`VmHWM` figure of this process, in kB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def child(folder: Path, target: Path) -> None:
    """In a fresh process: the PDF of every photo in `folder`; prints seconds, peak RSS above
    the start (MB), peak RSS (MB), pages, PDF size (MB).

    Peak RSS is VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a child started
    by a parent holding the generated photos would report the parent's peak. Writing 5 to
    clear_refs resets VmHWM to the present RSS, so the peak is the call's own."""
    paths = sorted(folder.glob("page-*.jpg"))
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    with target.open("wb") as out:
        result = write_dossier_pdf((path.read_bytes() for path in paths), out,
                                   title="RR287043775VN")
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    print(f"{seconds:.3f} {(peak - before) / 1024:.1f} {peak / 1024:.1f} {result.page_count} "
          f"{result.size / 1e6:.1f}")


def run_child(folder: Path) -> list[float]:
    command = ["taskset", "-c", "0", sys.executable, __file__, "--child", str(folder),
               str(folder / "dossier.pdf")]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return [float(value) for value in out]


def report(runs: list[list[float]], sizes: list[int]) -> None:
    print(f"\nDossier PDF from {len(sizes)} phone photos (4000 x 3000 JPEG, "
          f"{min(sizes) / 1e6:.1f}-{max(sizes) / 1e6:.1f} MB, {sum(sizes) / 1e6:.0f} MB in all), "
          f"one core, fresh process per run\n")
    print("| run | seconds | peak RSS above start (MB) | peak RSS (MB) | pages | PDF (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for number, (seconds, delta, peak, pages, size) in enumerate(runs, start=1):
        print(f"| {number} | {seconds:.2f} | {delta:.1f} | {peak:.1f} | {pages:.0f} | {size:.1f} |")
    seconds = statistics.median(r[0] for r in runs)
    delta = statistics.median(r[1] for r in runs)
    print()
    figure = f"dossier PDF, {len(sizes)} photos, one core (median)"
    print(f"{figure:<44}  {seconds:.2f} s  "
          f"(target <= {SECONDS_TARGET:.0f} s): {'PASS' if seconds <= SECONDS_TARGET else 'FAIL'}")
    print(f"{'peak RSS while writing it (median)':<44}  {delta:.0f} MB  "
          f"(target <= {MB_TARGET:.0f} MB): {'PASS' if delta <= MB_TARGET else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--photos", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as name:
        folder = Path(name)
        sizes = make_photos(folder, args.photos)
        report([run_child(folder) for _ in range(args.runs)], sizes)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
