"""One-off profilers, not part of bench/run.sh: python -m bench.profile.page | core | draw_figure."""
