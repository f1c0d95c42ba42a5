"""Every page through Streamlit's AppTest: runs clean, keyed interactions work, bad input degrades gracefully.

The pages run on a copy of tests/data/good (DASHBOARD_DATA_DIR), never on the live data."""

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import settings
from dashboard.present import export
from dashboard.present.registry import PAGES
from tests.conftest import GOOD, REPO, read_rows, set_cell

APP = str(REPO / "dashboard" / "app.py")
PAGE_NAMES = [page.name for page in PAGES]


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pages") / "dataset"
    shutil.copytree(GOOD, target)
    return target


@pytest.fixture(autouse=True)
def on_the_fixture(fixture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(fixture_dir))


def one_page(name: str) -> None:
    """One page, framed exactly as app.py frames it (AppTest can switch only to file pages, and the app's pages
    are functions)."""
    from dashboard.present.registry import BY_NAME
    from dashboard.web import frame
    from dashboard.web.views import RENDERERS

    frame.entry(BY_NAME[name], RENDERERS[name])()


def run(page: str, query: dict[str, str] | None = None, opened: tuple[str, ...] = ()) -> AppTest:
    """One page through AppTest, with the link's query and the keyed expanders named in `opened` already open."""
    at = AppTest.from_function(one_page, args=(page,), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key in opened:
        at.session_state[key] = True
    return at.run()


def test_the_app_entry_runs_the_default_page_with_its_navigation():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Shell Count"]
    assert at.get("plotly_chart"), "the Overview's chart"


def figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def table_with(at: AppTest, *columns: str):
    """The page's table that has these columns (tables are found by what they hold, not by position)."""
    return next(t.value for t in at.dataframe if set(columns) <= set(t.value.columns))


def subject_traces(spec: dict) -> set[str]:
    """Names of the drawn subjects (the legend's keys for kinds of mark draw nothing: x is [null])."""
    return {t.get("name", "") for t in spec["data"] if t.get("name") and t.get("x") != [None]}


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_runs_without_exception(page):
    at = run(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title, "each page has a title"
    footer = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes
    assert "Shell Count data v" in footer and "CC-BY-4.0" in footer


def test_overview_shows_key_figures_chart_and_claim_check():
    at = run("overview")
    labels = [m.label for m in at.metric]
    assert (
        len(labels) == 3
        and any("05 Jul 2025" in label for label in labels)
        and any("06 Nov 2025" in label for label in labels)
    )
    spec = figure(at)
    assert spec["layout"]["yaxis"]["type"] == "log"
    texts = " ".join(a.get("text", "") for a in spec["layout"]["annotations"]).replace("<br>", " ")
    assert "But not anymore" in texts and "12× as worded" in texts
    table_with(at, "claimed", "implied by estimates", "check")
    by_year = table_with(at, "output of", "year", "output a year", "said by", "source")
    assert "Russia" in set(by_year["output of"]), "each side's output per year, before the ratios"


def test_data_filter_changes_the_row_count():
    at = run("data")
    everything = len(at.dataframe[0].value)
    assert everything == len(read_rows(GOOD / "claims.csv")), "the page shows the fixture, not the live data"
    at.multiselect(key="data_subject").set_value(["Russia"]).run()
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < everything
    assert set(filtered["subject"]) == {"Russia"}
    assert at.query_params["subject"] in ("Russia", ["Russia"])


def test_log_toggle_changes_the_axis_type():
    at = run("output")
    assert figure(at)["layout"]["yaxis"]["type"] == "log"
    at.radio(key="output_scale").set_value("linear").run()
    assert figure(at)["layout"]["yaxis"]["type"] == "linear"
    assert at.query_params["scale"] in ("linear", ["linear"])


def test_url_state_restores_filters():
    at = run("output", {"subject": "United States", "measure": "target", "scale": "linear"})
    assert at.multiselect(key="output_subject").value == ["United States"]
    assert at.multiselect(key="output_measure").value == ["target"]
    assert figure(at)["layout"]["yaxis"]["type"] == "linear"
    assert subject_traces(figure(at)) == {"United States"}


@pytest.mark.parametrize(
    ("page", "query", "notice", "widget", "shown"),
    [
        ("output", {"scale": "cubic"}, "'scale' must be log or linear; using log.", ("radio", "output_scale"), "log"),
        ("output", {"subject": "Atlantis"}, "The link names a subject this dataset does not know",
         ("multiselect", "output_subject"), []),
        ("output", {"from": "2025-13-45"}, "'from' in the link is not a date (YYYY-MM-DD)",
         ("date_input", "output_start"), None),
        ("claims", {"q": "x" * 10_000}, "'q' in the link is too long", ("text_input", "claims_q"), ""),
        ("output", {"from": "2025-12-01", "to": "2025-01-01"}, "The link's date range ends before it starts",
         ("date_input", "output_end"), None),
    ],
)  # fmt: skip
def test_bad_query_values_fall_back_with_a_notice(page, query, notice, widget, shown):
    at = run(page, query)
    assert not at.exception
    assert [i.value for i in at.info if i.value.startswith(notice)], [i.value for i in at.info]
    kind, key = widget
    assert getattr(at, kind)(key=key).value == shown


def test_a_link_value_the_dataset_lacks_is_kept_with_a_notice():
    at = run("data", {"grade": "primary"})
    assert any("No row of this dataset has the grade" in i.value for i in at.info)
    assert at.multiselect(key="data_grade").value == ["primary"], "kept, not silently dropped"
    assert at.query_params["grade"] in ("primary", ["primary"]), "the link is not rewritten to empty"


def test_claims_search_narrows_the_table():
    at = run("claims")
    everything = len(at.dataframe[0].value)
    at.text_input(key="claims_q").input("Bucharest").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < everything
    assert "rutte-2025-11-bucharest-not-anymore" in set(found["id"])


def test_code_blocks_are_drawn_only_when_their_expander_is_opened():
    """The citation's code blocks load a half-megabyte highlighter: nothing of them on a first visit."""
    assert not run("overview").code
    opened = run("overview", opened=("overview-ratio__cite",))
    assert any("@misc{" in c.value for c in opened.code)


def test_a_rerun_never_renders_an_image():
    before = export.RENDERER.renders
    at = run("output")
    at.radio(key="output_scale").set_value("linear").run()
    run("overview")
    assert export.RENDERER.renders == before


def test_contribute_form_checks_a_row_and_writes_nothing(fixture_dir):
    from tests.test_rows import checksum

    before = checksum(fixture_dir)
    at = run("contribute")
    at.text_input(key="claim_claim_id").input("Not An Id")
    at.button[0].click().run()  # the form's submit button
    assert at.error and "problem" in at.error[0].value
    assert checksum(fixture_dir) == before


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_broken_dataset_shows_the_validators_problems(page, good_dir, monkeypatch):
    set_cell(good_dir / "claims.csv", "rutte-2025-07-nyt-three-times", "stated_on", "2025-02-30")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(good_dir))
    at = run(page)
    assert not at.exception
    assert at.error and "did not pass validation" in at.error[0].value
    listed = " ".join(m.value for m in at.markdown).replace("\\", "")  # markdown escapes
    assert "claims.csv**, line" in listed and "column **stated_on**" in listed
    assert "not a real calendar date" in listed


def test_a_published_copy_offers_its_embed_and_data_urls(monkeypatch, good_dir):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(good_dir))
    monkeypatch.setenv("SHELLCOUNT_SITE_URL", "https://static.example.org/shellcount/")
    at = run("output", {"subject": "United States"}, opened=("output__embed",))  # a baked variant (enough figures)
    snippets = [c.value for c in at.code if "<iframe" in c.value]
    assert snippets and "https://static.example.org/shellcount/v/1.0.0/output-united-states/embed.html" in snippets[0]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "v/1.0.0/output-united-states/data.csv" in text
    for query in ({"subject": "United States", "scale": "linear"}, {"subject": "Russia"}):  # views the site lacks
        at = run("output", query, opened=("output__embed",))
        assert not [c for c in at.code if "<iframe" in c.value], query


