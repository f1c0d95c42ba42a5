"""`python -m dashboard.add_row`: the stable command name; the code lives in dashboard/maintain/add_row.py."""

from dashboard import cli
from dashboard.maintain.add_row import main

if __name__ == "__main__":
    cli.run(main)
