"""Small charts as inline SVG, drawn on the server: they print, need no script, and pass the page's
CSP (presentation attributes only, never a ``style``). Each chart is a figure a supervisor reads at
a glance: every bar carries its number, so nothing depends on colour or on reading an axis.

Why our own: the charts needed are four (bars, a split bar, a Pareto, a histogram); pygal and
matplotlib would each bring a dependency many times our size for them, and matplotlib's SVG embeds
its own styles (refused by the CSP) and glyph paths instead of text.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

INK, BAR, GOOD, BAD, LINE, GRID = "#1f2933", "#2f5f8a", "#2e7d32", "#c62828", "#e08a00", "#d0d7de"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    label = escape(title)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{label}" class="chart" {FONT}><title>{label}</title>'
        + "".join(body) + "</svg>")


def _text(x: float, y: float, content: object, anchor: str = "start", fill: str = INK,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{weight}>'
            f"{escape(str(content))}</text>")


def bars(title: str, rows: Sequence[tuple[str, int]], width: int = 600) -> Markup:
    """Horizontal bars, one per (label, value), the value written at the bar's end."""
    label_width, row_height = 290, 26
    top = max((value for _, value in rows), default=0) or 1
    span = width - label_width - 60
    body = []
    for index, (label, value) in enumerate(rows):
        y = 8 + index * row_height
        length = span * value / top
        body.append(_text(label_width - 8, y + 15, label, "end"))
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" '
                    f'fill="{BAR}"/>')
        body.append(_text(label_width + length + 6, y + 15, value, bold=True))
    return _svg(width, 16 + row_height * max(len(rows), 1), title, body)


def split(title: str, parts: Sequence[tuple[str, int, str]], width: int = 560) -> Markup:
    """One bar split into parts (label, value, colour), each part's label and value below it."""
    total = sum(value for _, value, _ in parts)
    body, x = [], 10.0
    span = width - 20
    for _label, value, colour in parts:
        length = span * value / total if total else 0
        if length:
            body.append(f'<rect x="{x:.1f}" y="8" width="{length:.1f}" height="28" '
                        f'fill="{colour}"/>')
        x += length
    for index, (label, value, colour) in enumerate(parts):
        share = f" ({value / total:.0%})" if total else ""
        y = 48 + index * 20
        body.append(f'<rect x="10" y="{y}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(28, y + 11, f"{label}: {value}{share}"))
    return _svg(width, 52 + 20 * len(parts), title, body)


def pareto(title: str, rows: Sequence[tuple[str, int, float]], width: int = 560) -> Markup:
    """Bars largest first (label, count, cumulative share 0..1) with the cumulative share as a
    line on the right-hand 0-100 % scale."""
    if not rows:
        return _svg(width, 40, title, [_text(10, 24, "—")])
    left, top_pad, height, bottom = 40, 20, 180, 120
    step = (width - left - 50) / len(rows)
    top = max(count for _, count, _ in rows) or 1
    body = [f'<line x1="{left}" y1="{top_pad + height}" x2="{width - 50}" '
            f'y2="{top_pad + height}" stroke="{INK}"/>',
            _text(width - 46, top_pad + 4, "100%", fill=LINE)]
    points = []
    for index, (label, count, share) in enumerate(rows):
        x = left + index * step
        bar_height = height * count / top
        body.append(f'<rect x="{x + step * 0.15:.1f}" y="{top_pad + height - bar_height:.1f}" '
                    f'width="{step * 0.7:.1f}" height="{bar_height:.1f}" fill="{BAR}"/>')
        body.append(_text(x + step / 2, top_pad + height - bar_height - 4, count, "middle",
                          bold=True))
        body.append(f'<text transform="translate({x + step / 2:.1f},{top_pad + height + 12}) '
                    f'rotate(30)" fill="{INK}">{escape(_short(label))}</text>')
        points.append(f"{x + step / 2:.1f},{top_pad + height * (1 - share):.1f}")
    body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" '
                f'stroke-width="2"/>')
    body += [f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="{LINE}"/>'
             for p in points]
    return _svg(width, top_pad + height + bottom, title, body)


def _short(label: str, most: int = 26) -> str:
    """A label cut to ``most`` characters (the table under the chart has it whole)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def histogram(title: str, rows: Sequence[tuple[str, int]], width: int = 560) -> Markup:
    """Vertical bars side by side (label under each, count above)."""
    height, top_pad = 150, 20
    step = (width - 20) / max(len(rows), 1)
    top = max((count for _, count in rows), default=0) or 1
    body = [f'<line x1="10" y1="{top_pad + height}" x2="{width - 10}" y2="{top_pad + height}" '
            f'stroke="{GRID}"/>']
    for index, (label, count) in enumerate(rows):
        x = 10 + index * step
        bar_height = height * count / top
        body.append(f'<rect x="{x + step * 0.1:.1f}" y="{top_pad + height - bar_height:.1f}" '
                    f'width="{step * 0.8:.1f}" height="{bar_height:.1f}" fill="{BAR}"/>')
        body.append(_text(x + step / 2, top_pad + height - bar_height - 4, count, "middle",
                          bold=True))
        body.append(_text(x + step / 2, top_pad + height + 16, label, "middle"))
    return _svg(width, top_pad + height + 26, title, body)
