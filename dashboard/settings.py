"""Every environment variable Shell Count reads, declared once with its default and what it does.

This is the only module that reads the environment; everything else asks a setting here for its value.
The README's settings table is generated from SETTINGS (a test keeps the two in step). No imports from the
rest of the package, so every layer can use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    used_by: str  # who reads it: app, commands, tests, bench, cluster
    aliases: tuple[str, ...] = ()  # older names still honoured, after `name`

    def get(self, environ: Mapping[str, str] | None = None) -> str:
        """The value set in the environment (surrounding spaces removed), else the default."""
        env = os.environ if environ is None else environ
        for name in (self.name, *self.aliases):
            value = env.get(name, "").strip()
            if value:
                return value
        return self.default

    def is_on(self, environ: Mapping[str, str] | None = None) -> bool:
        return self.get(environ) == "1"


DATA_DIR = Setting(
    "DASHBOARD_DATA_DIR", "", "the dataset folder the app, the validator and the publisher read (default: datasets/)",
    "app, commands",
)  # fmt: skip
SEEDS_DIR = Setting(
    "DASHBOARD_SEEDS_DIR", "", "where the excerpts live (default: the dataset's own seeds/, else the repository's)",
    "app, commands",
)  # fmt: skip
PUBLIC_URL = Setting(
    "SHELLCOUNT_PUBLIC_URL", "", "the live app's public address, drawn into permalinks (default: the browser's URL)",
    "app",
)  # fmt: skip
SITE_URL = Setting(
    "SHELLCOUNT_SITE_URL", "",
    "where the static copy is served: the publisher's default --base-url, and the app then offers embeds of it",
    "app, commands",
)  # fmt: skip
CHROMIUM = Setting(
    "SHELLCOUNT_CHROMIUM", "", "the Chromium binary for PNG/SVG export and browser tests (default: chromium on PATH)",
    "app, commands, tests, bench", aliases=("BROWSER_PATH",),
)  # fmt: skip
REQUIRE_BROWSER = Setting(
    "SHELLCOUNT_REQUIRE_BROWSER", "", "1: browser and cluster tests fail instead of skipping when Chromium or "
    "HAProxy is missing (CI sets it)", "tests",
)  # fmt: skip
PORT = Setting("PORT", "8501", "the port scripts/run-cluster serves on", "cluster")
COOKIE_SECRET = Setting(
    "STREAMLIT_SERVER_COOKIE_SECRET", "", "Streamlit's cookie secret; scripts/run-cluster gives all its replicas this "
    "one (default: a random one per cluster), so a cookie signed by one replica is valid on the others", "cluster",
)  # fmt: skip
LOADTEST_THINK = Setting(
    "LOADTEST_THINK", "3,8", "a load-test visitor's think time between actions, min,max seconds", "bench"
)

# Every Setting declared above, in order: a new one is in the table (and the README's) without a second edit.
SETTINGS = tuple(value for value in dict(globals()).values() if isinstance(value, Setting))


def environment_without(*settings: Setting, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment without these settings (and their aliases): for a child process that must
    not inherit them, e.g. a validator run on an explicit folder."""
    names = {n for s in settings for n in (s.name, *s.aliases)}
    return {k: v for k, v in (os.environ if environ is None else environ).items() if k not in names}


def markdown_table() -> str:
    """The README's table of settings."""
    rows = ["| variable | default | used by | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        name = f"`{s.name}`" + "".join(f" (or `{a}`)" for a in s.aliases)
        rows.append(f"| {name} | {f'`{s.default}`' if s.default else '—'} | {s.used_by} | {s.help} |")
    return "\n".join(rows)
