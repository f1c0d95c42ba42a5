"""Shell Count: a source-first dashboard of reported and claimed artillery-ammunition output.

The package splits into a UI-free core (paths, schema, validate, load, normalize, compare, charts,
export, state, rows) and the Streamlit edge (app.py, ui.py, pages/). Nothing in the core imports
streamlit, so it can be tested, benchmarked and reused from the command line.
"""
