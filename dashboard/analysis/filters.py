"""Apply a view state to the claims table: the one place filters are defined, for every page."""

from __future__ import annotations

import pandas as pd

from dashboard.present.url_state import ViewState

# View field → claims column it filters.
LIST_FILTERS = {"subject": "subject", "measure": "measure", "caliber": "caliber", "basis": "basis",
                "grade": "grade", "side": "speaker_side"}  # fmt: skip
SEARCH_COLUMNS = ("claim_id", "speaker", "speaker_role", "subject", "quote", "interpretation", "notes", "publisher",
                  "original_publisher", "source_title")  # fmt: skip


def apply(claims: pd.DataFrame, view: ViewState, fields: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows matching every set filter of the view (an empty selection means no filter)."""
    mask = pd.Series(True, index=claims.index)
    for name, column in LIST_FILTERS.items():
        chosen = getattr(view, name)
        if chosen and (fields is None or name in fields):
            mask &= claims[column].isin(chosen)
    if view.start and (fields is None or "start" in fields):
        mask &= claims["stated_on"] >= pd.Timestamp(view.start)
    if view.end and (fields is None or "end" in fields):
        mask &= claims["stated_on"] <= pd.Timestamp(view.end)
    if view.q and (fields is None or "q" in fields):
        mask &= search_mask(claims, view.q)
    return claims[mask]


def search_mask(claims: pd.DataFrame, text: str) -> pd.Series:
    """Case-insensitive plain-text search (never a regex: visitors' text is not code) over free-text columns."""
    needle = text.strip().lower()
    if not needle:
        return pd.Series(True, index=claims.index)
    mask = pd.Series(False, index=claims.index)
    for column in SEARCH_COLUMNS:
        if column in claims:
            mask |= claims[column].fillna("").str.lower().str.contains(needle, regex=False)
    return mask
