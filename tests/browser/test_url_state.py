"""Every filter lives in the URL: a copied link reopens the same view; a tampered one falls back safely."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.harness import checked_radio, choose_option, open_page, selected_tags, wait_idle

pytestmark = pytest.mark.browser


def chart_title(page) -> str:
    return page.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content() or ""


def chart_permalink(page) -> str:
    """The permalink drawn in the figure's words, under the source line (wrapped over lines: joined back)."""
    lines = page.locator('[data-testid="stPlotlyChart"] .g-gtitle').first.evaluate(
        "(t) => [...t.querySelectorAll('tspan.line')].map((l) => l.textContent)"
    )
    assert any(line.startswith("Source:") for line in lines), f"the figure has no source line: {lines}"
    start = next(i for i, line in enumerate(lines) if line.startswith("http"))
    return "".join(lines[start:]).strip()


def same_view(a: str, b: str) -> bool:
    pa, pb = urlparse(a), urlparse(b)
    return pa.path.rstrip("/") == pb.path.rstrip("/") and parse_qs(pa.query) == parse_qs(pb.query)


def test_output_filters_go_into_the_url_and_a_new_context_restores_them(page, new_context, app_url):
    open_page(page, app_url + "/output", chart=True)
    choose_option(page, "Subject", "Russia")
    page.wait_for_url("**subject=Russia**")
    wait_idle(page)
    page.get_by_role("radiogroup", name="Scale", exact=True).get_by_text("linear", exact=True).click()
    page.wait_for_url("**scale=linear**")
    wait_idle(page)
    link = page.url
    assert parse_qs(urlparse(link).query) == {"subject": ["Russia"], "scale": ["linear"]}, link
    drawn = chart_permalink(page)
    assert same_view(drawn, link), f"the figure's permalink {drawn} is not the view's URL {link}"

    other = new_context().new_page()  # no shared session, cookies or storage
    open_page(other, link, chart=True)
    assert selected_tags(other, "Subject") == ["Russia"]
    assert checked_radio(other, "Scale") == "linear"
    assert other.locator('[data-testid="stAlert"]').count() == 0, "a valid link must not show a notice"
    other.wait_for_timeout(500)  # a late rewrite of the query string would show up here
    assert parse_qs(urlparse(other.url).query) == {"subject": ["Russia"], "scale": ["linear"]}, other.url
    assert "linearscale" in chart_title(other).replace(" ", ""), chart_title(other)  # wrapped to a phone's width
    # The drawn traces' names, from the plot itself: Plotly hides the legend when a single trace is drawn.
    names = other.evaluate(
        """() => Array.from(document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot').data,
                            (trace) => trace.name || '')"""
    )
    keys = set(
        other.evaluate(
            """() => Array.from(document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot').data)
                      .filter((trace) => trace.legendgroup === 'marks').map((trace) => trace.name)"""
        )
    )  # the grey legend keys that explain each kind of mark, not subjects
    subjects = [name for name in names if name and name not in keys | {"target → figure it was checked against"}]
    assert subjects and all(name.startswith("Russia") for name in subjects), names


def test_bad_query_values_fall_back_to_defaults_with_a_notice(page, app_url):
    open_page(page, app_url + "/output?scale=cubic&subject=Atlantis", chart=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    notices = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "'scale' must be log or linear" in notices, notices
    assert "subject this dataset does not know" in notices, notices
    assert "Atlantis" not in page.locator('[data-testid="stMain"]').inner_text(), "URL values must not be echoed"
    assert selected_tags(page, "Subject") == []
    assert checked_radio(page, "Scale") == "log"
    assert "logscale" in chart_title(page).replace(" ", ""), chart_title(page)  # wrapped to a phone's width
    assert "Atlantis" not in page.url and "cubic" not in page.url, page.url


def test_permalink_behind_a_public_url_reopens_the_same_page(page, new_context, public_url):
    """With SHELLCOUNT_PUBLIC_URL set (as in a deployment), the link drawn in the figure and the
    citation must still point at the page that made it, not at the Overview."""
    view = public_url + "/output?subject=Russia&scale=linear"
    open_page(page, view, chart=True)
    drawn = chart_permalink(page)
    assert drawn.startswith(public_url + "/"), drawn
    assert same_view(drawn, view), f"the figure's permalink {drawn} does not reopen {view}"

    other = new_context().new_page()
    open_page(other, drawn, chart=True)
    assert other.locator("h1").first.inner_text().strip() == "Output, capacity and targets", other.url
    assert selected_tags(other, "Subject") == ["Russia"]
    assert checked_radio(other, "Scale") == "linear"
