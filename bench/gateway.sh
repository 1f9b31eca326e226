#!/usr/bin/env bash
# promptctl serve against the same requests sent straight to the stub and through LiteLLM's proxy, side by side:
# 2,000 requests at concurrency 64 on the 50 ms stub with the guards on (input and output, builtin moderation),
# added latency at concurrency 1, CPU time per request, peak RSS of the server and the time until it answers.
# Release builds.
#   bash bench/gateway.sh                   figures printed and written to bench/out/gateway.json
#   BENCH_LITELLM=0 bash bench/gateway.sh   without LiteLLM
# LiteLLM (pinned below) is installed into ~/.cache/promptctl/litellm-venv: one model routed to the same stub, its
# local cost map, no telemetry, no database, one worker and then two.
# nginx (Debian's nginx-light, installed when missing; BENCH_NGINX=0 skips it) is the floor: a reverse proxy in C
# with one worker and upstream keep-alive, doing nothing but forwarding, measured the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
litellm_version=1.108.7
scripts/setup.sh --test >/dev/null
# CPU seconds (user and system) a process and its children have used so far.
cpu_seconds() {
  local total=0 pid
  for pid in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print t + ($12 + $13) / hz}' \
      "/proc/$pid/stat")
  done
  echo "$total"
}
# Peak RSS in kB of a process and its children.
peak_rss_kb() {
  local total=0 pid
  for pid in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
    [ -r "/proc/$pid/status" ] || continue
    total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$pid/status")))
  done
  echo "$total"
}
for product in promptctl promptctl-bench promptctl-stub; do
  swift build -c release --product "$product" 2>&1 | tail -n 1
done
bin="$(swift build -c release --show-bin-path)"
requests="${BENCH_REQUESTS:-2000}"

port=$((18400 + RANDOM % 500))
"$bin/promptctl-stub" --port "$port" --latency 0.05 >"$out/stub.url" &
stub=$!
project="$(mktemp -d)"
trap 'kill $stub ${serve:-} ${litellm:-} ${nginx:-} ${forward:-} 2>/dev/null || true; rm -rf "$project"' EXIT
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
cpu_before=$(cpu_seconds "$serve")
"$bin/promptctl-bench" transport --url "$gateway" --model "$model" --api-key-env PROMPTCTL_GATEWAY_KEY \
  --requests "$requests" --concurrency 64 >"$out/gw-serve-64.json"
cpu_serve=$(python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000 / int(sys.argv[3]), 3))" \
  "$cpu_before" "$(cpu_seconds "$serve")" "$requests")
# Concurrency 1, paired: each request through the gateway is followed (or preceded) by one straight to the stub.
"$bin/promptctl-bench" paired --url "$gateway" --baseline-url "$url" --model "$model" \
  --api-key-env PROMPTCTL_GATEWAY_KEY --requests 300 >"$out/gw-serve-1.json"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from production_message\").fetchone()[0])" "$project/store.sqlite")
kill -TERM "$serve"; wait "$serve" || true; serve=

rm -f "$out"/gw-litellm-*.json "$out"/gw-nginx-1.json "$out"/gw-forward-1.json
if [ "${BENCH_NGINX:-1}" != 0 ]; then
  command -v nginx >/dev/null || apt-get install -y -q nginx-light >/dev/null
  nport=$((gport + 3))
  cat >"$project/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $project/nginx.pid;
error_log $project/nginx.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream stub { server 127.0.0.1:$port; keepalive 64; }
  server {
    listen 127.0.0.1:$nport;
    location / { proxy_pass http://stub; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
  nginx -c "$project/nginx.conf" &
  nginx=$!
  until curl -s -o /dev/null "http://127.0.0.1:$nport/"; do sleep 0.01; done
  echo "== nginx (the floor: forwarding only), 300 requests at concurrency 1, paired"
  "$bin/promptctl-bench" paired --url "http://127.0.0.1:$nport" --baseline-url "$url" --requests 300 \
    >"$out/gw-nginx-1.json"
  kill -TERM "$nginx"; wait "$nginx" || true; nginx=
fi
# The floor of promptctl's own stack: Hummingbird forwarding each body unchanged through the libcurl transport (no
# prompt, guard, store or JSON), paired the same way.
fport=$((gport + 4))
"$bin/promptctl-bench" forward --port "$fport" --upstream "$url" >"$out/forward.log" 2>&1 &
forward=$!
until curl -sf "http://127.0.0.1:$fport/healthz" >/dev/null; do sleep 0.01; done
echo "== Hummingbird + libcurl (promptctl's stack, forwarding only), 300 requests at concurrency 1, paired"
"$bin/promptctl-bench" paired --url "http://127.0.0.1:$fport" --baseline-url "$url" --requests 300 \
  >"$out/gw-forward-1.json"
kill -TERM "$forward"; wait "$forward" || true; forward=
if [ "${BENCH_LITELLM:-1}" != 0 ]; then
  venv="${HOME}/.cache/promptctl/litellm-venv"
  if [ "$("$venv/bin/python" -c 'import litellm, importlib.metadata as m; print(m.version("litellm"))' 2>/dev/null)" \
    != "$litellm_version" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "litellm[proxy]==$litellm_version"
  fi
  cat >"$out/litellm.yaml" <<YAML
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: $url/v1
      api_key: sk-stub
litellm_settings:
  telemetry: false
YAML
  export LITELLM_BENCH_KEY="sk-$(openssl rand -hex 32)"
  for workers in 1 2; do
    lport=$((gport + 1))
    start=$(date +%s.%N)
    LITELLM_MASTER_KEY="$LITELLM_BENCH_KEY" LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_TELEMETRY=False \
      "$venv/bin/litellm" --config "$out/litellm.yaml" --host 127.0.0.1 --port "$lport" --num_workers "$workers" \
      >"$out/litellm-$workers.log" 2>&1 &
    litellm=$!
    for _ in $(seq 1 1200); do
      curl -sf "http://127.0.0.1:$lport/health/liveliness" >/dev/null && break
      sleep 0.05
    done
    lready=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 3))" "$start" "$(date +%s.%N)")
    lurl="http://127.0.0.1:$lport"
    echo "== LiteLLM $litellm_version, $workers worker(s): $requests requests at concurrency 64, then 300 at concurrency 1"
    # Warm-up, as the gateway had.
    "$bin/promptctl-bench" transport --url "$lurl" --api-key-env LITELLM_BENCH_KEY --requests 64 --concurrency 64 \
      >/dev/null
    lcpu_before=$(cpu_seconds "$litellm")
    "$bin/promptctl-bench" transport --url "$lurl" --api-key-env LITELLM_BENCH_KEY --requests "$requests" \
      --concurrency 64 >"$out/gw-litellm-$workers-64.json"
    lcpu=$(python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000 / int(sys.argv[3]), 3))" \
      "$lcpu_before" "$(cpu_seconds "$litellm")" "$requests")
    "$bin/promptctl-bench" paired --url "$lurl" --baseline-url "$url" --api-key-env LITELLM_BENCH_KEY --requests 300 \
      >"$out/gw-litellm-$workers-1.json"
    python3 - "$out/gw-litellm-$workers-64.json" "$lready" "$(peak_rss_kb "$litellm")" "$lcpu" <<'PY'
