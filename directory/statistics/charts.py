"""Geometry of the statistics page's charts, drawn as server-side SVG by templates/statistics/charts.html.

Server-side SVG needs no script (no CSP exception, nothing to download, no animation to switch
off in tests), prints and scales cleanly, and its Chinese labels are real text that screen
readers and tests can read.
"""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str        # the value as printed beside the bar
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(rows: list[tuple[str, float, str]], *, maximum: float | None = None, width: int = 640,
              label_width: int = 150, bar_height: int = 18, gap: int = 6) -> BarChart:
    """Horizontal bars for (label, value, printed value) rows, longest = ``maximum`` (default: largest)."""
    top = maximum if maximum is not None else max((value for _, value, _ in rows), default=0)
    room = width - label_width - 70
    bars = [Bar(label=label, value=value, text=text, y=i * (bar_height + gap),
                width=round(room * value / top, 1) if top else 0.0)
            for i, (label, value, text) in enumerate(rows)]
    return BarChart(bars=bars, width=width, height=max(len(rows) * (bar_height + gap), bar_height),
                    label_width=label_width, bar_height=bar_height)


@dataclass(frozen=True)
class LineChart:
    points: str                                   # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, str, str]]     # x, y, month label, value label (for titles)
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    width: int
    height: int
    left: int
    bottom: int


def line_chart(series: list[tuple[date, float]], *, width: int = 640, height: int = 220, left: int = 44,
               bottom: int = 28, top: int = 10, y_max: float = 1.0, percent: bool = True) -> LineChart:
    """A line over months (``series`` of month, value), y from 0 to ``y_max``."""
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - value / y_max), 1) if y_max else top + plot_h

    def label(value: float) -> str:
        return f"{value:.1%}" if percent else f"{value:,.0f}"

    dots = [(round(left + i * step, 1), y_of(value), month.strftime("%Y-%m"), label(value))
            for i, (month, value) in enumerate(series)]
    every = max(1, len(series) // 6)
    return LineChart(
        points=" ".join(f"{x},{y}" for x, y, _, _ in dots), dots=dots,
        y_ticks=[(y_of(y_max * f), label(y_max * f)) for f in (0, 0.25, 0.5, 0.75, 1)],
        x_ticks=[(x, month) for i, (x, _, month, _) in enumerate(dots) if i % every == 0 or i == len(dots) - 1],
        width=width, height=height, left=left, bottom=height - bottom)
