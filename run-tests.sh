#!/usr/bin/env bash
# Set up everything (system packages, .venv) and run the whole test suite, lint included.
# Extra arguments go to pytest, e.g. ./run-tests.sh -k import
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
