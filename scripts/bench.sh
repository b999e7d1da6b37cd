#!/usr/bin/env bash
# Full-build benchmark against Hugo and a copy floor; see scripts/bench.py.
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
