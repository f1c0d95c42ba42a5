"""One renderer per registry page: dashboard/web/views/<page name>.py defines `render(page, data)`."""

from importlib import import_module

from dashboard.present.registry import PAGES

RENDERERS = {page.name: import_module(f"{__name__}.{page.name}").render for page in PAGES}
