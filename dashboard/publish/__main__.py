"""python -m dashboard.publish [--out DIR] [--base-url URL] [--data DIR]

Exit 0 when the site was written, 1 when the dataset does not validate (the validator's messages, nothing
written) or a file cannot be written, 2 on bad usage, 130 when interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard import cli, settings
from dashboard.data import paths
from dashboard.present.export import ExportUnavailable
from dashboard.publish import build, views


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m dashboard.publish", description="Build the static, versioned Shell Count site.")
    parser.add_argument("--out", default="site", help="folder to write (default: site/); older versions in it are kept")
    parser.add_argument(
        "--base-url",
        default=None,
        help=f"public address the site will live at, e.g. https://example.org/shellcount/ (default: ${settings.SITE_URL.name}; "
        "without one, links stay relative and the sitemap, feed and previews use root-relative paths)",
    )
    parser.add_argument("--data", default=None, help=cli.DATA_DIR_HELP)
    args = parser.parse_args(argv)
    base_url = args.base_url if args.base_url is not None else settings.SITE_URL.get()
    if base_url and not base_url.startswith(("https://", "http://")):
        parser.error("--base-url must start with https:// or http://")
    folder = paths.data_dir(args.data)
    if not folder.is_dir():
        print(f"error: dataset folder {folder} does not exist; nothing was written", file=sys.stderr)
        return cli.EXIT_USAGE
    progress = build.Progress()
    try:
        data, problems = views.load(folder)
        if data is None:
            for problem in problems:
                print(problem)
            print(f"{len(problems)} problem(s): the dataset does not validate; nothing was written.", file=sys.stderr)
            return cli.EXIT_PROBLEMS
        progress.stage(f"validated and loaded {folder} (data v{data.version}, {len(data.claims)} claims)")
        out = Path(args.out)
        # Views earlier releases published, read from the site being updated: their latest/ pages must not die.
        site = build.build_site(
            data, folder, base_url, progress, earlier=build.earlier_views(out), app_url=settings.PUBLIC_URL.get()
        )
        written = build.write(site, out)
        progress.stage(f"wrote {written} changed of {len(site.files)} files to {args.out}/")
    except ExportUnavailable as exc:  # no Chromium: the images cannot be made, so no site is written
        print(f"error: {exc} Nothing was written.", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        print(
            f"error: the build failed unexpectedly ({exc.__class__.__name__}: {exc}); please report it", file=sys.stderr
        )
        return cli.EXIT_PROBLEMS
    print(f"publish: done in {progress.total:.1f} s", file=sys.stderr)
    return cli.EXIT_OK


if __name__ == "__main__":
    cli.run(main)  # Ctrl-C: exit 130 with one line
