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


@pytest.mark.parametrize("name", list(PAGES))
def test_broken_dataset_shows_the_validators_problems(page, broken_url, problems, name):
    open_page(page, broken_url + PAGES[name])
    page.locator('[data-testid="stMarkdown"] li').first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception instead of the problem list"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and 'File "' not in body, f"{name}: a traceback is shown"
    assert "did not pass validation" in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 0, f"{name}: figures drawn from an invalid dataset"

    # A real list (a screen reader reads it item by item), one item per problem: file, line, column, message.
    items = [t.strip() for t in page.locator('[data-testid="stMarkdown"] li').all_inner_texts()]
    for problem in problems:
        expected = f"{problem.path}, line {problem.line}" + (f", column {problem.column}" if problem.column else "")
        hits = [item for item in items if item.startswith(expected) and item.endswith(problem.message)]
        assert hits, f"{name}: problem not listed: {problem}; the list shows {items}"
