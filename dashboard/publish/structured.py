"""schema.org JSON-LD for search engines and fact-check aggregators: a claim, its review, the dataset.

Plain dicts; the page template writes them with `tojson` inside <script type="application/ld+json">.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data.schema import Package
from dashboard.publish import words

CONTEXT = "https://schema.org"
MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json", ".md": "text/markdown", ".zip": "application/zip"}


def claim(row: dict, page_url: str, text: str, stated_on: str) -> dict:
    """A schema.org Claim: who said it, when, and where it can be read."""
    role = words.text(row.get("speaker_role"))
    original = words.text(row.get("original_publisher"))
    found = {
        "@context": CONTEXT,
        "@type": "Claim",
        "@id": page_url + "#claim",
        "url": page_url,
        "identifier": row["claim_id"],
        "text": text,
        "datePublished": stated_on,
        "author": {"@type": "Person" if role else "Organization", "name": row["speaker"]}
        | ({"jobTitle": role} if role else {}),
        # The page linked, under whoever published it; where it first appeared, when that is another outlet, beside
        # it: the page's "Where" line says both ("The New York Times, via Kyiv Independent").
        "appearance": {
            "@type": "CreativeWork",
            "url": row["url"],
            "name": words.text(row.get("source_title")),
            "publisher": {"@type": "Organization", "name": words.text(row.get("publisher"))},
        },
    }
    if original:
        found["firstAppearance"] = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": original}}
    return found


def part_of_line(line_url: str, title: str, position: int) -> dict:
    """What a claim's JSON-LD adds when it is one statement of a line: the line as the series it is part of
    (schema.org CreativeWorkSeries: "a group of related items … usually organized into some order, often
    chronological", related to its parts by hasPart / isPartOf; a Claim is a CreativeWork) and its place in it
    (`position`: "the position of an item in a series or sequence of items"; 1 is the first statement found)."""
    return {
        "isPartOf": {"@type": "CreativeWorkSeries", "@id": line_url + "#line", "url": line_url, "name": title},
        "position": position,
    }


def line(line_url: str, title: str, asserts: str, claim_urls: list[str]) -> dict:
    """A line of claims as a schema.org CreativeWorkSeries whose parts are its statements' Claims, in order."""
    return {
        "@context": CONTEXT,
        "@type": "CreativeWorkSeries",
        "@id": line_url + "#line",
        "url": line_url,
        "name": title,
        "description": asserts,
        "hasPart": [{"@type": "Claim", "@id": url + "#claim", "url": url} for url in claim_urls],
    }


def review(claim_ld: dict, page_url: str, released: str, verdict: str, explanation: str, site_url: str) -> dict:
    """A schema.org ClaimReview: the claim check's verdict on a comparative claim."""
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": page_url,
        "datePublished": released,
        "claimReviewed": claim_ld["text"],
        "author": {"@type": "Organization", "name": "Shell Count", "url": site_url},
        "itemReviewed": claim_ld,
        "reviewRating": {"@type": "Rating", "alternateName": verdict, "ratingExplanation": explanation},
    }


def dataset(package: Package, version: str, released: str, url: str, files: dict[str, str]) -> dict:
    """A schema.org Dataset for the data package; `files` maps a file name to its URL."""
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": package.title,
        "description": package.description,
        "version": version,
        "datePublished": released,
        "url": url,
        "license": package.license_url,
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": c} for c in package.contributors],
        "keywords": list(package.descriptor.get("keywords", [])),
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"),
                "contentUrl": file_url,
            }
            for name, file_url in files.items()
        ],
    }
