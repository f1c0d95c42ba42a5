"""Shell Count benchmarks: `bench/run.sh` (or `.venv/bin/python -m bench.run`). Never part of the test suite."""