def test_a_bad_link_value_gives_exactly_one_notice():
    at = run("output", {"from": "x"})
    assert len(at.info) == 1 and "'from'" in at.info[0].value
    assert len(at.toast) == 0, "no second copy of the notice as a toast"
    at.radio(key="output_scale").set_value("linear").run()
    assert len(at.info) == 1 and len(at.toast) == 0


@pytest.mark.parametrize("path", ["no-such-page", "output/extra/path", "shell/../etc"])
def test_an_unknown_page_path_gives_a_not_found_page_and_no_exports(path, monkeypatch):
    from dashboard.web import frame

    monkeypatch.setattr(frame, "browser_url", lambda: f"http://localhost:8501/{path}")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Page not found"]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "There is no page at" in text
    links = at.get("page_link")
    assert len(links) == len(PAGES)
    assert not at.get("plotly_chart") and not at.get("download_button") and not at.code


def test_the_permalink_never_carries_an_unknown_path(monkeypatch):
    from dashboard.web import frame

    monkeypatch.setattr(frame, "browser_url", lambda: "https://example.org/no-such-page")
    monkeypatch.setattr(frame, "page_path", lambda: "no-such-page")
    monkeypatch.setattr(frame.st, "get_option", lambda name: "")
    assert frame.permalink({}) == "https://example.org/"
    monkeypatch.setenv(settings.PUBLIC_URL.name, "https://shellcount.example/")
    assert frame.permalink({"scale": "linear"}) == "https://shellcount.example/?scale=linear"


