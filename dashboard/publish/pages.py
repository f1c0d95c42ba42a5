"""HTML for the static site: small functions of already-computed values, every piece of data text escaped.

Pages get `root`, the relative path from their folder to the site root ('../../' …), so the same page
works under v/<version>/ and latest/ and on any host or sub-path. No page loads anything from another
origin: the Content-Security-Policy below makes a browser refuse it even if a template slipped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
)


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: '<' is written as \\u003c, so no text can close the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@dataclass(frozen=True)
class Head:
    """What every page declares in its <head>: title, description, social preview, JSON-LD."""

    title: str
    description: str
    image: str = ""  # URL of the preview image (absolute when the site has a base URL)
    canonical: str = ""
    json_ld: tuple[dict, ...] = ()
    oembed: str = ""


@dataclass(frozen=True)
class Assets:
    """Site-root-relative file names of the shared assets (content-versioned names)."""

    css: str
    chart_js: str
    plotly_js: str


def page(root: str, assets: Assets, head: Head, body: str, chart: bool = False, body_class: str = "") -> str:
    tags = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        f"<title>{esc(head.title)}</title>",
        '<link rel="icon" href="data:,">',  # no favicon request (a browser would otherwise ask for /favicon.ico)
        f'<meta name="description" content="{esc(head.description)}">',
        f'<meta property="og:title" content="{esc(head.title)}">',
        f'<meta property="og:description" content="{esc(head.description)}">',
        '<meta property="og:site_name" content="Shell Count">',
        '<meta property="og:type" content="website">',
        f'<meta name="twitter:card" content="{"summary_large_image" if head.image else "summary"}">',
        f'<meta name="twitter:title" content="{esc(head.title)}">',
        f'<meta name="twitter:description" content="{esc(head.description)}">',
    ]
    if head.image:
        tags += [
            f'<meta property="og:image" content="{esc(head.image)}">',
            f'<meta name="twitter:image" content="{esc(head.image)}">',
        ]
    if head.canonical:
        tags += [
            f'<link rel="canonical" href="{esc(head.canonical)}">',
            f'<meta property="og:url" content="{esc(head.canonical)}">',
        ]
    if head.oembed:
        tags.append(f'<link rel="alternate" type="application/json+oembed" href="{esc(head.oembed)}">')
    tags += [
        f'<link rel="stylesheet" href="{root}{assets.css}">',
        f'<link rel="alternate" type="application/atom+xml" title="Shell Count: releases and corrections" href="{root}feed.xml">',
    ]
    tags += [f'<script type="application/ld+json">{script_json(item)}</script>' for item in head.json_ld]
    if chart:
        tags += [
            f'<script src="{root}{assets.plotly_js}" defer></script>',
            f'<script src="{root}{assets.chart_js}" defer></script>',
        ]
    klass = f' class="{esc(body_class)}"' if body_class else ""
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n"
        + "\n".join(tags)
        + f"\n</head>\n<body{klass}>\n{body}\n</body>\n</html>\n"
    )  # fmt: skip


def nav(tree: str, version: str, release_date: str) -> str:
    """The header of every page inside a version tree; `tree` is the relative path to that tree's root."""
    return (
        '<header class="site"><a class="brand" href="' + tree + 'index.html">Shell Count</a>'
        f'<nav><a href="{tree}overview/index.html">Overview</a> <a href="{tree}output/index.html">Output</a> '
        f'<a href="{tree}claims-timeline/index.html">Claims timeline</a> <a href="{tree}claims/index.html">Every claim</a> '
        f'<a href="{tree}data/index.html">Data</a></nav>'
        f'<span class="version">data v{esc(version)}{" · released " + esc(release_date) if release_date else ""}</span>'
        "</header>"
    )


