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

swift test --skip-build --parallel 2>&1 | tee /tmp/promptctl-test.log | grep -E "✘|error:|Test run with|Executed" || true
status=${PIPESTATUS[0]}
echo "tests finished in $(( $(date +%s) - started )) s"
exit "$status"
