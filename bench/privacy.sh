#!/usr/bin/env bash
# LGPD masking throughput on one core (issue target: 1,000,000 messages in at most 5 s): the privacy and
# clinical-signs sets' messages cycled to a million, masked one by one, in one thread.
#   bash bench/privacy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
out=bench/out
mkdir -p "$out"
swift build -c release --product promptctl-bench 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)"
for run in 1 2 3; do
  taskset -c 0 "$bin/promptctl-bench" privacy --project . --messages "${PRIVACY_MESSAGES:-1000000}" | tee "$out/privacy-$run.json"
done
