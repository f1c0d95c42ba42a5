"""`python -m dashboard.release`: the stable command name; the code lives in dashboard/maintain/release.py."""

from dashboard import cli
from dashboard.maintain.release import main

if __name__ == "__main__":
    cli.run(main)
