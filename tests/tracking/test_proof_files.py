import io

import pytest
from PIL import Image

from delivery.errors import NotFound, ValidationFailed
from tracking.proof_files import image_kind, photo_path, store_photo


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return out.getvalue()


def test_it_stores_a_photo_and_finds_it_again(tmp_path):
    proof_id = store_photo(tmp_path, jpeg())
    assert proof_id.endswith(".jpg") and photo_path(tmp_path, proof_id).read_bytes() == jpeg()


def test_it_recognises_images_by_their_bytes_not_their_name():
    assert image_kind(jpeg()) == "jpg" and image_kind(b"<script>alert(1)</script>") is None


def test_it_refuses_what_is_not_an_image(tmp_path):
    with pytest.raises(ValidationFailed, match="JPEG"):
        store_photo(tmp_path, b"%PDF-1.7 not a photo")


def test_it_refuses_a_photo_over_the_limit(tmp_path):
    with pytest.raises(ValidationFailed, match="MB"):
        store_photo(tmp_path, jpeg(), max_bytes=100)


@pytest.mark.parametrize("proof_id", ["../../etc/passwd", "0" * 32 + ".jpg", ""])
def test_it_never_serves_a_path_outside_or_an_unknown_photo(tmp_path, proof_id):
    with pytest.raises(NotFound):
        photo_path(tmp_path, proof_id)
