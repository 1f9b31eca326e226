# Shared by the bench scripts: set-up, a release build of promptctl, and a throwaway store.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
# PROMPTCTL_BENCH_BIN names an already built promptctl (the figures then say which build it was).
if [ -n "${PROMPTCTL_BENCH_BIN:-}" ]; then
  bin="$PROMPTCTL_BENCH_BIN"
else
  swift build -c release --product promptctl 2>&1 | tail -n 1
  bin="$(swift build -c release --show-bin-path)/promptctl"
fi
db="$(mktemp -d)/bench.sqlite"
trap 'rm -rf "$(dirname "$db")"' EXIT
"$bin" cost report --db "$db" >/dev/null   # creates and migrates the store
