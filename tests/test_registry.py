"""The registry of pages and views: what the app shows and the site bakes, declared once."""

from pathlib import Path

import pytest

from dashboard.analysis.filters import BY_NAME as FILTERS
from dashboard.analysis.filters import DEFAULT
from dashboard.data.load import load_dataset
from dashboard.data.paths import DEFAULT_DATA_DIR
from dashboard.present import registry
from dashboard.present.view_models import ChartModel
from tests.conftest import GOOD

VIEWS_DIR = Path(registry.__file__).resolve().parents[1] / "web" / "views"


@pytest.fixture(scope="module")
def live():
    return load_dataset(DEFAULT_DATA_DIR).dataset


def test_every_page_has_a_renderer_and_every_layout_names_real_filters():
    assert {p.name for p in registry.PAGES} == {f.stem for f in VIEWS_DIR.glob("*.py")} - {"__init__"}
    assert sum(p.default for p in registry.PAGES) == 1
    for page in registry.PAGES:
        assert all(name in FILTERS for name in page.filter_names), page.name


def test_baked_views_have_unique_slugs_and_their_models_draw_a_chart(live):
    baked = registry.baked(live)
    slugs = [variant.slug for _, variant in baked]
    assert len(slugs) == len(set(slugs))
    assert slugs[:3] == ["overview", "output", "output-european-union"] or slugs[0] == "overview"
    for page, variant in baked:
        chart = page.chart.model(live, variant.view, "https://example.org/").chart
        assert isinstance(chart, ChartModel) and not chart.empty, variant.slug


def test_a_subject_with_too_little_to_show_is_not_baked(live):
    slugs = {variant.slug for _, variant in registry.baked(live)}
    assert {"output-russia", "output-united-states", "output-european-union"} <= slugs
    # One NATO-wide output figure, one KNDS target: the app draws them, the site does not publish a page of one mark.
    assert not {"output-nato", "output-knds"} & slugs


def test_published_variant_matches_exactly_the_baked_state():
    data = load_dataset(GOOD).dataset
    output = registry.BY_NAME["output"]
    assert registry.published_variant(output, DEFAULT, data).slug == "output"
    us = registry.published_variant(output, registry.output_variants(data)[0].view, data)
    assert us is not None and us.slug == "output-united-states"
    assert registry.published_variant(output, DEFAULT.__class__(scale="linear"), data) is None
    assert registry.published_variant(registry.BY_NAME["data"], DEFAULT, data) is None
