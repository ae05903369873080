#!/usr/bin/env bash
# The README's first command: the main job on the embedded default (SQLite under ./var).
set -euo pipefail
cd "$(dirname "$0")/.."
export TIPLINE_DATA_DIR="${TIPLINE_DATA_DIR:-./var}"
exec .venv/bin/tipline serve --demo
