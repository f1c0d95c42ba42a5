"""One set of cell rules for the validator, the loader and the URL state."""

from datetime import date

import pytest

from dashboard.data.cells import CELL_CONTROL_RE, LINE_CONTROL_RE, parse_date, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-05", date(2025, 7, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2025-02-29", None),  # no such day
        ("20250705", None),  # fromisoformat would take it; it would not round-trip
        ("2025-W01-1", None),
        ("２０２５-07-05", None),  # other scripts' digits
        ("2025-07-05\n", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("250000", 250000.0), ("6.3", 6.3), ("0", 0.0), ("-1", None), ("1,000", None), ("1e3", None), ("nan", None),
     ("inf", None), ("9" * 400, None), ("", None), ("٣", None)],
)  # fmt: skip
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_cells_may_span_lines_but_one_line_values_may_not():
    assert not CELL_CONTROL_RE.search("a quote\nover two lines\twith a tab")
    assert CELL_CONTROL_RE.search("bell\x07") and CELL_CONTROL_RE.search("escape\x1b[31m")
    assert LINE_CONTROL_RE.search("a\nb") and LINE_CONTROL_RE.search("tab\t") and LINE_CONTROL_RE.search("c1\x85")
    assert LINE_CONTROL_RE.search("line separator\u2028")
    assert not LINE_CONTROL_RE.search("Rutte, Bucharest, 155mm — «quotes»")
