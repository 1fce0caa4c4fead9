"""The mask penalty scored on whole lines must be qrcode's own score, symbol for symbol."""

import random

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import lost_point

from labels.qrmask import penalty


def _masked_symbols(url: str) -> list[list[list[bool]]]:
    """The eight symbols qrcode scores for `url` (format information blank, as it scores them)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.best_fit()
    symbols = []
    for mask in range(8):
        qr.makeImpl(True, mask)
        symbols.append(qr.modules)
    return symbols


def test_it_scores_every_mask_of_a_tracking_qr_as_qrcode_does():
    for symbol in _masked_symbols("https://ketqua.example.gov.vn/t/RR287043775VN"):
        assert penalty(symbol) == lost_point(symbol)


def test_it_scores_random_squares_as_qrcode_does():
    rng = random.Random(7)
    for _ in range(300):
        size, dark_share = rng.choice((11, 21, 25, 45)), rng.random()
        square = [[rng.random() < dark_share for _ in range(size)] for _ in range(size)]
        assert penalty(square) == lost_point(square)


def test_it_scores_long_runs_and_finder_like_patterns_in_columns_too():
    stripe = [[column == 3 for column in range(21)] for _ in range(21)]  # one dark column, 21 long
    finder_like = [[bool(int(bit)) for bit in "10111010000" + "0" * 10] for _ in range(21)]
    for square in (stripe, finder_like, [list(row) for row in zip(*finder_like, strict=True)]):
        assert penalty(square) == lost_point(square)
