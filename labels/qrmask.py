"""The penalty by which a QR code's mask is chosen, as qrcode scores it, on whole lines.

A QR symbol is built with each of the eight masks and the one with the lowest penalty is
kept (ISO/IEC 18004, 7.8.3). qrcode's `util.lost_point` scores a symbol module by module in
Python, which costs more than building it (bench/results-labels.md). Here each
rule is one scan of the symbol as text (rows and columns as '0'/'1' lines) or one operation
on it as an integer, and the score is the same number qrcode gives, rule for rule, so the
same mask is chosen (tests compare both on real and random symbols).
"""

from __future__ import annotations

import functools

_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # a row of booleans as '0'/'1' text
# rule 3: dark-light-dark x3-light-dark (1:1:3:1:1) with four light modules after or before.
# Neither pattern can overlap itself, so counting non-overlapping occurrences counts them all.
_FINDER_LIKE = (b"10111010000", b"00001011101")


def penalty(modules: list[list[bool]]) -> int:
    """qrcode's `lost_point` of a square symbol (True = dark): runs of five or more alike in
    rows and columns score their length - 2, each 2x2 block of one colour 3, each finder-like
    pattern 40, and each 5 % by which the dark share strays from half, 10."""
    size = len(modules)
    by_rows = b"".join(map(bytes, modules)).translate(_DIGITS)
    by_columns = b"".join(by_rows[column::size] for column in range(size))
    both = by_rows + by_columns
    # kept apart
    lines = b"\n".join(both[start : start + size] for start in range(0, len(both), size))
    row_bits, column_bits = int(by_rows[::-1], 2), int(by_columns[::-1], 2)  # bit line * size + i
    return (
        _runs(row_bits, size) + _runs(column_bits, size)
        + 3 * _uniform_blocks(row_bits, size)
        + 40 * sum(lines.count(pattern) for pattern in _FINDER_LIKE)
        + _balance(row_bits.bit_count(), size)
    )


def _runs(bits: int, size: int) -> int:
    """Rule 1 on lines of `size` bits: a run of length L >= 5 scores L - 2, which is the
    number of five-module windows inside it (L - 4) plus 2 for the run itself."""
    same_as_next = ~(bits ^ (bits >> 1)) & _inner(size)
    windows = same_as_next & (same_as_next >> 1) & (same_as_next >> 2) & (same_as_next >> 3)
    # a run's first window: none starts one module earlier
    first_windows = windows & ~(windows << 1)
    return windows.bit_count() + 2 * first_windows.bit_count()


def _uniform_blocks(bits: int, size: int) -> int:
    """How many 2x2 blocks (overlapping) are all dark or all light."""
    same_as_right = ~(bits ^ (bits >> 1))
    same_as_below = ~(bits ^ (bits >> size))
    uniform = (
        same_as_right & (same_as_right >> size) & same_as_below & _inner(size) & ~_last_line(size)
    )
    return uniform.bit_count()


@functools.lru_cache(maxsize=64)
def _inner(size: int) -> int:
    """Bits of every line but each line's last module (whose next bit starts the next line)."""
    line = (1 << (size - 1)) - 1
    return sum(line << (index * size) for index in range(size))


@functools.lru_cache(maxsize=64)
def _last_line(size: int) -> int:
    return ((1 << size) - 1) << (size * (size - 1))


def _balance(dark: int, size: int) -> int:
    """Rule 4: 10 for each whole 5 % by which the dark share strays from half. The same float
    arithmetic as qrcode: a different rounding could pick another mask."""
    percent = float(dark) / (size**2)
    return int(abs(percent * 100 - 50) / 5) * 10
