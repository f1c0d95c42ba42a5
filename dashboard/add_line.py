"""`python -m dashboard.add_line`: the stable command name; the code lives in dashboard/maintain/add_line.py."""

from dashboard import cli
from dashboard.maintain.add_line import main

if __name__ == "__main__":
    cli.run(main)