import json, sys
path, ready, rss, cpu = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
figures = json.load(open(path))
figures.update({"ready_seconds": ready, "server_peak_rss_mb": round(rss / 1024, 1), "cpu_ms_per_request": cpu})
json.dump(figures, open(path, "w"))
PY
    kill -TERM "$litellm"; wait "$litellm" || true; litellm=
  done
fi

python3 - "$out" "$ready" "$rss" "$stored" "$requests" "$cpu_serve" <<'PY' | tee "$out/gateway.json"
import json, os, sys
out, ready, rss, stored, requests = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu_serve = float(sys.argv[6])
load = lambda name: json.load(open(f"{out}/gw-{name}.json"))
d64, s64, s1 = load("direct-64"), load("serve-64"), load("serve-1")
floor = "not measured (BENCH_NGINX=0)"
if os.path.exists(f"{out}/gw-nginx-1.json"):
    n1 = load("nginx-1")
    floor = {"added_latency_c1_p50_ms": round(n1["added_over_baseline_p50_ms"], 2),
             "added_latency_c1_p99_ms": round(n1["added_over_baseline_p99_ms"], 2)}
f1 = load("forward-1")
stack_floor = {"added_latency_c1_p50_ms": round(f1["added_over_baseline_p50_ms"], 2),
               "added_latency_c1_p99_ms": round(f1["added_over_baseline_p99_ms"], 2)}
litellm = {}
for workers in (1, 2):
    if not os.path.exists(f"{out}/gw-litellm-{workers}-64.json"):
        continue
    l64, l1 = load(f"litellm-{workers}-64"), load(f"litellm-{workers}-1")
    litellm[f"{workers}_worker" + ("s" if workers > 1 else "")] = {
        "succeeded": l64["succeeded"], "requests_per_second": round(l64["requests_per_second"], 1),
        "throughput_ratio_to_direct": round(l64["requests_per_second"] / d64["requests_per_second"], 3),
        "added_latency_c1_p50_ms": round(l1["added_over_baseline_p50_ms"], 2),
        "added_latency_c1_p99_ms": round(l1["added_over_baseline_p99_ms"], 2),
        "cpu_ms_per_request": l64["cpu_ms_per_request"], "peak_rss_mb": l64["server_peak_rss_mb"],
        "ready_seconds": l64["ready_seconds"],
    }
print(json.dumps({
    "requests": requests, "succeeded_direct": d64["succeeded"], "succeeded_serve": s64["succeeded"],
    "exchanges_stored": stored,
    "direct_requests_per_second": round(d64["requests_per_second"], 1),
    "serve_requests_per_second": round(s64["requests_per_second"], 1),
    "throughput_ratio": round(s64["requests_per_second"] / d64["requests_per_second"], 3),
    "added_latency_c1_p50_ms": round(s1["added_over_baseline_p50_ms"], 2),
    "added_latency_c1_p99_ms": round(s1["added_over_baseline_p99_ms"], 2),
    "added_latency_c1_paired_difference_p50_ms": round(s1["paired_difference_p50_ms"], 2),
    "added_latency_c64_p50_ms": round(s64["added_latency_p50_ms"] - d64["added_latency_p50_ms"], 2),
    "serve_cpu_ms_per_request": cpu_serve,
    "serve_peak_rss_mb": round(rss / 1024, 1), "ready_seconds": ready,
    "nginx_floor": floor,
    "hummingbird_libcurl_floor": stack_floor,
    "litellm": litellm or "not measured (BENCH_LITELLM=0)",
}, indent=2))
PY
