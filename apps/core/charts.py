"""Small charts drawn on the server as SVG (no script, no inline style, so the CSP stays strict).
Each chart comes with the same numbers as a table, for screen readers and for anyone who would
rather read than look."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
HEIGHT = 140
TOP = 10
BOTTOM = 24  # room for the labels under the bars
LEFT = 30  # room for the 0% / 50% / 100% labels


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar, short: "3 Nov"
    words: str  # the table's text: "5 of 7 doses taken (71%)", "No doses due"
    percent: int | None  # None: nothing was due, so no bar
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0


@dataclass(frozen=True)
class BarChart:
    title: str
    summary: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    label_y: float = HEIGHT - 8
    gridlines: tuple[tuple[float, str], ...] = ()


def percent_bars(title: str, summary: str, bars: list[Bar]) -> BarChart:
    """Lay out bars of 0-100% side by side: each bar's height is its percentage."""
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    placed = []
    for i, bar in enumerate(bars):
        height = plot_height * (bar.percent or 0) / 100
        x = LEFT + i * slot + slot * 0.15
        placed.append(
            Bar(
                label=bar.label,
                words=bar.words,
                percent=bar.percent,
                x=round(x, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
            )
        )
    grid = tuple((round(TOP + plot_height * (1 - p / 100), 1), f"{p}%") for p in (0, 50, 100))
    return BarChart(title=title, summary=summary, bars=placed, gridlines=grid)
