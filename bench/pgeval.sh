#!/usr/bin/env bash
# A 10,000-case `promptctl eval` at concurrency 64 on the 50 ms stub (guards on, both rubrics, --no-cache), with its
# results stored in SQLite and in PostgreSQL, run alternately on the same machine (issue 15: PostgreSQL within 5% of
# SQLite). Each engine's wall time is the median of the runs.
# Then 4 `eval --shard I/4` processes at once write the same PostgreSQL store (issue 15: 4 concurrent evals of 2,500
# cases each), and their results are counted from the store: every case exactly once.
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

echo "== 4 shard processes at once on PostgreSQL"
shards=()
for shard in 1 2 3 4; do
  "$bin" eval scale --project "$project" --no-cache --db "$url" --reports "$project/shards" --run-id concurrent \
    --shard "$shard/4" >/dev/null 2>"$out/pgeval-shard-$shard.stderr" &
  shards+=($!)
done
wait "${shards[@]}"  # the shards only: the stub runs until the end
for shard in 1 2 3 4; do
  "$bin" report "concurrent-shard-$shard-of-4" --print results --db "$url" --project "$project"
done | python3 -c '
import json, sys
cases = [json.loads(line)["item"]["caseID"] for line in sys.stdin if line.strip()]
print(json.dumps({"shards": 4, "results": len(cases), "distinct_cases": len(set(cases)), "expected": '"$count"',
                  "every_case_once": len(cases) == len(set(cases)) == '"$count"'}))'
