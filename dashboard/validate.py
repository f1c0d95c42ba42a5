"""`python -m dashboard.validate`: the stable command name; the code lives in dashboard/data/validate.py."""

import gc

from dashboard import cli
from dashboard.data.validate import main

if __name__ == "__main__":
    # A command-line run is its own short process: reading 100,000 rows allocates millions of lists and dicts,
    # none in a cycle, and each burst makes the cyclic collector rescan the growing heap (~25% of the run).
    # Switched off here, at this process's start, never inside the library (the app and the tests share theirs).
    gc.disable()
    cli.run(main)
