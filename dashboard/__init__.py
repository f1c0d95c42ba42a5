"""Shell Count: a source-first dashboard of reported and claimed artillery-ammunition output.

Layers, each importing only those below it: data/ (paths, the schema, CSV reading, validate, load,
normalize) → analysis/ (claim check, targets, filters) → present/ (charts, captions, view models,
exports, URL state) → maintain/ (safe dataset edits) and web/ (the Streamlit edge: ui and one thin file
per page). Nothing below web/ imports streamlit. See docs/ARCHITECTURE.md.
"""
