"""Charts drawn on the server as SVG: stacked bars of counts per period.

Why SVG from the server rather than a JavaScript charting library: the charts
here are bar charts of counts per month, which take a hundred lines to draw;
they then need no JavaScript, no build step and no ``unsafe-eval`` in the
Content-Security-Policy (Vega compiles its expressions with ``new Function``),
they render in a page without scripts, in a screenshot and in a test, and
every label is escaped by the same code. Colours are SVG presentation
attributes, which the CSP's ``style-src 'self'`` allows (inline ``style``
attributes it would not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

COLOURS = {
    "support": "#2e7d32",
    "oppose": "#c62828",
    "open": "#f9a825",
    "neutral": "#8d8d8d",
    "statements": "#3559a8",
}
MAX_BARS = 36  # more months than this are grouped into quarters, then years


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Mapping[str, int]  # period (YYYY-MM) -> count


def _period(month: str, unit: str) -> str:
    if unit == "month":
        return month
    year, m = month[:4], int(month[5:7])
    return f"{year}-Q{(m - 1) // 3 + 1}" if unit == "quarter" else year


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bucket(series: Sequence[Series]) -> tuple[list[str], list[Series]]:
    """Every period from the first to the last (empty ones included), months grouped when too many."""
    months = sorted({p for s in series for p in s.values})
    if not months:
        return [], list(series)
    every = _months(months[0], months[-1])
    unit = "month"
    if len(every) > MAX_BARS:
        unit = "quarter" if len(every) <= 3 * MAX_BARS else "year"
    periods = list(dict.fromkeys(_period(m, unit) for m in every))
    grouped = []
    for s in series:
        values: dict[str, int] = {}
        for month, n in s.values.items():
            key = _period(month, unit)
            values[key] = values.get(key, 0) + n
        grouped.append(Series(s.name, values))
    return periods, grouped


def axis(value: int, ticks: int = 4) -> tuple[int, int]:
    """The axis' top and its tick step for counts up to ``value``: a step of 1, 2 or 5 times a power
    of ten giving at most ``ticks`` intervals, the top a multiple of it (2 → 0, 1, 2; 1,457 → 0 to
    1,500 by 500)."""
    value = max(1, value)
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if step * ticks >= value:
                return -(-value // step) * step, step
        scale *= 10


def stacked_bars(series: Sequence[Series], *, title: str, width: int = 720, height: int = 240) -> Markup:
    """An SVG stacked bar chart: one bar per period, one colour per series, with axes and a legend."""
    periods, series = bucket(series)
    left, right, top, bottom = 44, 12, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values.get(p, 0) for s in series) for p in periods]
    top_value, step = axis(max(totals, default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    # Gridlines, one per tick.
    for value in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * value / top_value
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" '
            'stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">'
            f"{value}</text>"
        )
    if not periods:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" font-size="13" '
            'fill="#777">no dated statements</text>'
        )
    slot = plot_w / max(1, len(periods))
    bar = max(1.0, slot * 0.8)
    label_every = max(1, round(len(periods) / 12))
    for i, period in enumerate(periods):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for s in series:
            n = s.values.get(period, 0)
            if not n:
                continue
            h = plot_h * n / top_value
            y -= h
            parts.append(
                f'<rect class="bar" data-series="{escape(s.name)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS.get(s.name, "#3559a8")}">'
                f"<title>{escape(period)}: {n} {escape(s.name)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                f'fill="#555">{escape(period)}</text>'
            )
    # Legend, above the plot.
    lx = left
    for s in series:
        parts.append(
            f'<rect x="{lx}" y="8" width="12" height="12" fill="{COLOURS.get(s.name, "#3559a8")}"/>'
            f'<text x="{lx + 16}" y="18" font-size="12" fill="#222">{escape(s.name)}</text>'
        )
        lx += 24 + 7 * len(s.name)
    parts.append("</svg>")
    return Markup("".join(parts))
