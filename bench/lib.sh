# Shared by the bench scripts: set-up, a release build of promptctl, and a throwaway store.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
swift build -c release --product promptctl 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/promptctl"
db="$(mktemp -d)/bench.sqlite"
trap 'rm -rf "$(dirname "$db")"' EXIT
"$bin" cost report --db "$db" >/dev/null   # creates and migrates the store
