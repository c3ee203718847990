"""The server-drawn bar chart: heights follow the percentages, a week with nothing due has no
bar (not a zero bar), and the words for the table come through unchanged."""

from __future__ import annotations

from apps.core.charts import HEIGHT, Bar, percent_bars


def test_bar_heights_follow_the_percentages_and_empty_weeks_have_no_bar():
    chart = percent_bars(
        "Doses taken each week",
        "Most recent week: 1 of 2 doses taken (50%).",
        [
            Bar(label="1 Jun", words="No doses due", percent=None),
            Bar(label="8 Jun", words="7 of 7 doses taken (100%)", percent=100),
            Bar(label="15 Jun", words="1 of 2 doses taken (50%)", percent=50),
        ],
    )
    empty, full, half = chart.bars
    assert empty.height == 0
    assert full.height == 2 * half.height
    # Bars stand on the same baseline and stay inside the drawing.
    assert full.y + full.height == half.y + half.height == chart.baseline
    assert 0 <= full.y < half.y < HEIGHT
    assert empty.x < full.x < half.x
    assert [b.words for b in chart.bars] == [
        "No doses due",
        "7 of 7 doses taken (100%)",
        "1 of 2 doses taken (50%)",
    ]