def test_claim_check_table_shows_names_and_sources_not_ids():
    at = run("overview")
    check = table_with(at, "claimed", "check")
    assert "id" not in check.columns and "rows used" not in check.columns
    assert {"estimates used", "source"} <= set(check.columns)
    assert not check["estimates used"].str.contains("rutte-|cnn-|bain-").any()


def test_tables_show_blank_cells_not_none():
    at = run("data")
    element = at.dataframe[0]
    assert element.proto.placeholder == "", "a missing cell of any type is shown blank, not as None"
    assert element.value.isna().any().any(), "the fixture has empty cells for the placeholder to stand in"


def test_method_page_renders_the_changelog_as_markdown():
    at = run("method")
    assert not any("## [1.0.0]" in c.value for c in at.code), "not a code block"
    assert any("Test fixture: ten rows" in m.value for m in at.markdown)  # the changelog as rendered Markdown


def test_the_lines_page_shows_the_line_said_most_often_with_its_reading_and_reversal():
    at = run("lines")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Reversed on 6 November 2025" in text, "the reading, computed from the rows"
    spec = figure(at)
    marks = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
    assert "But not anymore" in marks and "12×" in marks, "the reversal and the July figure are labelled on the track"
    assert any(str(s.get("x0", "")).startswith("2025-11-06") for s in spec["layout"]["shapes"]), (
        "a rule at the reversal"
    )
    assert table_with(at, "date", "how", "figure as worded", "quote")["how"].tolist()[-1] == "reversed"


def test_a_line_chosen_in_the_link_is_shown_and_an_unknown_one_falls_back_with_a_notice():
    other = next(line for line in read_rows(GOOD / "lines.csv") if line["line_id"] != "rutte-three-months")
    at = run("lines", {"line": other["line_id"]})
    assert at.selectbox(key="lines_line").value == other["line_id"]
    assert at.query_params["line"] in (other["line_id"], [other["line_id"]])
    at = run("lines", {"line": "no-such-line"})
    assert any("no line of that name" in i.value for i in at.info)
    assert "Reversed on 6 November 2025" in " ".join(m.value for m in at.markdown).replace("\\", "")


def test_the_overview_links_its_cards_to_the_line_they_belong_to():
    at = run("overview")
    links = [link.proto for link in at.get("page_link")]
    assert any(
        link.query_string == "line=rutte-three-months" and "every time it was said" in link.label for link in links
    )
