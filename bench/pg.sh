# Sourced by the PostgreSQL benchmarks after lib.sh: a throwaway PostgreSQL 15 cluster on a free loopback port (as the
# postgres user when run as root), stopped and removed on exit; sets $url (migrated) and $port.
pgbin=/usr/lib/postgresql/15/bin
cluster="$(mktemp -d /tmp/promptctl-bench-pg.XXXXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$cluster"
echo bench > "$cluster/pw" && chmod 600 "$cluster/pw" && { [ "$(id -u)" = 0 ] && chown postgres "$cluster/pw" || true; }
as_owner "$pgbin/initdb" -D "$cluster/data" -U bench --pwfile="$cluster/pw" -A scram-sha-256 --locale=C >/dev/null
as_owner "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $cluster -c shared_buffers=512MB -c synchronous_commit=off" start >/dev/null
trap 'as_owner "$pgbin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null; rm -rf "$cluster" "$(dirname "$db")"' EXIT
export PGPASSWORD=bench
url="postgresql://bench@127.0.0.1:$port/bench?sslmode=disable"
as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U bench bench
"$bin" store migrate --db "$url" >/dev/null

# on_both_engines NAME COMMAND: times `promptctl COMMAND` on the SQLite store and on PostgreSQL, and compares outputs.
on_both_engines() {
  local name="$1" command="$2" store engine
  for store in "$db" "$url"; do
    engine=$([ "$store" = "$db" ] && echo sqlite || echo postgres)
    /usr/bin/env time -f "%e s, %M KB" -o "$out/$name.time" "$bin" $command --db "$store" >"$out/$name.$engine.out"
    echo "$engine: promptctl $command: $(cat "$out/$name.time")"
  done
  if cmp -s "$out/$name.sqlite.out" "$out/$name.postgres.out"; then
    echo "  same output on both engines"
  else
    echo "  outputs differ:"
    diff "$out/$name.sqlite.out" "$out/$name.postgres.out" | head -n 6 || true
  fi
}
