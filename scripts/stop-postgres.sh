#!/usr/bin/env bash
set -uo pipefail
dir=$(cat /tmp/tipline-pg.current 2>/dev/null) || exit 0
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
"${as_pg[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$dir" /tmp/tipline-pg.current
