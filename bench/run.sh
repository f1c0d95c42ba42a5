#!/usr/bin/env bash
# Run every benchmark and print the table (see bench/RESULTS.md). Options: bench/run.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.run "$@"
