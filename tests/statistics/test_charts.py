"""Chart geometry leaves room for every label: the browser test measures it, these say why."""
from datetime import date

from directory.statistics.charts import bar_chart, line_chart, month_label_width, text_width


def test_wide_characters_count_a_full_em():
    assert text_width("本地无法满足") == 6 * 12
    assert text_width("2026-12") < text_width("本地无法满足") < text_width("Technology and innovation")


def test_the_label_column_fits_the_longest_label_and_the_values_fit_beside_the_bars():
    rows = [("Technology and innovation", 13, "13 · not served locally 25%"), ("法律服务", 2, "2 · 本地无法满足 50%")]
    chart = bar_chart(rows)
    assert chart.label_width >= text_width("Technology and innovation") + 6     # text ends at label_width - 6
    longest_bar = max(bar.width for bar in chart.bars)
    assert chart.label_width + longest_bar + 6 + text_width("13 · not served locally 25%") <= chart.width


def test_the_trend_axis_names_the_last_month_whole_and_the_y_labels_fit():
    months = [date(2024, m, 28) for m in range(1, 13)] + [date(2025, m, 28) for m in range(1, 13)]
    chart = line_chart([(month, 0.5) for month in months])
    last_x, last_label = chart.x_ticks[-1]
    assert last_label == "2025-12" and last_x + month_label_width() / 2 <= chart.width
    assert chart.left - 4 - text_width("100.0%") >= 0
    xs = [x for x, _ in chart.x_ticks]
    assert all(b - a >= month_label_width() for a, b in zip(xs, xs[1:]))       # month labels never overlap
