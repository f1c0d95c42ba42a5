"""`python -m dashboard.validate`: the stable command name; the code lives in dashboard/data/validate.py."""

import sys

from dashboard.data.validate import main

if __name__ == "__main__":
    sys.exit(main())
