#!/usr/bin/env bash
# The guards on one long line: `promptctl guard check --input` on single lines of "Pode usar Cytotec? " repeated
# (1 MB and 10 MB by default, a match every 19 bytes), with the term filter alone and with the built-in moderation
# too. Before the offsets were computed in one pass, 1 MB took over 120 s. max_text_bytes is raised for the run.
#   bash bench/filter-long-lines.sh [MEGABYTES...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
swift build -c release --product promptctl 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/promptctl"
project="$(mktemp -d)"
trap 'rm -rf "$project"' EXIT
cp -r promptctl.yaml prices.yaml prompts guards "$project/"
sed -i 's/^max_text_bytes: .*/max_text_bytes: 1073741824/' "$project/guards/policy.yaml"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1 10)
{
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-8s %-10s %10s %12s %10s\n' "line" "moderation" "seconds" "MB/s" "peak MB"
for megabytes in "${sizes[@]}"; do
    python3 - "$project/line.jsonl" "$megabytes" <<'PY'
import json, sys
path, megabytes = sys.argv[1], int(sys.argv[2])
sentence = "Pode usar Cytotec? "
text = sentence * (megabytes * 1_000_000 // len(sentence))
open(path, "w").write(json.dumps({"id": f"{megabytes}mb", "text": text}) + "\n")
PY
    for moderation in none builtin; do
        start=$(date +%s.%N)
        status=0
        (cd "$project" && /usr/bin/env time -f "%M" -o "$project/rss" \
            "$bin" guard check --input line.jsonl --moderation "$moderation" --format jsonl >"$project/result.jsonl") \
            || status=$?
        end=$(date +%s.%N)
        # Exit 1 is the expected verdict: the line names a contraindicated drug and the response is blocked.
        [ "$status" -eq 1 ] || { echo "unexpected exit $status" >&2; exit 3; }
        grep -q '"decision":"block"' "$project/result.jsonl"
        python3 - "$megabytes" "$moderation" "$start" "$end" "$(tail -n 1 "$project/rss")" <<'PY'
import sys
megabytes, moderation, start, end, rss = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
seconds = end - start
print(f"{megabytes + ' MB':<8} {moderation:<10} {seconds:>10.2f} {int(megabytes) / seconds:>12.1f} {rss / 1024:>10.0f}")
PY
    done
done
} | tee "$out/filter-long-lines.txt"
