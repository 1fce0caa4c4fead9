"""A fake camera for Chromium: a .y4m video whose frames show a rendered label, as a phone would see
it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 1280, 960


def label_video(label_png: bytes, path: Path, frames: int = 10) -> Path:
    """Write ``path`` (YUV4MPEG2, 4:2:0) showing the label on a white background in every frame."""
    import io

    label = Image.open(io.BytesIO(label_png)).convert("RGB")
    label.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(label, ((WIDTH - label.width) // 2, (HEIGHT - label.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)
    return path
