"""Geometry of the statistics page's charts, drawn as server-side SVG by templates/statistics/charts.html.

Server-side SVG needs no script (no CSP exception, nothing to download, no animation to switch
off in tests), prints and scales cleanly, and its Chinese labels are real text that screen
readers and tests can read.

Labels are never clipped: the room for them is measured from the labels themselves
(``text_width``, a generous estimate of their width at the charts' font size), and the SVG
scales as a whole, so what fits in its viewBox fits at every page width.
"""
import unicodedata
from dataclasses import dataclass
from datetime import date

FONT_SIZE = 12          # px, as static/css/site.css sets .chart-label, .chart-value, .chart-tick
MIN_WIDTH = 640


def text_width(text: str, font_size: int = FONT_SIZE) -> float:
    """An upper estimate of ``text``'s width: a full em for wide (CJK) characters, 0.75 em for
    capitals and other wide Latin letters, 0.62 em for the rest, 0.35 em for narrow ones."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in "iljtfI.,:;'|!· ()":
            width += 0.4
        elif char.isupper() or char in "mwMW%@":
            width += 0.85
        else:
            width += 0.62
    return width * font_size


def month_label_width() -> float:
    """The width of a month label ("2026-12") on the trend axis."""
    return text_width("2026-12")


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


def bar_chart(rows: list[tuple[str, float, str]], *, maximum: float | None = None, width: int = MIN_WIDTH,
              bar_room: int = 300, bar_height: int = 18, gap: int = 6) -> BarChart:
    """Horizontal bars for (label, value, printed value) rows, longest = ``maximum`` (default: largest).

    The label column is as wide as the widest label and the chart as wide as the labels, the
    bars (``bar_room`` at least) and the widest printed value need.
    """
    top = maximum if maximum is not None else max((value for _, value, _ in rows), default=0)
    label_width = int(max((text_width(label) for label, _, _ in rows), default=0)) + 12
    value_width = int(max((text_width(text) for _, _, text in rows), default=0)) + 12
    width = max(width, label_width + bar_room + value_width)
    room = width - label_width - value_width
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
    right: int                                    # x where the plot ends
    bottom: int


def line_chart(series: list[tuple[date, float]], *, width: int = MIN_WIDTH, height: int = 220,
               bottom: int = 28, top: int = 10, y_max: float = 1.0, percent: bool = True) -> LineChart:
    """A line over months (``series`` of month, value), y from 0 to ``y_max``; room is left for the
    y labels on the left and for half a month label beyond the last month on the right."""

    def label(value: float) -> str:
        return f"{value:.1%}" if percent else f"{value:,.0f}"

    y_labels = [(y_max * f, label(y_max * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    left = int(max(text_width(text) for _, text in y_labels)) + 10
    right = width - int(month_label_width() / 2) - 6
    plot_w, plot_h = right - left, height - bottom - top
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - value / y_max), 1) if y_max else top + plot_h

    dots = [(round(left + i * step, 1), y_of(value), month.strftime("%Y-%m"), label(value))
            for i, (month, value) in enumerate(series)]
    # Month labels at least a label and a gap apart, the last month always labelled.
    spacing = month_label_width() + 12
    every = max(1, int(-(-spacing // step)) if step else 1)
    ticks = [(x, month) for i, (x, _, month, _) in enumerate(dots) if i % every == 0]
    if dots and (not ticks or ticks[-1][1] != dots[-1][2]):
        if ticks and dots[-1][0] - ticks[-1][0] < spacing:
            ticks.pop()
        ticks.append((dots[-1][0], dots[-1][2]))
    return LineChart(
        points=" ".join(f"{x},{y}" for x, y, _, _ in dots), dots=dots,
        y_ticks=[(y_of(value), text) for value, text in y_labels], x_ticks=ticks,
        width=width, height=height, left=left, right=right, bottom=height - bottom)
