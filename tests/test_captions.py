"""Sentences and tables for readers: no claim ids, no brackets inside brackets, blank cells blank."""

import re

import pandas as pd

from dashboard.analysis import claim_check
from dashboard.data.load import load_dataset
from dashboard.present import captions


def live():
    claims = load_dataset().dataset.claims
    return claims, claim_check.headline_claims(claims), claim_check.claim_vs_estimates(claims)


def nested_parentheses(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 1:
            return True
    return False


def test_summary_and_key_figure_carry_no_ids_and_no_nested_parentheses():
    claims, ratio_claims, comparisons = live()
    ids = set(claims["claim_id"])
    summary = captions.ratio_summary(ratio_claims, comparisons)
    estimate_help = captions.key_figures(ratio_claims, claim_check.estimate_years(claims))[-1][2]
    for text in (summary, estimate_help):
        assert not any(i in text for i in ids), text
        assert not nested_parentheses(text), text
    assert "6 November 2025" in summary and "2.3× to 3.5× for 2024" in summary
    assert "Sources: " in estimate_help and re.search(r"\w, \d{1,2} \w{3} 20\d\d", estimate_help)


def test_claim_check_table_names_sources_and_hides_ids():
    claims, _, comparisons = live()
    table = captions.comparison_table(comparisons)
    assert "id" not in table.columns and "rows used" not in table.columns
    ids = set(claims["claim_id"])
    for column in table.columns:
        assert not table[column].astype(str).isin(ids).any(), column
    assert not table["estimates used"].str.contains("|".join(map(re.escape, ids))).any()
    assert table["source"].str.startswith("https://").all()
    assert "Estonian Defence Ministry official (via The New York Times)" in set(table["speaker"])


def test_missing_text_is_blank_and_numbers_keep_their_type():
    frame = pd.DataFrame({"who": ["a", None], "n": [1.0, None], "s": pd.array(["x", None], dtype="string")})
    out = captions.blank_missing(frame)
    assert out["who"].tolist() == ["a", ""] and out["s"].tolist() == ["x", ""]
    assert out["n"].dtype.kind == "f"
    assert frame["who"].isna().sum() == 1  # the input is not changed


def test_changelog_markdown_keeps_links_and_lists_but_not_directives():
    text = "- Fixed [semver](https://semver.org) :red[red] :material/home: $x^2$ 10:30 a:b"
    out = captions.inert_markdown(text)
    assert out.startswith("- Fixed [semver](https://semver.org) ")
    assert r"\:red[red]" in out and r"\:material/home:" in out and r"\$x^2\$" in out
    assert "10:30 a:b" in out