def footer(root: str, version: str, licence: str, licence_url: str) -> str:
    return (
        f'<footer><p>Shell Count data v{esc(version)} · licence <a href="{esc(licence_url)}" rel="license">{esc(licence)}</a> · '
        f'<a href="{root}feed.xml">feed of releases and corrections</a> · '
        f'<a href="{root}latest/index.html">latest release</a></p></footer>'
    )


def chart_block(spec: dict, label: str, image: str) -> str:
    """The chart: its static SVG at once (no script needed, a few dozen kB), replaced by the interactive
    figure that chart.js draws from the JSON beside it once plotly.js has loaded (no inline script)."""
    return (
        f'<figure class="chart"><img class="placeholder" src="{esc(image)}" alt="{esc(label)}" width="1280" height="720">'
        f'<div id="chart" role="img" aria-label="{esc(label)}"></div></figure>\n'
        f'<script type="application/json" id="chart-spec">{script_json(spec)}</script>'
    )


def table(frame_records: Sequence[dict], columns: Sequence[str], caption: str = "", links: Iterable[str] = ()) -> str:
    """A plain HTML table; columns named in `links` hold https URLs shown as links."""
    link_columns = set(links)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    rows = []
    for record in frame_records:
        cells = []
        for c in columns:
            value = record.get(c, "")
            text = "" if value is None else str(value)
            if c in link_columns and text.startswith("https://"):
                cells.append(f'<td><a href="{esc(text)}" rel="nofollow noopener">{esc(text)}</a></td>')
            else:
                cells.append(f"<td>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def links_list(items: Iterable[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in items) + "</ul>"


CSS = """
:root{--ink:#1d2733;--muted:#5a6472;--line:#dde3ea;--accent:#0072B2}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:Inter,'Source Sans Pro',Arial,sans-serif;color:var(--ink);line-height:1.5;background:#fff}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;padding:.75rem 1rem;border-bottom:1px solid var(--line)}
header.site .brand{font-weight:700;color:var(--ink);text-decoration:none}
header.site nav a{margin-right:.75rem}
header.site .version{color:var(--muted);font-size:.9rem}
main{max-width:1200px;margin:0 auto;padding:1rem}
footer{max-width:1200px;margin:2rem auto;padding:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
a{color:var(--accent)}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
.subtitle,.source{color:var(--muted)}
figure.chart{margin:1rem 0;min-height:200px}
#chart{width:100%}
figure.chart img.placeholder{display:block;width:100%;height:auto}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid var(--accent);background:#f5f8fb;font-size:1.1rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f5f8fb;padding:.75rem;font-size:.8rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.files{columns:2 16rem}
body.embed{margin:0;overflow-y:hidden}
body.embed figure.chart{margin:0}
body.embed p.credit{margin:.25rem .5rem;font-size:.75rem;color:var(--muted)}
""".lstrip()

# Draws the chart from its JSON, marks the page when it is drawn (the tests and benchmarks wait for that), and
# inside an embed tells the parent page its height whenever it changes, for the iframe snippet's resizer.
CHART_JS = """
(function () {
  var spec = document.getElementById("chart-spec");
  var div = document.getElementById("chart");
  if (!spec || !div || !window.Plotly) { return; }
  performance.mark("shellcount:plotly-ready");  // plotly.js has run (deferred scripts run in order)
  var figure = JSON.parse(spec.textContent);
  function tellParent() {
    if (window.parent !== window) {
      window.parent.postMessage({type: "shellcount-embed-height", height: document.documentElement.scrollHeight}, "*");
    }
  }
  var placeholder = document.querySelector("figure.chart img.placeholder");
  if (placeholder) { placeholder.remove(); }  // in the same task as the first draw: no blank frame between
  Plotly.newPlot(div, figure.data, figure.layout, figure.config).then(function () {
    performance.mark("shellcount:chart-drawn");
    document.documentElement.setAttribute("data-chart", "drawn");
    tellParent();
  });
  if (document.body.classList.contains("embed") && window.ResizeObserver) {
    new ResizeObserver(tellParent).observe(document.body);
  }
})();
""".lstrip()
