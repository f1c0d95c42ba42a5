"""Overview: the claimed Russia : NATO output ratio over time, next to what the estimates imply."""

import streamlit as st

from dashboard import charts, compare, describe, ui

data = ui.dataset()
link = ui.sync_url(ui.current_state("overview", []), [])

# 1. Framing
st.title("Shell Count")
st.markdown(
    "How much artillery ammunition do Russia and NATO make? In July 2025 NATO's Secretary General said Russia "
    "was producing *three times as much ammunition in three months as the whole of NATO is doing in a year*; "
    "on 6 November 2025 he said *Until recently, Russia was producing more ammunition than all NATO Allies put "
    "together. But not anymore.* Here are those claims beside every estimate we could source. Judge for yourself."
)

# 2. Data
ratio_claims = compare.headline_claims(data.claims)
comparisons = compare.claim_vs_estimates(data.claims)
comparisons = comparisons[comparisons["claim_id"].isin(ratio_claims["claim_id"])]
estimates = compare.estimate_years(data.claims)

# 3. Key figures
for column, (label, value, help_text) in zip(
    st.columns(3), describe.key_figures(ratio_claims, estimates), strict=False
):
    column.metric(ui.md_escape(label), value, help=ui.md_escape(help_text), border=True)

# 4. The headline chart and its text alternative
title = "Claimed ratio of Russia's ammunition output to NATO's"
text = ui.chart_text(
    data,
    title,
    "Each point a statement (bars: ranges; arrows: open bounds); grey bands: ratio implied by output estimates",
    link,
)
fig = charts.ratio_timeline_figure(ratio_claims, estimates, text)
ui.show_chart(fig, "overview_chart")
ui.text_alternative(describe.ratio_summary(ratio_claims, comparisons), describe.display_table(ratio_claims))

# 5. Claim check
st.subheader("Claim check: each claim against the estimates current at its date")
st.caption(
    "Russia's annual output (intelligence and independent estimates) ÷ US and European output of the same year, "
    "using only rows published by the claim's date. Capacity and targets never count. See Method & sources."
)
st.dataframe(describe.comparison_table(comparisons), hide_index=True, width="stretch")

# 6. Downloads and footer
ui.downloads(data, fig, describe.display_table(ratio_claims), "overview-ratio", title, link)
ui.footer(data)
