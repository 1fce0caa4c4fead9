"""Label images as a phone camera sees them, for tests that read labels the way couriers do.

A phone's main camera (about 1,920 px across a 65° field of view) sees 1.27 x the distance across,
so a label 20 cm away is imaged at about 7.5 px/mm, at 25 cm 6 px/mm, at 30 cm 5 px/mm. On top of
that scale: a few degrees of rotation, lens and motion blur, sensor noise and a JPEG at quality 40.
Each picture is drawn from ``rng``, so a seeded run is the same run every time.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageChops, ImageFilter

PX_PER_MM_AT_CM = {20: 7.5, 25: 6.0, 30: 5.0}


def as_phone_sees(label: Image.Image, dpi: int, distance_cm: int,
                  rng: random.Random) -> Image.Image:
    """``label`` (rendered at ``dpi``) photographed from ``distance_cm`` by a phone."""
    scale = PX_PER_MM_AT_CM[distance_cm] * 25.4 / dpi
    image = label.convert("L").resize((round(label.width * scale), round(label.height * scale)),
                                      Image.Resampling.BILINEAR)
    image = image.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BILINEAR, expand=True,
                         fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.9, 1.3)))
    # effect_noise is centred on 128: adding it with offset -128 adds zero-mean noise
    image = ImageChops.add(image, Image.effect_noise(image.size, 16), scale=1.0, offset=-128)
    photo = io.BytesIO()
    image.save(photo, "JPEG", quality=40)
    photo.seek(0)
    return Image.open(photo)
