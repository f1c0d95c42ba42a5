"""A broken dataset shows the validator's problems (file, line, column, message) on every page, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.validate import validate_dataset
from tests.browser.harness import PAGES, open_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def problems(broken_dir: Path):
    report = validate_dataset(broken_dir)
    assert not report.valid, "the broken fixture validates; it should not"
    return report.problems


def grid_rows(page) -> list[list[str]]:
    """The data grid's cells (its accessible DOM mirror) as rows of text, header excluded."""
    cells = page.locator('[data-testid="stDataFrame"] [id^="glide-cell-"]').evaluate_all(
        "els => els.map(e => [e.id, e.textContent])"
    )
    rows: dict[int, dict[int, str]] = {}
    for ident, text in cells:
        _, _, col, row = ident.split("-")
        rows.setdefault(int(row), {})[int(col)] = text.strip()
    return [[cols[c] for c in sorted(cols)] for _, cols in sorted(rows.items())]


@pytest.mark.parametrize("name", list(PAGES))
def test_broken_dataset_shows_the_validators_problems(page, broken_url, problems, name):
    open_page(page, broken_url + PAGES[name])
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator('[data-testid="stDataFrame"] [id^="glide-cell-"]').first.wait_for(state="attached")
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception instead of the problem list"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and 'File "' not in body, f"{name}: a traceback is shown"
    assert "did not pass validation" in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 0, f"{name}: figures drawn from an invalid dataset"

    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_text_contents()
    assert [h.strip() for h in headers][:4] == ["file", "line", "column", "problem"], headers
    shown = grid_rows(page)
    for problem in problems:
        expected = [Path(problem.path).name, str(problem.line), problem.column, problem.message]
        hits = [r for r in shown if len(r) >= 4 and Path(r[0]).name == expected[0] and r[1:4] == expected[1:]]
        assert hits, f"{name}: problem not listed: {problem}; table shows {shown}"
