#!/usr/bin/env bash
# The main job: set up, build, and evaluate the shipped suite on the embedded default (recorded answers of a
# real local model; no server, no key). Writes the HTML, Markdown, JSON and JUnit reports into reports/RUN_ID/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build --product promptctl 2>&1 | tail -n 3
bin="$(swift build --product promptctl --show-bin-path)/promptctl"

"$bin" prompts lint
status=0
"$bin" eval maternal-health --provider embedded --db .promptctl/main-job.sqlite || status=$?
report="$(ls -td reports/*/ 2>/dev/null | head -n 1)"
echo
echo "HTML report: ${report}report.html   (open it with: xdg-open ${report}report.html)"
case "$status" in
  0) echo "gate: PASSED" ;;
  1) echo "gate: FAILED (promptctl exit 1) — the evaluation ran; the report says which cases and criteria failed." ;;
  *) echo "promptctl exited $status (2: usage or configuration error, 3: provider or infrastructure error)" >&2
     exit "$status" ;;
esac
