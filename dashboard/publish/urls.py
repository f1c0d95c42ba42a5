"""Where each published file lives: pure functions of a base URL, a version and a view's slug (no I/O).

The live app calls these to offer "Embed" and a stable data URL for the chart a reader is looking at; the site
builder calls the same ones, so the two can never disagree. Which views are baked, and their slugs, is the
registry's (present/registry.py); which files a view has is export.FORMATS plus the site's own pages.

    iframe_snippet(base_url, slug, title)            # HTML to paste into a CMS
    data_csv_url(base_url, slug, version)            # a URL a script can fetch for ever
    published(base_url, slug, title, version)        # all of the above in one
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dashboard.present.export import PUBLISHED_FORMATS

LATEST = "latest"
# kind → file name inside a view's folder: the pages the site writes, and every published export format.
FILES = (
    {"page": "", "embed": "embed.html"}
    | {f.kind: f.file for f in PUBLISHED_FORMATS}
    | {
        "metadata": "metadata.json",
        "oembed": "oembed.json",
    }
)
EMBED_MESSAGE = "shellcount-embed-height"  # what embed.html posts to its parent with its height


def version_root(version: str | None = None) -> str:
    """'v/1.2.0/' for a pinned version, 'latest/' for the newest."""
    return f"v/{version}/" if version else f"{LATEST}/"


def _base(base_url: str) -> str:
    return base_url.rstrip("/") + "/" if base_url else ""


def view_path(slug: str, kind: str = "page", version: str | None = None) -> str:
    """Path of a view's file below the site root, e.g. 'v/1.0.0/overview/data.csv'."""
    return f"{version_root(version)}{slug}/{FILES[kind]}"


def view_url(base_url: str, slug: str, kind: str = "page", version: str | None = None) -> str:
    """Absolute when base_url is given, else relative to the site root."""
    return _base(base_url) + view_path(slug, kind, version)


def data_csv_url(base_url: str, slug: str, version: str | None = None) -> str:
    """The stable URL of the rows behind a published chart (pinned to `version`, or the latest release)."""
    return view_url(base_url, slug, "csv", version)


def metadata_url(base_url: str, slug: str, version: str | None = None) -> str:
    return view_url(base_url, slug, "metadata", version)


def claim_path(claim_id: str, version: str | None = None) -> str:
    return f"{version_root(version)}claims/{claim_id}/"


LINES = "lines"  # the folder of the lines' pages (registry.line_variants bakes each line at lines/<line_id>)


def line_slug(line_id: str) -> str:
    """The folder of a line's page below a version root: 'lines/rutte-three-months' (line ids never change)."""
    return f"{LINES}/{line_id}"


def line_path(line_id: str, version: str | None = None) -> str:
    """A line's page below the site root, e.g. 'v/1.2.0/lines/rutte-three-months/'."""
    return view_path(line_slug(line_id), "page", version)


# The snippet a reader pastes into a CMS. Markup.format escapes every value put into it (the title is data).
_SNIPPET = Markup(
    '<iframe src="{src}" title="{title}" loading="lazy" height="{height}" '
    'style="display:block;width:100%;min-width:320px;max-width:1200px;border:0"></iframe>\n'
    "<script>window.addEventListener('message',function(e){{"
    "if(!e.data||e.data.type!=='{message}')return;"
    "document.querySelectorAll('iframe').forEach(function(f){{"
    "if(f.contentWindow===e.source)f.style.height=Math.ceil(e.data.height)+'px';}});}});</script>"
)


def iframe_snippet(base_url: str, slug: str, title: str, version: str | None = None, height: int = 600) -> str:
    """An <iframe> of the published chart that fits its container's width (320–1200 px), and a few lines
    of script that set its height from the message embed.html posts whenever its content changes size.
    A plain str: the page that shows it as code escapes it once more."""
    src = view_url(base_url, slug, "embed", version)
    return str(_SNIPPET.format(src=src, title=title, height=int(height), message=EMBED_MESSAGE))


@dataclass(frozen=True)
class Published:
    """Everything the live app shows under a chart when a published copy exists."""

    slug: str
    page_url: str  # the pinned page (interactive chart, data, citation)
    embed_url: str
    snippet: str  # the <iframe> and its resizer, to paste into a CMS
    csv_url: str  # the rows behind the chart, at a URL that never changes
    metadata_url: str


def published(base_url: str, slug: str, title: str = "", version: str | None = None) -> Published:
    """Everything the live app shows under a chart whose view the site bakes at `slug`, with every URL pinned to
    `version` (the app's own data release)."""
    return Published(
        slug=slug,
        page_url=view_url(base_url, slug, "page", version),
        embed_url=view_url(base_url, slug, "embed", version),
        snippet=iframe_snippet(base_url, slug, title or "Shell Count chart", version),
        csv_url=data_csv_url(base_url, slug, version),
        metadata_url=metadata_url(base_url, slug, version),
    )
