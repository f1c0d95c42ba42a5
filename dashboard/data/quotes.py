"""Finding a quote in its excerpt: the normalisation the validator and the add-row helper share."""

from __future__ import annotations

import re

_SPACE_RE = re.compile(r"\s+")
_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                              "\u00ab": '"', "\u00bb": '"', "`": "'"})  # fmt: skip
# Text that normalise_quote would change: a typographic quote mark, or whitespace other than single spaces.
_NEEDS_NORMALISING = re.compile("[" + "".join(map(chr, _QUOTE_MARKS)) + r"]|\s\s|[^\S ]|^\s|\s\Z")
EXCERPT_SEPARATOR = "---"


def normalise_quote(text: str) -> str:
    """Whitespace- and quote-mark-normalised text, for finding a quote in its excerpt."""
    if not _NEEDS_NORMALISING.search(text):  # most quotes: one regex scan instead of translate + sub
        return text
    return _SPACE_RE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


def quote_in(quote: str, normalised_body: str) -> bool:
    """Is the quote in the (normalised) excerpt? A quote's final full stop may stand as a comma on the
    page, because reported speech turns "… anymore." into "… anymore," he said."""
    return found(normalise_quote(quote), normalised_body)


def found(needle: str, normalised_body: str) -> bool:
    return needle in normalised_body or needle.rstrip(".,") in normalised_body


def excerpt_body(text: str) -> str:
    """The passage part of an excerpt file: everything after the first `---` line (or all of it)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == EXCERPT_SEPARATOR:
            return "\n".join(lines[i + 1 :])
    return text
