"""The static, versioned copy of every baked view: `python -m dashboard.publish [--out DIR] [--base-url URL]`.

views.py is the only module here that imports the app's models (through the registry); urls.py holds the pure URL
functions the live app uses for "Embed" and the stable data URL; build.py makes the site in memory and writes it;
render.py and templates/ turn every page, the feed and the sitemap into text (Jinja2, autoescaped).
"""
