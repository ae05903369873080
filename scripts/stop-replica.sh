#!/usr/bin/env bash
# Stops a replica started by scripts/start-replica.sh and removes its folder (the second line
# start-replica.sh printed).
set -uo pipefail
dir=${1:?usage: stop-replica.sh REPLICA_FOLDER}
case "$dir" in /tmp/tipline-replica.*) ;; *) echo "not a replica folder: $dir" >&2; exit 1 ;; esac
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
"${as_pg[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"
