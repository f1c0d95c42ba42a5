"""Every page, feed and sitemap of the site comes from a Jinja2 template in templates/, autoescaped.

Nothing here builds markup from strings: text from the dataset reaches a page only through a template, which
escapes it (HTML and XML alike), and data for scripts goes through `tojson`, which writes '<', '>', '&' and "'"
as \\u escapes so no text can close a <script> element. StrictUndefined makes a template that names a missing
value fail the build instead of printing nothing.

Pages get `root`, the relative path from their folder to the site root ('../../' …), and `tree`, the one to
their version tree's root, so the same page works under v/<version>/ and latest/ and on any host or sub-path.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"

ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True, default=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
# Compact JSON in pages (a figure's spec is most of a view page); key order as built, which is deterministic.
ENV.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": False}


def inline_script_source(name: str) -> str:
    """The CSP source that allows exactly one inline script: the SHA-256 of its text, as the browser computes it
    (the template includes the file as it is, so its text is the script's)."""
    text = ENV.loader.get_source(ENV, name)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# The theme chooser (templates/theme.js) runs inline in <head>, before the first paint: a ?theme=dark link never
# flashes light first, and it costs no request. The CSP allows it by its hash, so a page still runs no script but
# that one and its own files from 'self'.
THEME_SCRIPT = "theme.js"
CSP = (
    f"default-src 'self'; script-src 'self' {inline_script_source(THEME_SCRIPT)}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Head:
    """What every page declares in its <head>: title, description, social preview, JSON-LD."""

    title: str
    description: str
    image: str = ""  # URL of the preview image (absolute when the site has a base URL)
    canonical: str = ""
    json_ld: tuple[dict, ...] = ()
    oembed: str = ""
    noindex: bool = False  # a page that only points elsewhere (a view no longer published)


@dataclass(frozen=True)
class Assets:
    """Site-root-relative file names of the shared assets (content-versioned names)."""

    css: str
    chart_js: str


def render(template: str, **context: object) -> bytes:
    """A template rendered with the site-wide values (the CSP) and `context`, as UTF-8."""
    return ENV.get_template(template).render(csp=CSP, **context).encode("utf-8")
