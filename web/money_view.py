"""The VietQR on the courier's page: the payload drawn as an inline SVG the page can carry under
its strict CSP (no style attribute, no script)."""

from __future__ import annotations

from markupsafe import Markup

from labels.vietqr import vietqr_svg


def vietqr_markup(payload: str) -> Markup:
    """The QR of ``payload`` as markup for a template. Safe to mark: labels.vietqr draws only
    numbers and fixed attributes, never the payload's text."""
    return Markup(vietqr_svg(payload))  # noqa: S704
