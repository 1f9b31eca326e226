#!/usr/bin/env bash
# The whole test suite: set up, build, check formatting, start a real local LLM, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

scripts/setup.sh --test

# The local model's venv builds llama.cpp from source (about 6 minutes on 2 cores the first time);
# build it while Swift compiles. It is cached in ~/.cache/promptctl and reused afterwards.
scripts/local-llm.sh install >/tmp/promptctl-llm-install.log 2>&1 &
llm_install=$!

swift build --build-tests 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -n 5
swift format lint --strict --recursive Sources Tests bench/Sources
echo "format: clean"

if wait "$llm_install"; then
  port=$((18100 + RANDOM % 800))
  export PROMPTCTL_LIVE_LLM_URL="$(scripts/local-llm.sh start "$port")"
  trap 'scripts/local-llm.sh stop' EXIT
  echo "local LLM: $PROMPTCTL_LIVE_LLM_URL"
else
  echo "local LLM install failed:" >&2
  tail -n 30 /tmp/promptctl-llm-install.log >&2
  exit 1
fi

log=/tmp/promptctl-test.log
set +e
swift test --skip-build --parallel >"$log" 2>&1
status=$?
set -e
grep -E "✘|error:|Test run with" "$log" || true
total=$(grep -oE "Test run with [0-9]+ tests?" "$log" | tail -n 1 | grep -oE "[0-9]+" || echo 0)
failed=$(grep -cE "^✘ Test .* failed" "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A crash or a build problem: no per-test verdicts to count, so show the end of the log.
  tail -n 40 "$log"
  failed=1
fi
echo "tests finished in $(( $(date +%s) - started )) s"
echo "$((total - failed)) passed, ${failed} failed"
exit "$status"
