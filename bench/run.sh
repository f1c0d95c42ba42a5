#!/usr/bin/env bash
# Set up what the benchmarks need (first run only: the dev packages, Playwright among them, and Debian's Chromium
# and HAProxy, as scripts/run-tests does), then run every benchmark and print the table (see bench/RESULTS.md).
# Options: bench/run.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup dev
exec .venv/bin/python -m bench.run "$@"
