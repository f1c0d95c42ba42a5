"""How long a browser or CDN may keep each file of the site, stated once for every host.

v/<version>/ never changes once released and assets/ names change with their content, so both may be cached
for a year without asking again (`immutable`). latest/, the front page, the feed and the other root files
follow releases, so they are kept 5 minutes: a release shows within minutes. The build writes these rules as
`_headers` (Netlify and Cloudflare Pages syntax); docs/PUBLISH.md has the same as an nginx snippet, and the
preview server (preview.py) sends them, so a local preview caches as production does.

The rules never overlap: Netlify and Cloudflare Pages apply every rule that matches a path and join repeated
headers with a comma, which would make `max-age=31536000, max-age=300` of an asset under two rules.
"""

from __future__ import annotations

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
# (path pattern below the site root, Cache-Control); '*' matches the rest of a path.
RULES = (
    ("/assets/*", IMMUTABLE),
    ("/v/*", IMMUTABLE),
    ("/latest/*", SHORT),
    ("/", SHORT),
    ("/index.html", SHORT),
    ("/404.html", SHORT),
    ("/feed.xml", SHORT),
    ("/sitemap.xml", SHORT),
    ("/robots.txt", SHORT),
)


def cache_control(path: str) -> str:
    """The Cache-Control of a path below the site root ('/v/1.0.0/overview/'), by the first rule that matches."""
    for pattern, value in RULES:
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            return value
    return SHORT


def headers_file() -> bytes:
    """`_headers` at the site root: each rule's path, then its headers indented (Netlify / Cloudflare Pages)."""
    blocks = [f"{pattern}\n  Cache-Control: {value}\n" for pattern, value in RULES]
    return ("# How long browsers and CDNs may keep each file (see docs/PUBLISH.md).\n" + "".join(blocks)).encode()
