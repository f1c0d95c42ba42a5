"""Exports: formula-safe CSV, fixed-alphabet file names, package zip, citations, PNG/SVG via kaleido."""

import io
import re
import struct
import zipfile
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.present import export
from dashboard.present.chart_style import EXPORT, PORTRAIT
from tests.conftest import GOOD, chromium_or_skip


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(cell):
    out = export.csv_bytes(pd.DataFrame({"quote": [cell], "n": [1]})).decode()
    parsed = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert parsed["quote"][0] == "'" + cell


def test_plain_cells_and_numbers_are_unchanged():
    frame = pd.DataFrame(
        {"quote": ["Until recently, Russia…"], "value": [-1.5], "when": pd.to_datetime(["2025-11-06"])}
    )
    out = export.csv_bytes(frame, header_comment="Shell Count data v1.0.0")
    lines = out.decode().splitlines()
    assert lines[0] == "# Shell Count data v1.0.0"
    parsed = pd.read_csv(io.StringIO(out.decode()), skiprows=1)
    assert parsed["quote"][0] == "Until recently, Russia…"
    assert parsed["value"][0] == -1.5
    assert parsed["when"][0] == "2025-11-06"


def test_header_comment_cannot_break_lines():
    out = export.csv_bytes(pd.DataFrame({"a": [1]}), header_comment="x\nclaim_id,evil\r")
    assert out.decode().splitlines()[0] == "# x claim_id,evil "


@pytest.mark.parametrize(
    "parts", [("overview", "v1.0.0"), ("../../etc/passwd", ""), ('<script>"', "x y"), ("", ""), ("ÅÄÖ", "日本")]
)
def test_file_names_use_a_fixed_alphabet(parts):
    name = export.safe_filename(*parts, extension="csv")
    assert re.fullmatch(r"[a-z0-9-]+\.csv", name)
    assert ".." not in name and "/" not in name


def test_zip_holds_only_the_package_files():
    names = set(zipfile.ZipFile(io.BytesIO(export.package_zip(GOOD))).namelist())
    assert names == {f"shell-count/{n}" for n in export.PACKAGE_FILES}


def test_zip_of_a_folder_with_extra_files_ignores_them(tmp_path):
    for f in GOOD.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "secret.txt").write_text("nope")
    names = zipfile.ZipFile(io.BytesIO(export.package_zip(tmp_path))).namelist()
    assert "shell-count/secret.txt" not in names and "shell-count/claims.csv" in names


def test_citations_carry_version_url_and_licence():
    c = export.Citation("Shell Count", "1.2.3", "https://example.org/output?subject=Russia", date(2026, 11, 25))
    assert "data version 1.2.3" in c.plain() and "https://example.org/output?subject=Russia" in c.plain()
    assert "CC-BY-4.0" in c.plain()
    bib = c.bibtex()
    assert bib.startswith("@misc{shellcount") and "version = {1.2.3}" in bib and r"\url{https://example.org" in bib


def test_standalone_html_is_self_contained():
    html = export.html_bytes(go.Figure(go.Scatter(x=[1], y=[2]))).decode()
    assert "<html" in html and "plotly" in html.lower()
    assert '<script src="https://cdn' not in html


def chart(style=EXPORT):
    """A small real chart (the fixture's claims timeline), laid out for `style`."""
    from dashboard.data.load import load_dataset
    from dashboard.present import view_models
    from dashboard.present.url_state import DEFAULT

    return view_models.claims(load_dataset(GOOD).dataset, DEFAULT, "https://example.org/claims").chart


def figure(style=EXPORT):
    return chart().figure_for(style)


