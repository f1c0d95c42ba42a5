"""`python -m dashboard.correct_row`: the stable command name; the code lives in dashboard/maintain/correct_row.py."""

from dashboard import cli
from dashboard.maintain.correct_row import main

if __name__ == "__main__":
    cli.run(main)
