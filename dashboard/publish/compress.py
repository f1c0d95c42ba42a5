"""Precompressed copies beside every text file of the site: `page.html.gz` and `page.html.br`.

A host that serves them as they are (nginx gzip_static/brotli_static, the preview server in preview.py) sends a
page or the chart bundle compressed without spending CPU per request. Both are deterministic: gzip without a
file name or time (mtime 0), brotli at a fixed quality, so two builds give the same bytes.

Brotli at its best quality (11) costs ~5 s for the 1.2 MB basic chart bundle and saves ~17 % on it against
quality 5: worth it for assets/, served to every first visitor and cached for a year, and memoised by content so
a process that builds twice pays once. The full bundle (4.8 MB, only for a figure that needs it) takes ~40 s at
11 for 10 % less than at 9, so files that large get 9. Pages are small and many (~700), so they use quality 5
(~1 s for all of them, ~14 % larger than at 11: a few kB per page).
"""

from __future__ import annotations

import gzip
import hashlib

import brotli

from dashboard.present.export import PUBLISHED_FORMATS

# What is compressed: the site's own text files, and every published export format of a text type (a new one is
# compressed without a second list to keep).
SUFFIXES = tuple(
    dict.fromkeys([".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md",
                   *(f".{f.extension}" for f in PUBLISHED_FORMATS if f.mime.startswith("text/") or f.mime.endswith(("+xml", "json")))])
)  # fmt: skip
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding → file suffix, preferred first
ASSET_QUALITY, LARGE_ASSET_QUALITY, PAGE_QUALITY = 11, 9, 5
LARGE = 2_000_000  # bytes
_MEMO: dict[tuple[str, int], tuple[bytes, bytes]] = {}


def compressible(path: str) -> bool:
    return path.endswith(SUFFIXES)


def _both(content: bytes, quality: int) -> tuple[bytes, bytes]:
    key = (hashlib.sha256(content).hexdigest(), quality)
    if key not in _MEMO:
        result = (gzip.compress(content, compresslevel=9, mtime=0), brotli.compress(content, quality=quality))
        if quality != PAGE_QUALITY:  # only the few large, unchanging assets are worth keeping in memory
            _MEMO[key] = result
        return result
    return _MEMO[key]


def quality(path: str, content: bytes) -> int:
    if not path.startswith("assets/"):
        return PAGE_QUALITY
    return LARGE_ASSET_QUALITY if len(content) > LARGE else ASSET_QUALITY


def precompressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """`path.gz` and `path.br` for every text file in `files` (path below the site root → bytes)."""
    out: dict[str, bytes] = {}
    for path, content in files.items():
        if compressible(path):
            gz, br = _both(content, quality(path, content))
            out[path + ENCODINGS["gzip"]], out[path + ENCODINGS["br"]] = gz, br
    return out
