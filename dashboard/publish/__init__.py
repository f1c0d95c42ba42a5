"""The static, versioned copy of every canonical view: `python -m dashboard.publish [--out DIR] [--base-url URL]`.

views.py is the only module here that imports the app; urls.py holds the pure URL functions the live app
uses for "Embed" and the stable data URL; build.py makes the site; pages.py and feed.py write HTML and Atom.
"""
