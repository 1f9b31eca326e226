#!/usr/bin/env bash
# Benchmarks of the transport, the evaluation runner (side by side with inspect-ai) and the scoring engine.
# Everything runs on 127.0.0.1 against promptctl-stub, which answers after a fixed 50 ms.
#   bash bench/run.sh                  all of them; figures are printed and written to bench/out/
#   bash bench/run.sh transport eval   only those parts (transport, scoring, eval, inspect; inspect needs eval)
# Needs: the Swift toolchain, python3 with venv (inspect-ai is installed into ~/.cache/promptctl/bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
parts="${*:-transport scoring eval inspect}"
wants() { [[ " $parts " == *" $1 "* ]]; }
out=bench/out
mkdir -p "$out"
scripts/setup.sh >/dev/null

for product in promptctl promptctl-bench promptctl-stub; do
  swift build -c release --product "$product" 2>&1 | tail -n 1
done
bin="$(swift build -c release --show-bin-path)"

venv="${HOME}/.cache/promptctl/bench-venv"
if [ ! -x "$venv/bin/inspect" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet inspect-ai openai
fi

port=$((18400 + RANDOM % 500))
"$bin/promptctl-stub" --port "$port" --latency 0.05 >"$out/stub.url" &
stub=$!
trap 'kill $stub 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -s "$out/stub.url" ] && break; sleep 0.1; done
url="$(cat "$out/stub.url")"
echo "stub: $url (50 ms per answer)"

repeats="${BENCH_REPEATS:-3}"  # timed runs of the transport and eval benchmarks; the median is reported

if wants transport; then
  echo "== transport: 2,000 requests at concurrency 64 ($repeats runs, the median run shown)"
  for run in $(seq 1 "$repeats"); do
    "$bin/promptctl-bench" transport --url "$url" --requests 2000 --concurrency 64 --latency 0.05 >"$out/transport-$run.json"
  done
  python3 - "$out" "$repeats" <<'PY' | tee "$out/transport.json"
import json, sys
out, repeats = sys.argv[1], int(sys.argv[2])
runs = sorted((json.load(open(f"{out}/transport-{i}.json")) for i in range(1, repeats + 1)),
              key=lambda r: r["fraction_of_ideal"])
median = dict(runs[len(runs) // 2])
median["fraction_of_ideal_all_runs"] = [round(r["fraction_of_ideal"], 4) for r in runs]
print(json.dumps(median, indent=2, sort_keys=True))
PY
fi

if wants scoring; then
  echo "== scoring: deterministic criteria of both rubrics, one core"
  "$bin/promptctl-bench" score --project . --answers 20000 | tee "$out/scoring.json"
fi

wants eval || wants inspect || exit 0
project="$(mktemp -d)"
cp -r promptctl.yaml prices.yaml prompts rubrics "$project/"
mkdir -p "$project/eval-suites"
python3 - "$project" "$url" <<'PY'
import csv, sys
project, url = sys.argv[1], sys.argv[2]
config = open(f"{project}/promptctl.yaml").read().replace(
    "providers:\n",
    f"providers:\n  bench:\n    type: openai\n    base_url: {url}/v1\n    model: gpt-4o-mini\n    max_concurrency: 64\n    max_attempts: 1\n", 1)
open(f"{project}/promptctl.yaml", "w").write(config)
topics = ["azia", "enjoo", "dor nas costas", "inchaço nos pés", "cansaço", "insônia", "câimbras", "prisão de ventre"]
with open(f"{project}/eval-suites/cases.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "language", "user_message"])
    for i in range(2000):
        w.writerow([f"case-{i}", "pt-BR", f"Pergunta {i}: estou com {topics[i % len(topics)]} na gravidez, o que faço?"])
open(f"{project}/eval-suites/bench.yaml", "w").write(
    "name: bench\nprompts: [gestante-acolhimento@1.1.0]\nproviders: [bench]\nrubrics: [clinical-coherence, friendly-tone]\n"
    "thresholds: {pass_rate: 0.0}\ncases:\n  - file: cases.csv\n")
with open(f"{project}/task.py", "w") as f:
    f.write(
        "from inspect_ai import Task, task\n"
        "from inspect_ai.dataset import MemoryDataset, Sample\n"
        "from inspect_ai.solver import generate, system_message\n"
        "from inspect_ai.scorer import includes\n"
        "import csv\n"
        "@task\n"
        "def bench():\n"
        f"    rows = list(csv.DictReader(open('{project}/eval-suites/cases.csv')))\n"
        "    samples = [Sample(input=r['user_message'], target='192') for r in rows]\n"
        "    return Task(dataset=MemoryDataset(samples), solver=[system_message('Você é uma enfermeira obstétrica acolhedora.'), generate()], scorer=includes())\n")
PY
if wants eval; then
echo "== promptctl eval: 2,000 cases at concurrency 64 ($repeats runs, whole command: start, calls, scoring, store, 4 reports)"
: >"$out/eval-seconds.txt"
for run in $(seq 1 "$repeats"); do
  rm -rf "$project/bench.sqlite"* "$project/reports"
  start=$(date +%s.%N)
  /usr/bin/env time -f "%M" -o "$out/eval.rss" "$bin/promptctl" eval bench --project "$project" --provider bench --no-cache \
    --no-guards --db "$project/bench.sqlite" --reports "$project/reports" --format json >"$out/eval-summary.json" 2>"$out/eval.stderr" || true
  end=$(date +%s.%N)
  echo "$start $end" >>"$out/eval-seconds.txt"
done
python3 - "$out" <<'PY'
import json, sys, statistics
out = sys.argv[1]
seconds = sorted(float(e) - float(s) for s, e in (line.split() for line in open(f"{out}/eval-seconds.txt")))
median = statistics.median(seconds)
ideal = 2000 / 64 * 0.05
summary = json.load(open(f"{out}/eval-summary.json"))[0]
rss = int(open(f"{out}/eval.rss").read().split()[-1]) / 1024
result = {"benchmark": "promptctl eval", "cases": 2000, "items": summary["totalItems"], "errors": summary["errorItems"],
          "seconds": median, "seconds_all_runs": [round(x, 3) for x in seconds], "ideal_seconds": ideal,
          "fraction_of_ideal": ideal / median, "fraction_of_ideal_all_runs": [round(ideal / x, 4) for x in seconds],
          "peak_rss_mb": rss}
json.dump(result, open(f"{out}/eval.json", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
fi

if wants inspect; then
echo "== inspect-ai: the same 2,000 cases on the same stub"
start=$(date +%s.%N)
(cd "$project" && STUB_API_KEY=unused /usr/bin/env time -f "%M" -o "$OLDPWD/$out/inspect.rss" "$venv/bin/inspect" eval task.py \
  --model openai-api/stub/gpt-4o-mini --model-base-url "$url/v1" --max-connections 64 \
  --log-dir "$project/inspect-logs" --display none >"$OLDPWD/$out/inspect.stdout" 2>&1) || { tail -n 20 "$out/inspect.stdout"; }
# Check that inspect really answered every sample (status, sample count, errors) from its own log.
"$venv/bin/python" - "$project/inspect-logs" <<'PY' | tee "$out/inspect-log.json"
import json, sys
from inspect_ai.log import list_eval_logs, read_eval_log
log = read_eval_log(list_eval_logs(sys.argv[1])[0], header_only=True)
print(json.dumps({"status": log.status, "samples": log.results.completed_samples if log.results else 0,
                  "total": log.results.total_samples if log.results else 0,
                  "error": str(log.error) if log.error else None}))
PY
end=$(date +%s.%N)
python3 - "$start" "$end" "$out" <<'PY'
import json, sys
start, end, out = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
seconds = end - start
ours = json.load(open(f"{out}/eval.json"))
rss = int(open(f"{out}/inspect.rss").read().split()[-1]) / 1024
result = {"benchmark": "inspect eval", "cases": 2000, "seconds": seconds, "fraction_of_ideal": (2000 / 64 * 0.05) / seconds,
          "peak_rss_mb": rss, "promptctl_speedup": seconds / ours["seconds"]}
json.dump(result, open(f"{out}/inspect.json", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
fi
rm -rf "$project"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(date -u +%Y-%m-%d)"
