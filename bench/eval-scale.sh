#!/usr/bin/env bash
# Evaluation at scale (issue 14): `promptctl eval` side by side with a bare libcurl multi client
# (bench/reference/curl-multi.c) making the same requests to the same 50 ms stub, in one script.
#   bash bench/eval-scale.sh                       2,000 and 100,000 cases
#   BENCH_SIZES="2000" bash bench/eval-scale.sh    only some sizes
# For each size: the reference client's wall time; promptctl's wall time (process start to the last report), peak
# RSS, report.html size and its load time in headless Chromium; for 2,000 cases also a fully cached re-run.
# Guards on, both rubrics, concurrency 64. Figures go to bench/out/eval-scale.jsonl.
# The build lock is held for the whole script so that nobody compiles while it measures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
sizes="${BENCH_SIZES:-2000 100000}"
# Chromium (the report's load time) comes with the tests' packages; on a fresh machine it is installed here.
scripts/setup.sh --test >/dev/null
exec 9>/tmp/promptctl-build.lock
flock 9
for product in promptctl promptctl-stub; do
  swift build -c release --product "$product" 2>&1 | tail -n 1
done
bin="$(swift build -c release --show-bin-path)"
cc -O2 -o "$out/curl-multi" bench/reference/curl-multi.c -lcurl

port=$((18900 + RANDOM % 500))
"$bin/promptctl-stub" --port "$port" --latency 0.05 >"$out/stub.url" &
stub=$!
project="$(mktemp -d)"
trap 'kill $stub 2>/dev/null || true; rm -rf "$project"' EXIT
for _ in $(seq 1 50); do [ -s "$out/stub.url" ] && break; sleep 0.1; done
url="$(cat "$out/stub.url")"
echo "stub: $url (50 ms per answer)"

cp -r promptctl.yaml prices.yaml prompts rubrics guards "$project/"
mkdir -p "$project/eval-suites"
python3 bench/scale-project.py "$project" "$url"
# One recorded exchange gives the exact request promptctl sends; the reference sends the same for every case.
"$bin/promptctl" eval scale --project "$project" --no-cache --db "$project/probe.sqlite" --reports "$project/probe" \
  --record "$project/probe.jsonl" >/dev/null 2>&1 || true

for n in $sizes; do
  python3 - "$project" "$n" <<'PY'
import csv, json, sys
project, n = sys.argv[1], int(sys.argv[2])
request = json.loads(open(f"{project}/probe.jsonl").readline())["request"]
topics = ["azia", "enjoo", "dor nas costas", "inchaço nos pés", "cansaço", "insônia", "câimbras", "prisão de ventre"]
# The same cases as bench/scale-project.py writes, with the exact request body the reference client sends for each.
with open(f"{project}/eval-suites/cases.csv", "w", newline="") as cases, open(f"{project}/bodies.jsonl", "w") as bodies:
    w = csv.writer(cases)
    w.writerow(["id", "language", "user_message"])
    for i in range(n):
        message = f"Pergunta {i}: estou com {topics[i % len(topics)]} na gravidez, o que faço?"
        w.writerow([f"case-{i}", "pt-BR", message])
        messages = [dict(m) for m in request["messages"]]
        messages[-1]["content"] = message
        body = {"model": "gpt-4o-mini", "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
                "temperature": request.get("temperature"), "max_tokens": request.get("maxTokens")}
        bodies.write(json.dumps(body, ensure_ascii=False) + "\n")
PY
  echo "== $n cases at concurrency 64: reference client, then promptctl eval (guards on, both rubrics)"
  "$out/curl-multi" "$url/v1/chat/completions" "$project/bodies.jsonl" 64 >"$out/reference-$n.json"
  rm -rf "$project/store.sqlite"* "$project/reports"
  start=$(date +%s.%N)
  /usr/bin/env time -f "%M" -o "$out/eval-$n.rss" "$bin/promptctl" eval scale --project "$project" --no-cache \
    --db "$project/store.sqlite" --reports "$project/reports" --format json >"$out/eval-$n.json" 2>"$out/eval-$n.stderr" || true
  end=$(date +%s.%N)
  echo "$start $end" >"$out/eval-$n.seconds"
  run_dir="$(ls -d "$project"/reports/*/ | head -n 1)"
  cached=""
  if [ "$n" -le 2000 ]; then
    # Fill the cache with one run that may use it, then time a run that is answered entirely from it.
    "$bin/promptctl" eval scale --project "$project" --db "$project/store.sqlite" --reports "$project/reports" >/dev/null 2>&1 || true
    start=$(date +%s.%N)
    "$bin/promptctl" eval scale --project "$project" --db "$project/store.sqlite" --reports "$project/reports" \
      --format json >"$out/cached-$n.json" 2>/dev/null || true
    end=$(date +%s.%N)
    cached="$start $end"
  fi
  python3 Tests/PromptctlTests/Fixtures/browser.py "file://${run_dir}report.html" \
    "JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())" >"$out/load-$n.json" 2>"$out/load-$n.stderr" || {
    echo "warning: headless Chromium did not load the report (html_load_ms_chromium is null): $(tail -n 1 "$out/load-$n.stderr")" >&2
    echo '{}' >"$out/load-$n.json"
  }
  python3 - "$out" "$n" "$run_dir" "$cached" "$out/load-$n.json" <<'PY' | tee -a "$out/eval-scale.jsonl"
import json, os, sys
out, n, run_dir, cached, load = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
reference = json.load(open(f"{out}/reference-{n}.json"))
start, end = map(float, open(f"{out}/eval-{n}.seconds").read().split())
summary = json.load(open(f"{out}/eval-{n}.json"))[0]
rss = int(open(f"{out}/eval-{n}.rss").read().split()[-1]) / 1024
try:
    navigation = json.loads(json.load(open(load))["result"])
    load_ms = navigation["loadEventEnd"]
except Exception:
    load_ms = None
result = {"cases": n, "reference_seconds": reference["seconds"], "reference_ok": reference["ok"],
          "promptctl_seconds": round(end - start, 3), "ratio_to_reference": round(reference["seconds"] / (end - start), 4),
          "items": summary["totalItems"], "errors": summary["errorItems"], "peak_rss_mb": round(rss, 1),
          "report_html_mb": round(os.path.getsize(f"{run_dir}report.html") / 1e6, 3),
          "report_json_mb": round(os.path.getsize(f"{run_dir}report.json") / 1e6, 3),
          "results_jsonl_mb": round(os.path.getsize(f"{run_dir}results.jsonl") / 1e6, 1),
          "html_load_ms_chromium": load_ms}
if cached:
    s, e = map(float, cached.split())
    result["cached_rerun_seconds"] = round(e - s, 3)
print(json.dumps(result))
PY
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