def test_png_and_svg_are_rendered_by_chromium_and_memoised():
    chromium_or_skip()
    fig = figure()
    before = export.RENDERER.renders
    png = export.image_bytes(fig, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (export.EXPORT_WIDTH, export.EXPORT_HEIGHT)
    svg = export.image_bytes(fig, "svg").decode()
    assert svg.startswith("<svg") and "Source: Shell Count" in svg and "1.0.0" in svg
    assert export.image_bytes(fig, "png") == png
    assert export.RENDERER.renders == before + 2  # the repeated PNG came from the cache


def test_missing_chromium_is_a_clear_error(monkeypatch):
    renderer = export._Renderer()
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    with pytest.raises(export.ExportUnavailable, match="apt-get install chromium"):
        renderer.render(figure(), "png")
    with pytest.raises(ValueError):
        renderer.render(figure(), "gif")


def test_a_subject_keeps_its_colour_in_the_exported_svg_whatever_the_filter():
    """Two exports of the Output chart, with and without Russia beside the United States: the US is drawn in
    its own blue in both (two figures can be put side by side)."""
    chromium_or_skip()
    from dashboard.analysis.filters import ViewState
    from dashboard.data.load import load_dataset
    from dashboard.present import view_models

    data = load_dataset(GOOD).dataset
    blue = "rgb(0, 114, 178)"  # identity.SUBJECT_LOOK["United States"]
    for subjects in (("Russia", "United States"), ("United States",)):
        figure = view_models.output(data, ViewState(subject=subjects), "https://example.org/").chart.figure_for(EXPORT)
        svg = export.image_bytes(figure, "svg").decode("utf-8")
        assert blue in svg, subjects
        assert ("rgb(213, 94, 0)" in svg) == ("Russia" in subjects)  # Russia's own orange only where it is drawn


def test_portrait_png_is_1080_by_1350():
    chromium_or_skip()
    png = export.image_bytes(figure(PORTRAIT), "png")
    assert struct.unpack(">II", png[16:24]) == (1080, 1350)


def test_every_format_builds_its_file_from_the_chart():
    chromium_or_skip()
    from dashboard.data.load import load_dataset

    package = load_dataset(GOOD).dataset.package
    made = {f.kind: f.build(chart(), package, "header") for f in export.FORMATS}
    assert made["png"][:8] == made["portrait"][:8] == made["dark"][:8] == b"\x89PNG\r\n\x1a\n"
    assert made["png"] != made["dark"], "the dark PNG is its own rendering"
    assert made["svg"].startswith(b"<svg") and made["csv"].startswith(b"# header")
    assert b"<html" in made["html"]
    assert len({f.file for f in export.FORMATS if f.file}) == len(export.PUBLISHED_FORMATS)


def test_whole_numbers_are_written_as_integers_and_formulas_stay_neutralised():
    frame = pd.DataFrame(
        {
            "value_low": [4_500_000.0, None, 4.5],
            "value_high": pd.array([1e15, None, 0.1], dtype="Float64"),
            "quote": ["=1+1", None, "-3 million"],
        }
    )
    lines = export.csv_bytes(frame).decode().splitlines()
    assert lines[1:] == ["4500000,1000000000000000,'=1+1", ",,", "4.5,0.1,'-3 million"]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://x.org/output?subject=Russia%2CUnited+States&scale=linear", "russia-united-states-linear"),
        ("https://x.org/claims?from=2024-01-01&q=Rutte", "from-2024-01-01-rutte"),
        ("https://x.org/", ""),
        ("https://x.org/data?q=" + "a%2F..%2F" * 50, None),
    ],
)
def test_a_view_becomes_a_short_safe_file_name(link, expected):
    slug = export.view_slug(link)
    assert re.fullmatch(r"[a-z0-9-]*", slug) and len(slug) <= 60 and not slug.endswith("-")
    if expected is not None:
        assert slug == expected
    name = export.safe_filename("output", slug, "v1.1.0", extension="png")
    assert name == ("output-" + slug + "-v1-1-0.png" if slug else "output-v1-1-0.png")


def test_html_export_is_titled_like_the_chart():
    page = export.html_bytes(go.Figure(), "Russia <b>& NATO</b>").decode()
    assert "<title>Russia &lt;b&gt;&amp; NATO&lt;/b&gt;</title>" in page
    assert page.split("</head>")[0].count("<title>") == 1  # plotly.js itself holds the string further down


def test_every_csv_uses_the_schemas_column_names():
    """Output, Claims and Data CSVs: one vocabulary, the schema's (as datasets/README.md documents)."""
    from dashboard.data.load import load_dataset
    from dashboard.present import captions, view_models
    from dashboard.present.url_state import DEFAULT

    data = load_dataset(GOOD).dataset
    header = lambda csv: csv.decode().splitlines()[1 if csv.startswith(b"#") else 0].split(",")  # noqa: E731
    output = header(export.rows_csv(view_models.output(data, DEFAULT, "x").chart.rows, data.package, "v"))
    claims = header(export.rows_csv(view_models.claims(data, DEFAULT, "x").chart.rows, data.package, "v"))
    rows = header(export.csv_bytes(view_models.data_rows(data, DEFAULT).table, "v"))
    assert output == claims == rows == captions.data_columns(data.package)
    assert "claim_id" in rows and "stated_on" in rows and "id" not in rows and "low" not in rows
