"""Finding a quote in its excerpt: what the normalisation forgives (quote marks, whitespace, a final stop) and
what it never does (case, words, other punctuation), and where an excerpt's passage starts."""

from __future__ import annotations

import pytest

from dashboard.data.quotes import excerpt_body, found, normalise_quote, quote_in
from tests.conftest import GOOD, read_rows


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("plain words, kept", "plain words, kept"),  # nothing to do
        ("the “big” one", 'the "big" one'),  # typographic double quotes
        ("the service’s ‘own’ output", "the service's 'own' output"),  # typographic single quotes
        ("«guillemets» and „low“", '"guillemets" and "low"'),
        ("`backtick'", "'backtick'"),
        ("three\n  times\tas much", "three times as much"),  # runs of any whitespace become one space
        ("  padded  ", "padded"),
        ("Case Stays", "Case Stays"),  # quotes are verbatim: case is never folded
    ],
)
def test_normalise_quote(text: str, normalised: str) -> None:
    assert normalise_quote(text) == normalised


@pytest.mark.parametrize(
    ("quote", "page", "is_found"),
    [
        ("But not anymore.", 'But not anymore," he said', True),  # a final full stop may stand as a comma
        ("But not anymore,", "But not anymore. He said", True),
        ("But not anymore!", "But not anymore. He said", False),  # other punctuation must match
        ("the “big” one", 'the "big" one', True),  # typographic ↔ straight double quotes
        ("the service’s output", "the service's output", True),
        ("«guillemets»", '"guillemets"', True),
        ("three\n  times", "three times", True),  # whitespace runs
        ("three times", "three\ttimes", True),
        ("three times", "threetimes", False),  # a missing space is a different text
        ("Three times", "three times", False),  # case is not normalised
        ("four times as much", "three times as much", False),
    ],
)
def test_quote_in(quote: str, page: str, is_found: bool) -> None:
    assert quote_in(quote, normalise_quote(page)) is is_found


@pytest.mark.parametrize(
    ("needle", "body", "is_found"),
    [
        ("not anymore", "but not anymore, he said", True),
        ("not anymore.", "but not anymore, he said", True),  # trailing . or , dropped when the exact text is absent
        ("not anymore", "but not any more", False),
    ],
)
def test_found_takes_already_normalised_text(needle: str, body: str, is_found: bool) -> None:
    assert found(needle, body) is is_found


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("url: https://example.org/\n---\nThe passage.\nSecond line.", "The passage.\nSecond line."),
        ("header\n  ---  \nThe passage.", "The passage."),  # the separator line may carry spaces
        ("a\n---\nb\n---\nc", "b\n---\nc"),  # only the first separator counts
        ("no separator at all", "no separator at all"),  # then the whole file is the passage
        ("header\n----\nnot a separator", "header\n----\nnot a separator"),
    ],
)
def test_excerpt_body(text: str, body: str) -> None:
    assert excerpt_body(text) == body


def test_the_header_of_an_excerpt_is_not_searched() -> None:
    """A quote that only appears in the header lines (title, address) is not found in the passage."""
    text = "title: Russia makes three times as much\n---\nThe passage says something else."
    assert not quote_in("three times as much", normalise_quote(excerpt_body(text)))
    assert quote_in("three times as much", normalise_quote(text))


def test_every_fixture_quote_is_found_in_its_excerpt() -> None:
    sources = {r["source_id"]: r for r in read_rows(GOOD / "sources.csv")}
    quotes = [r for r in read_rows(GOOD / "claims.csv") if r["quote"]]
    assert quotes
    for row in quotes:
        excerpt = GOOD / "seeds" / sources[row["source_id"]]["excerpt"]
        body = normalise_quote(excerpt_body(excerpt.read_text(encoding="utf-8")))
        assert quote_in(row["quote"], body), row["claim_id"]
        assert not quote_in(row["quote"] + " and more", body), row["claim_id"]
