#!/usr/bin/env bash
# The README's second command: lint, type-check, and the whole suite on SQLite, then again on a
# throwaway PostgreSQL 15 cluster (and Debian's Chromium for the browser tests).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check . || status=1
step "mypy"
$BIN/mypy || status=1

bash scripts/ensure-system-deps.sh || true

run_pytest() {
  # pytest exits 5 when it collects no test; that is a failure of the suite, not a pass.
  $BIN/pytest -q -p no:cacheprovider "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then echo "pytest collected no tests"; return 1; fi
  return "$rc"
}

step "pytest on SQLite"
run_pytest -n 2 --dist loadgroup || status=1

step "pytest on PostgreSQL 15"
if pg_url=$(bash scripts/start-postgres.sh); then
  TIPLINE_TEST_DATABASE_URL="$pg_url" run_pytest -n 2 --dist loadgroup -m "not browser" || status=1
  bash scripts/stop-postgres.sh
else
  echo "PostgreSQL could not be started: see the message above"; status=1
fi

exit "$status"
