#!/usr/bin/env bash
# Starts a streaming replica (hot standby) of a PostgreSQL 15 primary on a free loopback port.
#
#   scripts/start-replica.sh postgresql+psycopg://postgres@127.0.0.1:5432/tipline
#
# PostgreSQL's own replication: pg_basebackup -R copies the primary (which needs wal_level
# replica, PostgreSQL's default, and a `replication` line in pg_hba.conf for 127.0.0.1) and writes
# standby.signal and primary_conninfo; the copy then starts as a read-only hot standby that
# streams the primary's WAL. Prints two lines: the replica's URL (the primary's, on the replica's
# port: set it as TIPLINE_REPLICA_URL) and its folder (give it to scripts/stop-replica.sh).
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/pg_basebackup" ] || { echo "no PostgreSQL 15 at $PGBIN" >&2; exit 1; }
primary=${1:?usage: start-replica.sh PRIMARY_URL}
read -r host port user database < <(python3 - "$primary" <<'EOF'
import sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
print(url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres", url.path.lstrip("/"))
EOF
)
dir=$(mktemp -d /tmp/tipline-replica.XXXXXX)
replica_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; as_pg=(runuser -u postgres --); fi
# A hot standby refuses to start with fewer of these than its primary has (set on the primary's
# command line, they are not in the copied postgresql.conf).
options="-p $replica_port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on"
for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
  max_locks_per_transaction; do
  value=$("$PGBIN/psql" -h "$host" -p "$port" -U "$user" -d "$database" -Atc "SHOW $name")
  options+=" -c $name=$value"
done
# A throwaway replica on loopback (tests, a demo), like scripts/start-postgres.sh's primary: no
# fsync of the copy (--no-sync, fsync=off). A real one keeps both (docs/scaling.md).
# -X stream: the WAL written during the copy comes along, so the standby starts consistent.
"${as_pg[@]}" "$PGBIN/pg_basebackup" -h "$host" -p "$port" -U "$user" -D "$dir/data" \
  -R -X stream -c fast --no-sync >"$dir/basebackup.log" 2>&1 \
  || { cat "$dir/basebackup.log" >&2; rm -rf "$dir"; exit 1; }
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options -c fsync=off" \
  -w start >/dev/null || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
echo "postgresql+psycopg://$user@127.0.0.1:$replica_port/$database"
echo "$dir"
