"""Repository-anchored paths, so the app, the CLI and the tests find the data wherever they start."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard import settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # dashboard/
REPO_ROOT = PACKAGE_DIR.parent
DEFAULT_DATA_DIR = REPO_ROOT / "datasets"
SEEDS_DIR = REPO_ROOT / "seeds"
DOCS_DIR = REPO_ROOT / "docs"
CONTENT_DIR = PACKAGE_DIR / "content"
STATIC_DIR = PACKAGE_DIR / "static"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The dataset folder: an explicit argument, else $DASHBOARD_DATA_DIR, else datasets/."""
    if explicit:
        return Path(explicit)
    env = settings.DATA_DIR.get()
    return Path(env) if env else DEFAULT_DATA_DIR


def seeds_dir(data: Path) -> Path:
    """Where excerpts live for a given dataset folder.

    A dataset folder may carry its own `seeds/` (test fixtures and broken copies do, so they stay
    self-contained); the live dataset uses the repository's `seeds/`. $DASHBOARD_SEEDS_DIR wins.
    """
    env = settings.SEEDS_DIR.get()
    if env:
        return Path(env)
    own = data / "seeds"
    if own.is_dir():
        return own
    sibling = data.parent / "seeds"
    if sibling.is_dir():
        return sibling
    return SEEDS_DIR
