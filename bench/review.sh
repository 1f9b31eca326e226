#!/usr/bin/env bash
# Weekly review sample and export from 1,000,000 stored responses in one week.
#   bash bench/review.sh [RESPONSES]
count="${1:-1000000}"
source "$(dirname "$0")/lib.sh"
python3 bench/review-rows.py "$db" "$count"
echo "stored: $count responses in 2026-W48"
export PROMPTCTL_PSEUDONYM_KEY=bench-key-0123456789abcdef
for command in "review sample --week 2026-W48 --size 20" "review export --week 2026-W48 --format csv" \
               "review export --week 2026-W48 --format html"; do
  /usr/bin/env time -f "%e s, %M KB" -o "$out/review.time" "$bin" $command --db "$db" >/dev/null
  echo "promptctl $command: $(cat "$out/review.time")"
done
