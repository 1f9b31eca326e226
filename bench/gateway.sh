#!/usr/bin/env bash
# promptctl serve against the same requests sent straight to the stub, side by side: 2,000 requests at concurrency
# 64 on the 50 ms stub with the guards on (input and output, builtin moderation), added latency at concurrency 1,
# peak RSS of the server and the time until it answers /healthz. Release builds.
#   bash bench/gateway.sh          figures printed and written to bench/out/gateway.json
# LiteLLM's proxy is not measured yet (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
for product in promptctl promptctl-bench promptctl-stub; do
  swift build -c release --product "$product" 2>&1 | tail -n 1
done
bin="$(swift build -c release --show-bin-path)"
requests="${BENCH_REQUESTS:-2000}"

port=$((18400 + RANDOM % 500))
"$bin/promptctl-stub" --port "$port" --latency 0.05 >"$out/stub.url" &
stub=$!
project="$(mktemp -d)"
trap 'kill $stub ${serve:-} 2>/dev/null || true; rm -rf "$project"' EXIT
for _ in $(seq 1 50); do [ -s "$out/stub.url" ] && break; sleep 0.1; done
url="$(cat "$out/stub.url")"
cp -r promptctl.yaml prices.yaml prompts guards "$project/"
python3 - "$project" "$url" <<'PY'
import sys
project, url = sys.argv[1], sys.argv[2]
config = open(f"{project}/promptctl.yaml").read().replace(
    "providers:\n",
    f"providers:\n  bench:\n    type: openai\n    base_url: {url}/v1\n    model: gpt-4o-mini\n    max_concurrency: 128\n    max_attempts: 1\n", 1)
open(f"{project}/promptctl.yaml", "w").write(config)
PY
export PROMPTCTL_PSEUDONYM_KEY=bench-pseudonym-key-0123456789
export PROMPTCTL_GATEWAY_KEY="$("$bin/promptctl" serve keys add bench --project "$project" --db "$project/store.sqlite" 2>/dev/null)"
gport=$((port + 1))
start=$(date +%s.%N)
"$bin/promptctl" serve --project "$project" --db "$project/store.sqlite" --provider bench --port "$gport" \
  >"$out/serve.log" 2>&1 &
serve=$!
until curl -sf "http://127.0.0.1:$gport/healthz" >/dev/null; do sleep 0.005; done
ready=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 3))" "$start" "$(date +%s.%N)")
gateway="http://127.0.0.1:$gport"
model=gestante-acolhimento@production

echo "== direct to the stub and through promptctl serve: $requests requests at concurrency 64, then 300 at concurrency 1"
"$bin/promptctl-bench" transport --url "$url" --requests "$requests" --concurrency 64 >"$out/gw-direct-64.json"
"$bin/promptctl-bench" transport --url "$gateway" --model "$model" --api-key-env PROMPTCTL_GATEWAY_KEY \
  --requests "$requests" --concurrency 64 >"$out/gw-serve-64.json"
"$bin/promptctl-bench" transport --url "$url" --requests 300 --concurrency 1 >"$out/gw-direct-1.json"
"$bin/promptctl-bench" transport --url "$gateway" --model "$model" --api-key-env PROMPTCTL_GATEWAY_KEY \
  --requests 300 --concurrency 1 >"$out/gw-serve-1.json"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from production_message\").fetchone()[0])" "$project/store.sqlite")
kill -TERM "$serve"; wait "$serve" || true; serve=
python3 - "$out" "$ready" "$rss" "$stored" "$requests" <<'PY' | tee "$out/gateway.json"
import json, sys
out, ready, rss, stored, requests = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
load = lambda name: json.load(open(f"{out}/gw-{name}.json"))
d64, s64, d1, s1 = load("direct-64"), load("serve-64"), load("direct-1"), load("serve-1")
print(json.dumps({
    "requests": requests, "succeeded_direct": d64["succeeded"], "succeeded_serve": s64["succeeded"],
    "exchanges_stored": stored,
    "direct_requests_per_second": round(d64["requests_per_second"], 1),
    "serve_requests_per_second": round(s64["requests_per_second"], 1),
    "throughput_ratio": round(s64["requests_per_second"] / d64["requests_per_second"], 3),
    "added_latency_c1_p50_ms": round(s1["added_latency_p50_ms"] - d1["added_latency_p50_ms"], 2),
    "added_latency_c1_p99_ms": round(s1["added_latency_p99_ms"] - d1["added_latency_p99_ms"], 2),
    "added_latency_c64_p50_ms": round(s64["added_latency_p50_ms"] - d64["added_latency_p50_ms"], 2),
    "serve_peak_rss_mb": round(rss / 1024, 1), "ready_seconds": ready,
}, indent=2))
PY
