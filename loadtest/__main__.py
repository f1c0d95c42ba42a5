from dashboard import cli
from loadtest.run import main

cli.run(main)
