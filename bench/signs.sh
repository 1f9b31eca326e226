#!/usr/bin/env bash
# The clinical-signs engine's throughput on one core (issue target: at least 20,000 messages per second), side by
# side with the reference it replaced: the old exact-phrase lists as a Python substring scan over the same messages.
#   bash bench/signs.sh              release build; every labelled message, 20 passes, in one thread
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
out=bench/out
mkdir -p "$out"
swift build -c release --product promptctl-bench 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)"
echo "== clinical-signs engine (Swift, release, one thread)"
for run in 1 2 3; do
  for engine in rules learned; do
    taskset -c 0 "$bin/promptctl-bench" signs --project . --engine "$engine" --passes "${SIGNS_PASSES:-20}" \
      | tee "$out/signs-$engine-$run.json"
  done
done
echo "== reference: exact phrase lists, Python substring scan (one thread)"
taskset -c 0 python3 - <<'PY'
import json, time, unicodedata, pathlib
def fold(t):
    return "".join(c for c in unicodedata.normalize("NFD", t.lower()) if unicodedata.category(c) != "Mn")
phrases = ["sangramento", "sangrando", "bleeding", "sangrado", "dor de cabeca forte", "visao embacada", "severe headache",
           "blurred vision", "rosto inchado", "maos inchadas", "swollen face", "convulsao", "desmaiei", "seizure", "fainted",
           "bolsa estourou", "water broke", "perda de liquido", "bebe mexendo menos", "baby moving less", "febre", "fever",
           "fiebre", "dor forte na barriga", "severe abdominal pain", "falta de ar", "dor no peito", "chest pain",
           "contracoes", "contractions", "contracciones", "me matar", "kill myself", "matarme"]
messages = []
for name in ["dev", "dev2", "holdout"]:
    for line in pathlib.Path(f"eval-suites/clinical-signs/{name}.jsonl").read_text().splitlines():
        messages.append(json.loads(line)["text"])
passes = 20
start = time.perf_counter()
for _ in range(passes):
    for m in messages:
        f = fold(m)
        any(p in f for p in phrases)
seconds = time.perf_counter() - start
print(json.dumps({"messages": len(messages) * passes, "seconds": seconds, "messages_per_second": len(messages) * passes / seconds}))
PY
