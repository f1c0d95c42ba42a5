"""Every page and every view, declared once: the app, the publisher, the downloads, the tests, the bench and the
load script read this table.

A page is what the app's navigation lists. A page with a chart names the function that builds its model
(view_models: `model(data, view, link, style=PHONE)`, whose `.chart` is the chart, its figure built per style
when asked for) and the views of it the static site bakes: its default view, plus the filtered variants
`variants(data)` returns. Adding a baked chart is its chart function, its view model, one row here and the page's
render function in web/views (docs/ARCHITECTURE.md); baking another filtered view of a page is its `variants`.
No Streamlit here, so anything can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from dashboard.analysis.filters import DEFAULT, ViewState
from dashboard.data.load import Dataset
from dashboard.present import view_models

Layout = tuple[tuple[str | tuple[str, float], ...], ...]  # rows of filter names, or (name, relative width)
# A one-subject Output view is baked when the subject has at least this many figures, describing at least two
# different periods: a single figure (or two) is drawn well by the app over its own period, but a published page
# of one or two marks says too little to stand on its own (docs/PUBLISH.md).
MIN_BAKED_FIGURES = 3


@dataclass(frozen=True)
class Variant:
    """A view the static site bakes: where it lives, how links name it, and the filter state that makes it."""

    slug: str  # its folder below a version root, e.g. 'output-russia'
    label: str
    view: ViewState = DEFAULT


@dataclass(frozen=True)
class Chart:
    name: str  # download file names and widget keys ('overview-ratio' → overview-ratio-v1-2-0.png)
    model: Callable[..., Any]  # (data, view, link[, style]) → the page's model; its `.chart` is a ChartModel
    slug: str  # the published folder of the default view
    label: str  # how links to the default view name it
    variants: Callable[[Dataset], list[Variant]] = lambda data: []  # filtered views baked as well
    bake_default: bool = True  # False: only the variants are published (each line has its own page)


@dataclass(frozen=True)
class Page:
    name: str  # short id: keys, file names, test ids; its renderer is dashboard/web/views/<name>.py
    title: str
    icon: str
    url_path: str  # what follows the app's root in a link ('' for the default page)
    heading: str  # the page's own title, as a reader sees it at the top
    layout: Layout = ()  # the filters it shows
    chart: Chart | None = None
    options: Callable[[Dataset], dict[str, list[str]]] = view_models.options  # what its list filters offer

    @property
    def default(self) -> bool:
        return self.url_path == ""

    @property
    def filter_names(self) -> list[str]:
        return [cell if isinstance(cell, str) else cell[0] for row in self.layout for cell in row]

    def default_variant(self) -> Variant:
        assert self.chart is not None
        return Variant(self.chart.slug, self.chart.label)

    def baked(self, data: Dataset) -> list[Variant]:
        """Every view of this page the site bakes: the default view first, then the variants."""
        if not self.chart:
            return []
        return [*([self.default_variant()] if self.chart.bake_default else []), *self.chart.variants(data)]


def output_variants(data: Dataset) -> list[Variant]:
    """One view per subject the Output filter offers that has enough to show (MIN_BAKED_FIGURES over two
    periods or more)."""
    rows = view_models.charted_rows(data)
    made = []
    for subject in view_models.output_options(data)["subject"]:
        mine = rows[rows["subject"] == subject]
        if len(mine) >= MIN_BAKED_FIGURES and mine["period_mid"].nunique() >= 2:
            made.append(
                Variant(f"output-{slugify(subject)}", f"Output: {subject}", replace(DEFAULT, subject=(subject,)))
            )
    return made


def line_variants(data: Dataset) -> list[Variant]:
    """One published page per line of claims, at lines/<line_id>/ (ids are stable, like claim ids)."""
    return [
        Variant(f"lines/{line_id}", f"Line: {title}", replace(DEFAULT, line=line_id))
        for line_id, title in zip(data.lines["line_id"], data.lines["title"], strict=True)
    ]


def slugify(text: str) -> str:
    """'United States and Europe' → 'united-states-and-europe' (a fixed alphabet, stable for a given name)."""
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split()) or "x"


PAGES = (
    Page("overview", "Overview", ":material/monitoring:", "", "Shell Count",
         chart=Chart("overview-ratio", view_models.overview, "overview", "Overview: the claimed ratio")),
    Page("output", "Output", ":material/factory:", "output", "Output, capacity and targets",
         layout=(("subject", "measure", "caliber"), (("basis", 2), ("grade", 2), ("start", 1.3), ("end", 1.3), ("scale", 1.2))),
         chart=Chart("output", view_models.output, "output", "Output: every subject", output_variants),
         options=view_models.output_options),
    Page("claims", "Claims", ":material/record_voice_over:", "claims", "Claims",
         layout=((("q", 3), ("side", 2), ("subject", 2), ("start", 1.2), ("end", 1.2)),),
         # claims/ holds one page per claim on the site, so the timeline lives at claims-timeline/
         chart=Chart("claims", view_models.claims, "claims-timeline", "Claims timeline")),
    Page("lines", "Lines", ":material/timeline:", "lines", "How a claim travelled",
         layout=(("line",),),
         # Every line is its own published page (lines/<id>/); with none chosen the page shows the line said most often.
         chart=Chart("line", view_models.line, "", "", line_variants, bake_default=False),
         options=view_models.line_options),
    Page("data", "Data", ":material/table:", "data", "Data",
         layout=(("q", "subject", "measure", "caliber"), ("basis", "grade", "side", "start", "end"))),
    Page("method", "Method & sources", ":material/menu_book:", "method", "Method & sources"),
    Page("contribute", "Contribute", ":material/edit_note:", "contribute", "Contribute a row"),
)  # fmt: skip
BY_NAME = {page.name: page for page in PAGES}
BY_URL_PATH = {page.url_path: page for page in PAGES}
URL_PATHS = frozenset(BY_URL_PATH)  # what may follow the app's root in a link
CHART_PAGES = tuple(page for page in PAGES if page.chart)


def baked(data: Dataset) -> list[tuple[Page, Variant]]:
    """Every view the static site bakes, page by page."""
    return [(page, variant) for page in CHART_PAGES for variant in page.baked(data)]


def published_variant(page: Page, view: ViewState, data: Dataset) -> Variant | None:
    """The baked view showing exactly this page and state, or None when the site does not bake it (the page's
    baked views worked out once per dataset: the app asks on every rerun)."""
    return next((v for v in data.derived(f"baked.{page.name}", page.baked) if v.view == view), None)
