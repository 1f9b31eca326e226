#!/usr/bin/env bash
# A 10,000-case `promptctl eval` at concurrency 64 on the 50 ms stub (guards on, both rubrics, --no-cache), with its
# results stored in SQLite and in PostgreSQL, run alternately on the same machine (issue 15: PostgreSQL within 5% of
# SQLite). Each engine's wall time is the median of the runs.
#   bash bench/pgeval.sh [CASES] [RUNS]     (default 10,000 cases, 3 runs per engine)
count="${1:-10000}"
runs="${2:-3}"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
swift build -c release --product promptctl-stub 2>&1 | tail -n 1
stubport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$(dirname "$bin")/promptctl-stub" --port "$stubport" --latency 0.05 >"$out/pgeval-stub.url" &
stub=$!
trap 'kill $stub 2>/dev/null || true; as_owner "$pgbin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null; rm -rf "$cluster" "$(dirname "$db")"' EXIT
for _ in $(seq 1 50); do [ -s "$out/pgeval-stub.url" ] && break; sleep 0.1; done
project="$(dirname "$db")/project"
mkdir -p "$project/eval-suites"
cp -r promptctl.yaml prices.yaml prompts rubrics guards "$project/"
python3 bench/scale-project.py "$project" "$(cat "$out/pgeval-stub.url")" "$count"
: >"$out/pgeval.times"
for run in $(seq 1 "$runs"); do
  for store in "$db" "$url"; do
    engine=$([ "$store" = "$db" ] && echo sqlite || echo postgres)
    start=$(date +%s.%N)
    "$bin" eval scale --project "$project" --no-cache --db "$store" --reports "$project/reports" --format json \
      >"$out/pgeval.$engine.json" 2>/dev/null || true
    end=$(date +%s.%N)
    echo "$engine $start $end" >>"$out/pgeval.times"
  done
done
python3 - "$out" "$count" <<'PY'
import json, statistics, sys
out, count = sys.argv[1], int(sys.argv[2])
times = {}
for line in open(f"{out}/pgeval.times"):
    engine, start, end = line.split()
    times.setdefault(engine, []).append(float(end) - float(start))
for engine in ("sqlite", "postgres"):
    summary = json.load(open(f"{out}/pgeval.{engine}.json"))[0]
    print(json.dumps({"engine": engine, "cases": count, "items": summary["totalItems"], "errors": summary["errorItems"],
                      "seconds_median": round(statistics.median(times[engine]), 3),
                      "seconds_all_runs": [round(t, 3) for t in times[engine]]}))
ratio = statistics.median(times["postgres"]) / statistics.median(times["sqlite"])
print(json.dumps({"postgres_over_sqlite": round(ratio, 4), "within_5_percent": ratio <= 1.05}))
PY
