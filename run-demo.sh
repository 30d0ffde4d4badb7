#!/usr/bin/env bash
# Set up everything, build the demo project (once) and open it in the KetQual app.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh app
if [ ! -f demo.ketqual ]; then
  .venv/bin/python -m ketqual demo demo.ketqual
fi
exec .venv/bin/python -m ketqual gui demo.ketqual "$@"
